#include "layout/fonts.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H

#include <cmath>

#include "common/error.hpp"
#include "common/utf8.hpp"

namespace factsheet {

double FontMetrics::text_width(std::string_view text, double size) const {
    double units = 0;
    for (std::size_t i = 0; i < text.size();) units += advance(utf8::next(text, i));
    return units * size / 1000.0;
}

struct TrueTypeFont::Face {
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~Face() {
        if (face) FT_Done_Face(face);
        if (library) FT_Done_FreeType(library);
    }
};

TrueTypeFont::TrueTypeFont(const std::string& path) : path_(path), face_(std::make_unique<Face>()) {
    if (FT_Init_FreeType(&face_->library) != 0) throw Error(SourcePos{path, 0, 0}, "cannot start FreeType");
    if (FT_New_Face(face_->library, path.c_str(), 0, &face_->face) != 0)
        throw Error(SourcePos{path, 0, 0}, "cannot read font: the file is missing or not a TrueType font");
    FT_Face f = face_->face;
    FT_ULong glyf_length = 0;
    if (!FT_IS_SFNT(f) || FT_Load_Sfnt_Table(f, FT_MAKE_TAG('g', 'l', 'y', 'f'), 0, nullptr, &glyf_length) != 0)
        throw Error(SourcePos{path, 0, 0},
                    "font is not a TrueType (glyf) font: the PDF stage embeds only .ttf fonts");
    double upm = f->units_per_EM;
    // Typographic ascent and descent from hhea, as libharu reports them.
    ascent_ = std::trunc(f->ascender * 1000.0 / upm);
    descent_ = std::trunc(f->descender * 1000.0 / upm);
}

TrueTypeFont::~TrueTypeFont() = default;

const TrueTypeFont::Glyph& TrueTypeFont::glyph(char32_t cp) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(cp);
    if (it != cache_.end()) return it->second;
    FT_Face f = face_->face;
    FT_UInt gid = FT_Get_Char_Index(f, cp);
    Glyph g{gid != 0, 0};
    FT_Fixed adv = 0;
    if (FT_Get_Advance(f, gid, FT_LOAD_NO_SCALE, &adv) == 0)
        g.advance = std::trunc(static_cast<double>(adv) * 1000.0 / f->units_per_EM);
    return cache_.emplace(cp, g).first->second;
}

bool TrueTypeFont::has_glyph(char32_t cp) const {
    return glyph(cp).present;
}

double TrueTypeFont::advance(char32_t cp) const {
    return glyph(cp).advance;
}

std::string find_font_file(const std::string& family, const std::string& style) {
    static std::mutex fc_mutex;  // fontconfig's default configuration is not thread safe to initialise
    std::lock_guard<std::mutex> lock(fc_mutex);
    FcInit();
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    if (!style.empty()) FcPatternAddString(pattern, FC_STYLE, reinterpret_cast<const FcChar8*>(style.c_str()));
    FcPatternAddString(pattern, FC_FONTFORMAT, reinterpret_cast<const FcChar8*>("TrueType"));
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    std::string file, found_family, found_style;
    if (match) {
        FcChar8* value = nullptr;
        if (FcPatternGetString(match, FC_FILE, 0, &value) == FcResultMatch) file = reinterpret_cast<char*>(value);
        if (FcPatternGetString(match, FC_FAMILY, 0, &value) == FcResultMatch) found_family = reinterpret_cast<char*>(value);
        if (FcPatternGetString(match, FC_STYLE, 0, &value) == FcResultMatch) found_style = reinterpret_cast<char*>(value);
        FcPatternDestroy(match);
    }
    // fontconfig always offers some fallback; a different family is not what the designer asked for.
    if (file.empty() || found_family != family || (!style.empty() && found_style != style))
        throw Error(SourcePos{},
                    "font \"" + family + (style.empty() ? "" : " " + style) +
                        "\" is not installed (fontconfig offered \"" + found_family + " " + found_style +
                        "\"): install it or name a font file in the styles");
    return file;
}

}  // namespace factsheet

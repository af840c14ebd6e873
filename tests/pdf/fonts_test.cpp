// The pdf stage's private font helpers: the ToUnicode map and the widths it writes.
#include "pdf/fonts.hpp"

#include <gtest/gtest.h>
#include <hpdf_fontdef.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "pdf/truetype.hpp"

using namespace factsheet::pdf_detail;

TEST(to_unicode_cmap, maps_each_block_used_to_itself_in_groups_of_100) {
    std::string cmap = to_unicode_cmap({0x00, 0x01, 0x20});
    EXPECT_EQ(cmap,
              "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
              "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
              "3 beginbfrange\n<0000> <00FF> <0000>\n<0100> <01FF> <0100>\n<2000> <20FF> <2000>\n"
              "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

    // A bfrange section holds at most 100 ranges (Adobe Technical Note #5411).
    std::vector<unsigned> blocks;
    for (unsigned b = 0; b < 150; ++b) blocks.push_back(b);
    std::string big = to_unicode_cmap(blocks);
    EXPECT_NE(big.find("100 beginbfrange\n<0000> <00FF> <0000>\n"), std::string::npos);
    EXPECT_NE(big.find("<6300> <63FF> <6300>\nendbfrange\n50 beginbfrange\n<6400> <64FF> <6400>\n"),
              std::string::npos);
    EXPECT_NE(big.find("<9500> <95FF> <9500>\nendbfrange\nendcmap\n"), std::string::npos);
}

// The fonts' dictionaries were libharu's before this stage wrote them: the widths and the
// descriptor's values are those libharu's font definition gives, for every TrueType font
// installed (the layouts may name any through fontconfig).
namespace {

std::vector<std::string> installed_fonts() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator("/usr/share/fonts"))
        if (entry.is_regular_file() && entry.path().extension() == ".ttf")
            out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(truetype_descriptor, matches_libharu_for_every_installed_font) {
    HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
    ASSERT_NE(pdf, nullptr);
    std::size_t compared = 0;
    for (const std::string& path : installed_fonts()) {
        SCOPED_TRACE(path);
        const char* name = HPDF_LoadTTFontFromFile(pdf, path.c_str(), HPDF_FALSE);
        if (!name) {  // libharu refuses it (no format 4 cmap, say): nothing to compare
            HPDF_ResetError(pdf);
            continue;
        }
        HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
        ASSERT_NE(def, nullptr);
        std::unique_ptr<LoadedFont> font = load_font(path, "");
        const TrueTypeFile& program = font->program;
        const TrueTypeFile::Descriptor& d = program.descriptor();
        EXPECT_EQ(font->name, name);
        EXPECT_EQ(d.flags, static_cast<std::int32_t>(def->flags));
        EXPECT_EQ(d.bbox[0], def->font_bbox.left);
        EXPECT_EQ(d.bbox[1], def->font_bbox.bottom);
        EXPECT_EQ(d.bbox[2], def->font_bbox.right);
        EXPECT_EQ(d.bbox[3], def->font_bbox.top);
        EXPECT_EQ(d.ascent, def->ascent);
        EXPECT_EQ(d.descent, def->descent);
        EXPECT_EQ(d.cap_height, def->cap_height);
        EXPECT_EQ(d.x_height, def->x_height);
        EXPECT_EQ(def->italic_angle, 0);
        EXPECT_EQ(def->stemv, 0u);
        for (unsigned g = 0; g < program.glyph_count(); ++g)
            ASSERT_EQ(pdf_width(program, static_cast<std::uint16_t>(g)),
                      HPDF_TTFontDef_GetGidWidth(def, static_cast<HPDF_UINT16>(g)))
                << "glyph " << g;
        EXPECT_EQ(pdf_width(program, program.glyph_count()), def->missing_width);
        EXPECT_EQ(pdf_width(program, 0), def->missing_width);
        ++compared;
    }
    HPDF_Free(pdf);
    EXPECT_GE(compared, 4u);  // Roboto's, at least
    std::unique_ptr<LoadedFont> regular =
        load_font("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf", "");
    EXPECT_EQ(pdf_width(regular->program, 0), 443);  // 908 units of 2,048
    EXPECT_EQ(regular->name, "Roboto-Regular");
    std::unique_ptr<LoadedFont> bold =
        load_font("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf", "");
    EXPECT_EQ(bold->name, "Roboto-Bold,Bold");
    EXPECT_EQ(bold->program.descriptor().flags, 32 + 262144);
}

// load_font maps the file; a font read into memory is the same font, glyph for glyph and subset
// for subset, and a mapped font outlives the renderer's copy of its path.
TEST(load_font, a_mapped_font_is_the_font_read) {
    const std::string path = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf";
    std::unique_ptr<LoadedFont> mapped = load_font(std::string(path), "");
    TrueTypeFile read(path, factsheet::test::read_file(path));
    ASSERT_EQ(mapped->program.glyph_count(), read.glyph_count());
    for (char32_t c = 0; c < 0x10000; ++c)
        ASSERT_EQ(mapped->program.glyph(static_cast<char16_t>(c)), read.glyph(static_cast<char16_t>(c)));
    std::vector<std::uint16_t> glyphs;
    for (char16_t c : std::u16string(u"Mali · Fiche d’information, 3,90 M US$ Œ"))
        glyphs.push_back(read.glyph(c));
    std::sort(glyphs.begin(), glyphs.end());
    glyphs.erase(std::unique(glyphs.begin(), glyphs.end()), glyphs.end());
    EXPECT_EQ(mapped->program.subset(glyphs).program, read.subset(glyphs).program);
    EXPECT_EQ(mapped->program.descriptor().base_font, read.descriptor().base_font);
}

// What makes a font's files in the tests below: files named `name`, counted in `made`.
auto counting_maker(int& made) {
    return [&made](const std::string& name) {
        return [&made, name] {
            ++made;
            FontFiles files;
            files.base_font = name;
            files.to_unicode = "cmap of " + name;
            files.program = std::string(1000, 'p');
            files.program_bytes = 1234;
            files.cid_set = std::string("\x80\0\x01", 3);
            files.glyph_map = "map";
            return files;
        };
    };
}

// The streams of a font for the same characters are made once and handed out again; other
// characters, or another compression level, are made anew.
TEST(load_font, files_are_kept_by_the_characters_drawn_and_the_level) {
    std::unique_ptr<LoadedFont> font =
        load_font("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf", "");
    int made = 0;
    auto make = counting_maker(made);
    const std::vector<std::uint16_t> mali{'M', 'a', 'i', 'l'}, gao{'G', 'a', 'o'};
    std::shared_ptr<const FontFiles> first = font->files(mali, 0, make("first"));
    EXPECT_EQ(font->files(mali, 0, make("again")), first);
    EXPECT_EQ(made, 1);
    EXPECT_EQ(font->files(gao, 0, make("gao"))->base_font, "gao");
    EXPECT_EQ(font->files(mali, 0, make("again"))->base_font, "first");
    EXPECT_EQ(made, 2);
    EXPECT_EQ(font->files(mali, 6, make("level 6"))->base_font, "level 6");
    EXPECT_EQ(font->files(mali, 6, make("again"))->level, 6);
    EXPECT_EQ(made, 3);
}

// The files made for some characters are kept in the cache folder, where the next process that
// loads the same font file finds them; not for other characters, another level or another file,
// nor when the entry no longer reads back whole.
TEST(load_font, files_are_kept_in_the_cache_folder_for_the_next_load) {
    const std::string path = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf";
    const std::string cache = factsheet::test::make_temp_dir();
    int made = 0;
    auto make = counting_maker(made);
    const std::vector<std::uint16_t> mali{'M', 'a', 'i', 'l'}, gao{'G', 'a', 'o'};
    load_font(path, cache)->files(mali, 6, make("first"));
    ASSERT_EQ(made, 1);
    ASSERT_EQ(std::distance(std::filesystem::directory_iterator(cache + "/subsets"),
                            std::filesystem::directory_iterator()),
              1);

    std::shared_ptr<const FontFiles> kept = load_font(path, cache)->files(mali, 6, make("again"));
    EXPECT_EQ(made, 1);
    EXPECT_EQ(kept->base_font, "first");
    EXPECT_EQ(kept->to_unicode, "cmap of first");
    EXPECT_EQ(kept->program, std::string(1000, 'p'));
    EXPECT_EQ(kept->program_bytes, 1234u);
    EXPECT_EQ(kept->cid_set, std::string("\x80\0\x01", 3));
    EXPECT_EQ(kept->glyph_map, "map");
    EXPECT_EQ(kept->level, 6);

    EXPECT_EQ(load_font(path, cache)->files(gao, 6, make("gao"))->base_font, "gao");
    EXPECT_EQ(load_font(path, cache)->files(mali, 1, make("level 1"))->base_font, "level 1");
    const std::string copy = cache + "/copy.ttf";
    std::filesystem::copy_file(path, copy);
    EXPECT_EQ(load_font(copy, cache)->files(mali, 6, make("copy"))->base_font, "copy");
    EXPECT_EQ(made, 4);

    // A byte changed anywhere in an entry: the files are made again, and kept again.
    for (const auto& entry : std::filesystem::directory_iterator(cache + "/subsets")) {
        std::string bytes = factsheet::test::read_file(entry.path().string());
        bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
        factsheet::test::write_file(entry.path().string(), bytes);
    }
    EXPECT_EQ(load_font(path, cache)->files(mali, 6, make("damaged"))->base_font, "damaged");
    EXPECT_EQ(load_font(path, cache)->files(mali, 6, make("again"))->base_font, "damaged");
    EXPECT_EQ(made, 5);
    std::filesystem::remove_all(cache);
}

TEST(load_font, a_font_without_names_is_refused_with_what_to_do) {
    std::string bytes =
        factsheet::test::read_file("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf");
    // Rename the name table's tag in the table directory: the font then has none.
    const std::size_t tables =
        static_cast<unsigned char>(bytes[4]) * 256u + static_cast<unsigned char>(bytes[5]);
    bool renamed = false;
    for (std::size_t i = 0; i < tables; ++i) {
        if (bytes.compare(12 + 16 * i, 4, "name") != 0) continue;
        bytes.replace(12 + 16 * i, 4, "namX");
        renamed = true;
    }
    ASSERT_TRUE(renamed);
    const std::string dir = factsheet::test::make_temp_dir();
    const std::string path = dir + "/Nameless.ttf";
    factsheet::test::write_file(path, bytes);
    try {
        load_font(path, "");
        ADD_FAILURE() << "a font without names was loaded";
    } catch (const factsheet::Error& e) {
        EXPECT_EQ(
            std::string(e.what()),
            path +
                ": error: the font's name table gives no PostScript name and subfamily (name IDs 6 and 2, "
                "at most 119 characters together), which a PDF font is named by; use another font file");
    }
    std::filesystem::remove_all(dir);
}

#include "pdf/pdf.hpp"

#include <hpdf.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/date.hpp"
#include "common/utf8.hpp"
#include "pdf/deflate.hpp"
#include "pdf/drawings.hpp"
#include "pdf/fonts.hpp"
#include "pdf/haru.hpp"
#include "pdf/pdfa.hpp"

namespace factsheet {

namespace {

using pdf_detail::append_number;
using pdf_detail::append_real;
using pdf_detail::Deflater;
using pdf_detail::FontSet;
using pdf_detail::HaruDocument;
using pdf_detail::ItemRef;
using pdf_detail::LoadedFont;
using pdf_detail::PackedDrawing;
using pdf_detail::render_pos;
using pdf_detail::XmpFields;

HPDF_REAL real(double v) {
    return static_cast<HPDF_REAL>(v);
}

// The date as libharu writes it in Info: +00'00' for UTC (libharu writes 'Z' as "Z00'00'", which
// PDFBox does not read as UTC).
HPDF_Date haru_date(const PdfDate& d) {
    HPDF_Date out{};
    out.year = d.year;
    out.month = d.month;
    out.day = d.day;
    out.hour = d.hour;
    out.minutes = d.minute;
    out.seconds = d.second;
    out.ind = '+';
    return out;
}

// The date as XMP writes it (ISO 8601, UTC), the same instant as the Info dictionary's
// (ISO 19005-1 6.7.3).
std::string xmp_date(const PdfDate& d) {
    char text[80];  // room for any int, to keep -Wformat-truncation quiet; 25 are used
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", d.year, d.month, d.day, d.hour,
                  d.minute, d.second);
    return text;
}

// Whether the date names a day of the calendar and a time of that day.
bool is_real_date(const PdfDate& d) {
    return d.year >= 0 && d.year <= 9999 && is_real_day(d.year, d.month, d.day) && d.hour >= 0 &&
           d.hour <= 23 && d.minute >= 0 && d.minute <= 59 && d.second >= 0 && d.second <= 59;
}

bool is_pdf_name_key(const std::string& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
}

// A language tag as BCP 47 spells one: letters, digits and hyphens ("fr", "en-GB").
void check_language(const std::string& lang) {
    bool ok = !lang.empty() && lang.front() != '-' && lang.back() != '-' &&
              std::all_of(lang.begin(), lang.end(),
                          [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
    if (!ok) throw Error(render_pos(), "language \"" + lang + "\" is not a BCP 47 tag such as \"fr\"");
}

// Writes the Info dictionary and /Lang; returns the same fields for the XMP metadata.
XmpFields write_info(HaruDocument& haru, const DocumentInfo& info, const RenderOptions& options) {
    HPDF_Doc pdf = haru.get();
    XmpFields xmp{
        info.title,   info.author, info.subject, info.keywords, options.creator, pdf_detail::producer_name(),
        options.lang, {}};
    // libharu makes the dictionary, in the trailer, and each entry in its place; the value is then
    // replaced by a text string of ours (no encoder is current, so libharu's is a byte string).
    struct Field {
        HPDF_InfoType type;
        const char* key;
        const std::string* value;
    };
    const Field fields[] = {
        {HPDF_INFO_TITLE, "Title", &info.title},          {HPDF_INFO_AUTHOR, "Author", &info.author},
        {HPDF_INFO_SUBJECT, "Subject", &info.subject},    {HPDF_INFO_KEYWORDS, "Keywords", &info.keywords},
        {HPDF_INFO_CREATOR, "Creator", &options.creator}, {HPDF_INFO_PRODUCER, "Producer", &xmp.producer},
    };
    for (const Field& f : fields) {
        if (f.value->empty()) continue;
        haru.check(HPDF_SetInfoAttr(pdf, f.type, ""), "set the document information");
        haru.check(HPDF_Dict_Add(haru.info(), f.key, haru.new_text(*f.value, "set the document information")),
                   "set the document information");
    }

    if (options.date) {
        const PdfDate& d = *options.date;
        if (!is_real_date(d))
            throw Error(render_pos(), "creation date " + xmp_date(d) + " is not a real date and time");
        HPDF_Date date = haru_date(d);
        haru.check(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date), "set the creation date");
        haru.check(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date), "set the modification date");
        xmp.date = xmp_date(d);
    }

    // The info dictionary exists: /Producer is always set. The stamps are text strings too.
    for (const auto& [key, value] : options.stamps) {
        if (!is_pdf_name_key(key))
            throw Error(render_pos(), "document information key \"" + key + "\" must be letters and digits");
        haru.check(
            HPDF_Dict_Add(haru.info(), key.c_str(), haru.new_text(value, "set the document information")),
            "set the document information");
    }

    if (!options.lang.empty()) {
        // libharu has no call for /Lang; ISO 32000-1 14.9.2.1 wants a text string in the catalog.
        check_language(options.lang);
        haru.check(
            HPDF_Dict_Add(haru.catalog(), "Lang", haru.new_ascii(options.lang, "set the document language")),
            "set the document language");
    }
    return xmp;
}

// URIs in PDF are 7-bit ASCII (ISO 32000-1 12.6.4.7): percent-encode anything else, byte by
// byte, as RFC 3987 maps an IRI to a URI.
std::string ascii_uri(const std::string& uri) {
    std::string out;
    for (char ch : uri) {
        auto c = static_cast<unsigned char>(ch);
        if (c > 0x20 && c < 0x7F) {
            out += ch;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

bool all_finite(std::initializer_list<double> values) {
    for (double v : values)
        if (!std::isfinite(v)) return false;
    return true;
}

// What the pages' marked content and annotations tell of the logical structure, gathered while
// the pages are drawn and written as the structure tree afterwards (ISO 32000-1 14.7).
struct StructureRefs {
    // A node's content: a marked-content sequence (mcid >= 0) or an annotation, on a page.
    struct Content {
        std::size_t page = 0;
        int mcid = -1;
        HPDF_Annotation annot = nullptr;
        std::size_t order = 0;  // its place among all content, in drawing order
    };
    std::vector<std::vector<Content>> content;  // by node
    std::vector<std::vector<int>> page_mcids;   // by page: each MCID's node
    bool tagged() const { return !content.empty(); }
    void add(int node, std::size_t page, int mcid, HPDF_Annotation annot) {
        content[static_cast<std::size_t>(node)].push_back({page, mcid, annot, drawn++});
    }

private:
    std::size_t drawn = 0;
};

// The document's images as image XObjects, each written once, when first drawn: raw samples
// (compressed with the other streams) or a JPEG file's bytes as they are (DCTDecode).
class ImageSet {
public:
    ImageSet(HaruDocument& haru, const PagedDocument& doc)
        : haru_(haru), doc_(doc), made_(doc.images.size()) {}

    HPDF_Image image(std::size_t index, const ItemRef& where) {
        if (made_[index]) return made_[index];
        const RasterImage& im = *doc_.images[index];
        std::string what = "embed the image of " + where.str();
        if (im.width <= 0 || im.height <= 0 || im.bits_per_component != 8 ||
            (im.components != 1 && im.components != 3))
            throw Error(render_pos(), what + ": not an 8-bit grey or RGB image");
        HPDF_Image made = nullptr;
        if (im.encoding == RasterImage::Encoding::dct) {
            made = HPDF_LoadJpegImageFromMem(haru_.get(), reinterpret_cast<const HPDF_BYTE*>(im.data.data()),
                                             static_cast<HPDF_UINT>(im.data.size()));
        } else {
            std::size_t expected = static_cast<std::size_t>(im.width) * static_cast<std::size_t>(im.height) *
                                   static_cast<std::size_t>(im.components);
            if (im.data.size() != expected) throw Error(render_pos(), what + ": its samples are cut short");
            made =
                HPDF_LoadRawImageFromMem(haru_.get(), reinterpret_cast<const HPDF_BYTE*>(im.data.data()),
                                         static_cast<HPDF_UINT>(im.width), static_cast<HPDF_UINT>(im.height),
                                         im.components == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
        }
        haru_.check_handle(made, what);
        made_[index] = made;
        return made;
    }

private:
    HaruDocument& haru_;
    const PagedDocument& doc_;
    std::vector<HPDF_Image> made_;
};

// The document's drawings as form XObjects, each written once, when first drawn; their content
// comes packed from the process's cache (pdf/drawings.hpp).
class FormSet {
public:
    FormSet(HaruDocument& haru, Deflater& deflater) : haru_(haru), deflater_(deflater) {}

    HPDF_XObject form(const std::shared_ptr<const Drawing>& drawing, const ItemRef& where) {
        std::shared_ptr<const PackedDrawing> packed = pdf_detail::pack_drawing(drawing, deflater_, where);
        // By content, not by the packed object: the process's cache may have been emptied, or
        // filled by another thread, between two draws of one document, and one form each it stays.
        for (const auto& [known, made] : made_)
            if (known == packed || pdf_detail::same_drawing(*known->drawing, *packed->drawing)) return made;
        const Drawing& d = *packed->drawing;
        HPDF_XObject made =
            haru_.new_form(packed->deflated, d.width, d.height, "write the drawing of " + where.str());
        made_.emplace_back(std::move(packed), made);
        return made;
    }

private:
    HaruDocument& haru_;
    Deflater& deflater_;
    std::vector<std::pair<std::shared_ptr<const PackedDrawing>, HPDF_XObject>> made_;
};

// Draws one page's items in order. Tracks the graphics state it has set so that a run of text
// items shares one text object and colours, fonts and widths are written only when they change.
// In a tagged document, each run of items of one structure node is a marked-content sequence
// (BDC ... EMC) with its MCID; decoration and the running header and footer are artifacts.
class PageWriter {
public:
    PageWriter(HaruDocument& haru, FontSet& fonts, ImageSet& images, FormSet& forms, HPDF_Page page,
               double height, std::size_t page_index, const PagedDocument& doc, StructureRefs& refs,
               std::string& content)
        : haru_(haru),
          fonts_(fonts),
          images_(images),
          forms_(forms),
          page_(page),
          height_(height),
          where_{page_index, 0},
          doc_(doc),
          refs_(refs),
          content_(content) {}

    void draw(const PageItem& item, std::size_t index) {
        where_.item = index;
        if (!std::holds_alternative<LinkItem>(item))  // an annotation is not page content
            mark(std::visit([](const auto& it) { return it.tag; }, item));
        std::visit([this](const auto& it) { draw_item(it); }, item);
    }

    void finish() {
        end_text();
        if (marked_) raw("EMC\012");
    }

private:
    // Builds the message only on failure: this runs for every drawing call.
    void check(HPDF_STATUS status) {
        if (status != HPDF_OK || haru_.failed()) haru_.check(status, "draw " + where_.str());
    }

    void require_finite(std::initializer_list<double> values) {
        if (!all_finite(values))
            throw Error(render_pos(), where_.str() + ": a coordinate, size or width is not a finite number");
    }

    void draw_item(const TextItem& t) {
        require_finite({t.x, t.y, t.size, t.color.r, t.color.g, t.color.b});
        if (t.text.empty()) return;
        // The font index and the characters were checked by record_text().
        HPDF_Dict font = fonts_.font(static_cast<std::size_t>(t.font));
        begin_text();
        if (font_ != t.font || size_ != t.size) {
            select_font(font, t.size);
            font_ = t.font;
            size_ = t.size;
        }
        set_fill(t.color);
        move_text(real(t.x), real(height_ - t.y));
        write_text(t);
    }

    // Selects the font and size (Tf) as HPDF_Page_SetFontAndSize did for libharu's own fonts: the
    // page's resources name each font F1, F2... in the order the page first uses them, in a Font
    // dictionary added to the resources at that first use.
    void select_font(HPDF_Dict font, double size) {
        if (!(size > 0 && size <= HPDF_MAX_FONTSIZE))
            throw Error(render_pos(), where_.str() + ": font size " + std::to_string(size) +
                                          " is outside what a PDF page takes (above 0, at most " +
                                          std::to_string(HPDF_MAX_FONTSIZE) + ")");
        auto known = std::find(page_fonts_.begin(), page_fonts_.end(), font);
        if (known == page_fonts_.end()) {
            if (!font_resources_) {
                font_resources_ = haru_.new_dict(false, "draw " + where_.str());
                auto* resources =
                    static_cast<HPDF_Dict>(HPDF_Dict_GetItem(page_, "Resources", HPDF_OCLASS_DICT));
                haru_.check_handle(resources,
                                   "find the resources of page " + std::to_string(where_.page + 1));
                check(HPDF_Dict_Add(resources, "Font", font_resources_));
            }
            page_fonts_.push_back(font);
            known = page_fonts_.end() - 1;
            check(HPDF_Dict_Add(font_resources_, font_name(known).c_str(), font));
        }
        content_ += '/';
        content_ += font_name(known);
        content_ += ' ';
        append_real(content_, real(size));
        content_ += " Tf\012";
    }

    std::string font_name(std::vector<HPDF_Dict>::const_iterator font) const {
        return "F" + std::to_string(font - page_fonts_.begin() + 1);
    }

    // Starts a line of text at (x, y) as HPDF_Page_TextOut positions text: Td, relative to the
    // start of the previous line, which is tracked here as libharu tracks it (in single precision,
    // the text matrix never scaled or turned), and written as its MoveTextPos writes it, without
    // the 512-byte buffer that call clears first: this runs for every run of text.
    void move_text(HPDF_REAL x, HPDF_REAL y) {
        const HPDF_REAL dx = x - line_x_, dy = y - line_y_;
        append_real(content_, dx);
        content_ += ' ';
        append_real(content_, dy);
        content_ += " Td\012";
        line_x_ += dx * 1.0F + dy * 0.0F;
        line_y_ += dy * 1.0F + dx * 0.0F;
    }

    // Writes the text showing operator itself: libharu has none for kerned text (TJ), and its Tj
    // measures every character again for a text position nothing here reads. The codes are the
    // code points, two bytes each (Identity-H); a TJ number moves the next character left by
    // 1/1000 em, so a kern of `amount` is written as -amount.
    void write_text(const TextItem& t) {
        using namespace std::string_view_literals;
        const bool kerned = !t.kerning.empty();
        content_ += kerned ? "[<"sv : "<"sv;
        auto kern = t.kerning.begin();
        static constexpr char hex[] = "0123456789ABCDEF";
        for (std::size_t i = 0; i < t.text.size();) {
            if (kern != t.kerning.end() && kern->offset == i) {
                char number[16];
                auto [end, ec] = std::to_chars(number, number + sizeof number, -kern->amount);
                content_ += "> "sv;
                content_.append(number, end);
                content_ += " <"sv;
                ++kern;
            }
            const char32_t c = utf8::next(t.text, i);  // valid UTF-8 within the BMP: see record_text()
            const char code[4] = {hex[(c >> 12) & 0xF], hex[(c >> 8) & 0xF], hex[(c >> 4) & 0xF],
                                  hex[c & 0xF]};
            content_.append(code, 4);
        }
        if (t.space_after) content_ += "0020"sv;
        content_ += kerned ? ">] TJ\012"sv : "> Tj\012"sv;
    }

    void draw_item(const RectItem& r) {
        require_finite({r.rect.x, r.rect.y, r.rect.width, r.rect.height, r.fill.r, r.fill.g, r.fill.b,
                        r.stroke_width, r.stroke.r, r.stroke.g, r.stroke.b});
        bool stroked = r.stroke_width > 0;
        if (!r.filled && !stroked) return;
        end_text();
        if (r.filled) set_fill(r.fill);
        if (stroked) set_stroke(r.stroke, r.stroke_width);
        operation({real(r.rect.x), real(height_ - r.rect.y - r.rect.height), real(r.rect.width),
                   real(r.rect.height)},
                  " re\012");
        raw(r.filled && stroked ? "B\012" : r.filled ? "f\012" : "S\012");
    }

    void draw_item(const LineItem& l) {
        require_finite({l.x1, l.y1, l.x2, l.y2, l.width, l.color.r, l.color.g, l.color.b});
        end_text();
        set_stroke(l.color, l.width);
        operation({real(l.x1), real(height_ - l.y1)}, " m\012");
        operation({real(l.x2), real(height_ - l.y2)}, " l\012");
        raw("S\012");
    }

    void draw_item(const PathItem& path) {
        bool stroked = path.stroke_width > 0;
        if ((!path.filled && !stroked) || path.rings.empty()) return;
        require_finite({path.fill.r, path.fill.g, path.fill.b, path.stroke_width, path.stroke.r,
                        path.stroke.g, path.stroke.b});
        end_text();
        if (path.filled) set_fill(path.fill);
        if (stroked) set_stroke(path.stroke, path.stroke_width);
        // The path and its painting written whole (libharu's calls format each number through a
        // buffer they clear first: most of a map's cost).
        pdf_detail::append_path(content_, path, height_, where_);
    }

    // A drawing is a form XObject, placed by moving the origin to its frame's bottom left.
    void draw_item(const DrawingItem& d) {
        if (!d.drawing) throw Error(render_pos(), where_.str() + ": drawing item has no drawing");
        require_finite({d.x, d.y, d.drawing->width, d.drawing->height});
        if (d.drawing->paths.empty()) return;
        end_text();
        HPDF_XObject form = forms_.form(d.drawing, where_);
        content_ += "q 1 0 0 1 ";
        append_number(content_, d.x);
        content_ += ' ';
        append_number(content_, height_ - d.y - d.drawing->height);
        content_ += " cm\012";
        check(HPDF_Page_ExecuteXObject(page_, form));
        raw("Q\012");
    }

    void draw_item(const ImageItem& im) {
        require_finite({im.rect.x, im.rect.y, im.rect.width, im.rect.height, im.clip.x, im.clip.y,
                        im.clip.width, im.clip.height});
        if (im.image < 0 || static_cast<std::size_t>(im.image) >= doc_.images.size() ||
            !doc_.images[static_cast<std::size_t>(im.image)])
            throw Error(render_pos(), where_.str() + ": image " + std::to_string(im.image) +
                                          " is not one of the document's " +
                                          std::to_string(doc_.images.size()));
        if (im.rect.width <= 0 || im.rect.height <= 0) return;
        end_text();
        HPDF_Image image = images_.image(static_cast<std::size_t>(im.image), where_);
        // Clipped only when it reaches past its frame (an image that covers it).
        constexpr double kSlack = 0.01;
        bool clipped = im.rect.x < im.clip.x - kSlack || im.rect.y < im.clip.y - kSlack ||
                       im.rect.x + im.rect.width > im.clip.x + im.clip.width + kSlack ||
                       im.rect.y + im.rect.height > im.clip.y + im.clip.height + kSlack;
        if (clipped) {
            check(HPDF_Page_GSave(page_));
            check(HPDF_Page_Rectangle(page_, real(im.clip.x), real(height_ - im.clip.y - im.clip.height),
                                      real(im.clip.width), real(im.clip.height)));
            check(HPDF_Page_Clip(page_));
            check(HPDF_Page_EndPath(page_));
        }
        check(HPDF_Page_DrawImage(page_, image, real(im.rect.x), real(height_ - im.rect.y - im.rect.height),
                                  real(im.rect.width), real(im.rect.height)));
        if (clipped) check(HPDF_Page_GRestore(page_));
    }

    void draw_item(const LinkItem& l) {
        require_finite({l.rect.x, l.rect.y, l.rect.width, l.rect.height});
        if (l.uri.empty()) throw Error(render_pos(), where_.str() + ": link has no URI");
        // An annotation is not page content: an open text object may stay open.
        HPDF_Rect area{real(l.rect.x), real(height_ - l.rect.y - l.rect.height),
                       real(l.rect.x + l.rect.width), real(height_ - l.rect.y)};
        HPDF_Annotation annot = HPDF_Page_CreateURILinkAnnot(page_, area, ascii_uri(l.uri).c_str());
        if (!annot) haru_.check_handle(annot, "draw " + where_.str());
        // No border: the layout draws whatever marks a link.
        check(HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0));
        // ISO 19005-1 6.5.3: an annotation is printed (flag Print, 4) and never hidden.
        check(HPDF_Dict_AddNumber(annot, "F", 4));
        if (refs_.tagged() && l.tag >= 0 && static_cast<std::size_t>(l.tag) < doc_.structure.size()) {
            // Its Link node holds it (an object reference), and says what it does (/Contents).
            refs_.add(l.tag, where_.page, -1, annot);
            const std::string& what = doc_.structure[static_cast<std::size_t>(l.tag)].alt;
            if (!what.empty())
                check(HPDF_Dict_Add(annot, "Contents", haru_.new_text(what, "describe " + where_.str())));
        }
    }

    // The operators of text objects, colours, widths, rectangles and lines are written here, as
    // libharu 2.3.0's calls write them (its numbers by append_real), rather than through those
    // calls: each formats its numbers in a 512-byte buffer it clears a byte at a time first, a
    // tenth of drawing a page's text (callgrind). libharu's own record of the graphics state is
    // then not kept, and nothing reads it: what is drawn through libharu (images, forms) is
    // drawn outside text objects, in the page description state it checks for.
    void begin_text() {
        if (in_text_) return;
        raw("BT\012");
        in_text_ = true;
        line_x_ = line_y_ = 0;  // BT: the text matrix is the identity
    }

    void end_text() {
        if (!in_text_) return;
        raw("ET\012");
        in_text_ = false;
    }

    // Numbers, each followed by a space but the last, then `op`.
    void operation(std::initializer_list<HPDF_REAL> numbers, std::string_view op) {
        bool first = true;
        for (HPDF_REAL n : numbers) {
            if (!first) content_ += ' ';
            append_real(content_, n);
            first = false;
        }
        content_ += op;
    }

    void colour(const Color& c, std::string_view op) {
        const HPDF_REAL r = real(c.r), g = real(c.g), b = real(c.b);
        if (r < 0 || r > 1 || g < 0 || g > 1 || b < 0 || b > 1)
            throw Error(render_pos(), where_.str() + ": colour (" + std::to_string(c.r) + ", " +
                                          std::to_string(c.g) + ", " + std::to_string(c.b) +
                                          ") has a component outside 0 to 1");
        operation({r, g, b}, op);
    }

    void set_fill(const Color& c) {
        if (fill_ == c) return;
        colour(c, " rg\012");
        fill_ = c;
    }

    void set_stroke(const Color& c, double width) {
        if (stroke_ != c) {
            colour(c, " RG\012");
            stroke_ = c;
        }
        if (line_width_ != width) {
            if (!(real(width) >= 0))
                throw Error(render_pos(),
                            where_.str() + ": line width " + std::to_string(width) + " is negative");
            operation({real(width)}, " w\012");
            line_width_ = width;
        }
    }

    HaruDocument& haru_;
    FontSet& fonts_;
    ImageSet& images_;
    FormSet& forms_;
    HPDF_Page page_;
    double height_;
    ItemRef where_;
    bool in_text_ = false;
    HPDF_REAL line_x_ = 0, line_y_ = 0;  // the start of the current line of text (Td)
    int font_ = -1;
    double size_ = 0;
    HPDF_Dict font_resources_ = nullptr;  // the page's Font resources, once a font is used
    std::vector<HPDF_Dict> page_fonts_;   // font i is named F(i+1) in them
    std::optional<Color> fill_, stroke_;
    std::optional<double> line_width_;
    const PagedDocument& doc_;
    StructureRefs& refs_;
    bool marked_ = false;   // a marked-content sequence is open
    int marked_tag_ = 0;    // ... for this node or artifact
    std::string& content_;  // the page's content, where libharu's drawing calls write theirs too

    void raw(std::string_view operators) { content_ += operators; }

    // Opens the marked-content sequence of `tag` unless it is open: a sequence never straddles a
    // text object, so any open one is ended first.
    void mark(int tag) {
        if (!refs_.tagged() || (marked_ && marked_tag_ == tag)) return;
        end_text();
        if (marked_) raw("EMC\012");
        if (tag >= 0) {
            if (static_cast<std::size_t>(tag) >= doc_.structure.size())
                throw Error(render_pos(),
                            where_.str() + ": structure node " + std::to_string(tag) + " does not exist");
            std::vector<int>& mcids = refs_.page_mcids[where_.page];
            int mcid = static_cast<int>(mcids.size());
            mcids.push_back(tag);
            refs_.add(tag, where_.page, mcid, nullptr);
            raw("/" + doc_.structure[static_cast<std::size_t>(tag)].type + " <</MCID " +
                std::to_string(mcid) + ">> BDC\012");
        } else {
            raw(tag == pagination_artifact ? "/Artifact <</Type /Pagination>> BDC\012" : "/Artifact BMC\012");
        }
        marked_ = true;
        marked_tag_ = tag;
    }
};

// Checks every text against its font and records the characters before any font is created:
// the fonts' tables then list exactly what the document draws.
void record_text(const PagedDocument& doc, FontSet& fonts) {
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        const auto& items = doc.pages[p].items;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto* t = std::get_if<TextItem>(&items[i]);
            if (!t) continue;
            if (t->font < 0 || static_cast<std::size_t>(t->font) >= fonts.size())
                throw Error(render_pos(), ItemRef{p, i}.str() + ": text refers to font " +
                                              std::to_string(t->font) + " but the document declares " +
                                              std::to_string(fonts.size()));
            fonts.use_text(static_cast<std::size_t>(t->font), t->text, ItemRef{p, i});
            if (t->space_after) fonts.use_text(static_cast<std::size_t>(t->font), " ", ItemRef{p, i});
        }
    }
}

HPDF_Page draw_page(HaruDocument& haru, FontSet& fonts, ImageSet& images, FormSet& forms, const Page& page,
                    std::size_t index, const PagedDocument& doc, StructureRefs& refs, Deflater& deflater,
                    std::string& content) {
    std::string where = "page " + std::to_string(index + 1);
    if (!all_finite({page.width, page.height}) || page.width <= 0 || page.height <= 0)
        throw Error(render_pos(), where + ": page size is not positive");
    HPDF_Page p = HPDF_AddPage(haru.get());
    haru.check_handle(p, "add " + where);
    haru.check(HPDF_Page_SetWidth(p, real(page.width)), "size " + where);
    haru.check(HPDF_Page_SetHeight(p, real(page.height)), "size " + where);
    content.clear();
    HaruDocument::ContentCapture capture(haru, p, content);
    PageWriter writer(haru, fonts, images, forms, p, page.height, index, doc, refs, content);
    for (std::size_t i = 0; i < page.items.size(); ++i) writer.draw(page.items[i], i);
    writer.finish();
    capture.finish(deflater);
    // libharu closes an open text object or path as it writes the page: after the content stream
    // is compressed, that would append to compressed bytes.
    haru.check(HPDF_Page_GetGMode(p) == HPDF_GMODE_PAGE_DESCRIPTION && HPDF_Page_GetGStateDepth(p) == 1
                   ? HPDF_OK
                   : HPDF_INVALID_PAGE,
               "finish " + where);
    return p;
}

// The structure tree of a tagged document (ISO 32000-1 14.7.2): a StructElem for each node, its
// kids its content (marked-content references and object references to annotations) and its
// child nodes in reading order, which is drawing order (a link's text inside a paragraph's); a
// child with no content at all comes after the rest. The parent tree maps each page's MCIDs and each
// annotation back to its node. The catalog says the document is tagged (/MarkInfo), pages order their
// annotations by structure
// (/Tabs /S), and viewers show the title rather than the file name (/DisplayDocTitle).
void write_structure(HaruDocument& haru, const PagedDocument& doc, const std::vector<HPDF_Page>& pages,
                     const StructureRefs& refs) {
    if (!refs.tagged()) return;
    constexpr std::string_view what = "write the structure tree";
    auto check = [&](HPDF_STATUS status) { haru.check(status, what); };
    auto dict = [&](bool indirect) { return haru.new_dict(indirect, what); };
    auto array = [&] { return haru.new_array(what); };
    HPDF_Dict root = dict(true);
    check(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
    std::vector<HPDF_Dict> elems;
    for (std::size_t i = 0; i < doc.structure.size(); ++i) elems.push_back(dict(true));
    std::vector<std::vector<std::size_t>> children(doc.structure.size());
    for (std::size_t i = 0; i < doc.structure.size(); ++i) {
        const StructNode& n = doc.structure[i];
        bool valid = i == 0 ? n.parent == -1 : n.parent >= 0 && static_cast<std::size_t>(n.parent) < i;
        if (!valid || n.type.empty())
            throw Error(render_pos(),
                        "structure node " + std::to_string(i) + " has no type or a parent after it");
        if (i > 0) children[static_cast<std::size_t>(n.parent)].push_back(i);
    }
    // Where each node's subtree is first drawn; children come after their parents.
    constexpr std::size_t never = static_cast<std::size_t>(-1);
    std::vector<std::size_t> first(doc.structure.size(), never);
    for (std::size_t i = doc.structure.size(); i-- > 0;) {
        for (const StructureRefs::Content& c : refs.content[i]) first[i] = std::min(first[i], c.order);
        if (i > 0) {
            std::size_t& up = first[static_cast<std::size_t>(doc.structure[i].parent)];
            up = std::min(up, first[i]);
        }
    }
    for (std::size_t i = 0; i < doc.structure.size(); ++i) {
        const StructNode& n = doc.structure[i];
        HPDF_Dict e = elems[i];
        check(HPDF_Dict_AddName(e, "Type", "StructElem"));
        check(HPDF_Dict_AddName(e, "S", n.type.c_str()));
        check(HPDF_Dict_Add(e, "P", i == 0 ? root : elems[static_cast<std::size_t>(n.parent)]));
        if (!n.alt.empty() && n.type == "Figure") check(HPDF_Dict_Add(e, "Alt", haru.new_text(n.alt, what)));
        if (!n.lang.empty()) {
            check_language(n.lang);
            check(HPDF_Dict_Add(e, "Lang", haru.new_ascii(n.lang, what)));
        }
        HPDF_Array kids = array();
        const std::vector<StructureRefs::Content>& content = refs.content[i];
        std::size_t next = 0;  // the next content to write, in drawing order
        auto write_content_before = [&](std::size_t order) {
            for (; next < content.size() && content[next].order < order; ++next) {
                const StructureRefs::Content& c = content[next];
                HPDF_Dict ref = dict(false);
                check(HPDF_Dict_AddName(ref, "Type", c.mcid >= 0 ? "MCR" : "OBJR"));
                check(HPDF_Dict_Add(ref, "Pg", pages[c.page]));
                if (c.mcid >= 0)
                    check(HPDF_Dict_AddNumber(ref, "MCID", c.mcid));
                else
                    check(HPDF_Dict_Add(ref, "Obj", c.annot));
                check(HPDF_Array_Add(kids, ref));
            }
        };
        std::vector<std::size_t> ordered = children[i];
        std::stable_sort(ordered.begin(), ordered.end(),
                         [&](std::size_t a, std::size_t b) { return first[a] < first[b]; });
        for (std::size_t child : ordered) {
            write_content_before(first[child]);
            check(HPDF_Array_Add(kids, elems[child]));
        }
        write_content_before(never);
        check(HPDF_Dict_Add(e, "K", kids));
    }
    // The parent tree: key p for page p's MCIDs, then one key per annotation.
    HPDF_Array nums = array();
    for (std::size_t p = 0; p < pages.size(); ++p) {
        check(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(p)));
        HPDF_Array of_page = array();
        for (int node : refs.page_mcids[p])
            check(HPDF_Array_Add(of_page, elems[static_cast<std::size_t>(node)]));
        check(HPDF_Array_Add(nums, of_page));
        check(HPDF_Dict_AddNumber(pages[p], "StructParents", static_cast<HPDF_INT32>(p)));
        check(HPDF_Dict_AddName(pages[p], "Tabs", "S"));
    }
    auto key = static_cast<HPDF_INT32>(pages.size());
    for (std::size_t node = 0; node < refs.content.size(); ++node)
        for (const StructureRefs::Content& c : refs.content[node]) {
            if (c.mcid >= 0) continue;  // an annotation: its own key
            check(HPDF_Array_AddNumber(nums, key));
            check(HPDF_Array_Add(nums, elems[node]));
            check(HPDF_Dict_AddNumber(c.annot, "StructParent", key));
            ++key;
        }
    HPDF_Dict parent_tree = dict(true);
    check(HPDF_Dict_Add(parent_tree, "Nums", nums));
    check(HPDF_Dict_Add(root, "K", elems[0]));
    check(HPDF_Dict_Add(root, "ParentTree", parent_tree));
    check(HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key));
    HPDF_Dict catalog = haru.catalog();
    check(HPDF_Dict_Add(catalog, "StructTreeRoot", root));
    HPDF_Dict mark_info = dict(false);
    check(HPDF_Dict_AddBoolean(mark_info, "Marked", HPDF_TRUE));
    check(HPDF_Dict_Add(catalog, "MarkInfo", mark_info));
    HPDF_Dict viewer = dict(false);
    check(HPDF_Dict_AddBoolean(viewer, "DisplayDocTitle", HPDF_TRUE));
    check(HPDF_Dict_Add(catalog, "ViewerPreferences", viewer));
}

// The outline (bookmarks, ISO 32000-1 12.3.3): one entry a section heading, opening its page
// with the heading at the top, the page's width fitted; the viewer shows it when the file opens.
void write_outline(HaruDocument& haru, const PagedDocument& doc, const std::vector<HPDF_Page>& pages) {
    if (doc.outline.empty()) return;
    HPDF_Doc pdf = haru.get();
    std::vector<HPDF_Outline> entries;
    for (const Bookmark& b : doc.outline) {
        if (b.page >= pages.size() || !all_finite({b.y}))
            throw Error(render_pos(), "bookmark \"" + b.title + "\" points outside the document");
        if (b.parent >= static_cast<int>(entries.size()))
            throw Error(render_pos(),
                        "bookmark \"" + b.title + "\" is under an entry that does not come before it");
        HPDF_Outline parent = b.parent < 0 ? nullptr : entries[static_cast<std::size_t>(b.parent)];
        // The title as a text string of ours, in the place libharu gave its own.
        HPDF_Outline entry = HPDF_CreateOutline(pdf, parent, "", nullptr);
        haru.check_handle(entry, "write the outline");
        haru.check(HPDF_Dict_Add(entry, "Title", haru.new_text(b.title, "write the outline")),
                   "write the outline");
        // The destination written in the entry itself, [page /FitH top]: libharu's destinations
        // are indirect objects, which PDF/A validators (PDFBox) do not resolve as a /Dest. An
        // entry is no /Outlines dictionary, whatever libharu types it (ISO 32000-1 12.3.3).
        HPDF_Array at = haru.new_array("write the outline");
        double top = std::clamp(doc.pages[b.page].height - b.y, 0.0, doc.pages[b.page].height);
        haru.check(HPDF_Array_Add(at, pages[b.page]), "write the outline");
        haru.check(HPDF_Array_AddName(at, "FitH"), "write the outline");
        haru.check(HPDF_Array_AddReal(at, real(top)), "write the outline");
        haru.check(HPDF_Dict_Add(entry, "Dest", at), "write the outline");
        haru.check(HPDF_Dict_RemoveElement(entry, "Type"), "write the outline");
        // An entry with entries under it shows them (a combined edition's languages).
        if (parent) haru.check(HPDF_Outline_SetOpened(parent, HPDF_TRUE), "write the outline");
        entries.push_back(entry);
    }
    haru.check(HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE), "write the outline");
}

// The page labels (ISO 32000-1 12.4.2): from each label's first page on, its prefix and decimal
// numbers from 1. libharu's HPDF_AddPageLabel writes the prefix as a byte string; the labels
// here are written with the object layer, the prefix a text string.
void write_page_labels(HaruDocument& haru, const PagedDocument& doc) {
    if (doc.labels.empty()) return;
    constexpr std::string_view what = "write the page labels";
    HPDF_Array nums = haru.new_array(what);
    std::size_t previous = 0;
    for (std::size_t i = 0; i < doc.labels.size(); ++i) {
        const PageLabel& label = doc.labels[i];
        if (label.first >= doc.pages.size() || (i > 0 && label.first <= previous) ||
            (i == 0 && label.first != 0))
            throw Error(render_pos(), "page labels must start at the first page and go forward");
        previous = label.first;
        haru.check(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(label.first)), what);
        HPDF_Dict style = haru.new_dict(false, what);
        haru.check(HPDF_Dict_AddName(style, "S", "D"), what);
        if (!label.prefix.empty())
            haru.check(HPDF_Dict_Add(style, "P", haru.new_text(label.prefix, what)), what);
        haru.check(HPDF_Array_Add(nums, style), what);
    }
    HPDF_Dict tree = haru.new_dict(false, what);
    haru.check(HPDF_Dict_Add(tree, "Nums", nums), what);
    haru.check(HPDF_Dict_Add(haru.catalog(), "PageLabels", tree), what);
}

// libdeflate's level 6, zlib's default. Measured on the Mali factsheet (English): level 1 saves
// 0.2 ms per factsheet and makes the file 7% larger; level 9 costs 0.9 ms more for a file 1.4%
// smaller.
constexpr int kCompressionLevel = 6;

}  // namespace

struct PdfRenderer::State {
    HaruDocument haru;
    Deflater deflater{kCompressionLevel};
    bool fresh = true;                                         // haru holds the empty document HPDF_New made
    std::map<std::string, std::unique_ptr<LoadedFont>> fonts;  // by path
    std::string content;  // a page's content as it is drawn, its buffer kept from page to page

    const LoadedFont& font(const std::string& path) {
        auto it = fonts.find(path);
        if (it == fonts.end())
            it = fonts.emplace(path, pdf_detail::load_font(path, default_cache_folder())).first;
        return *it->second;
    }
};

// Text strings are written by utf16_text_string, not by libharu's UTF-8 encoder: no encoder is
// ever enabled, nor its tables built.
PdfRenderer::PdfRenderer() : state_(std::make_unique<State>()) {}

PdfRenderer::~PdfRenderer() = default;
PdfRenderer::PdfRenderer(PdfRenderer&&) noexcept = default;
PdfRenderer& PdfRenderer::operator=(PdfRenderer&&) noexcept = default;

std::optional<PdfDate> parse_pdf_date(std::string_view text) {
    bool has_time = text.size() == 19;
    if (text.size() != 10 && !has_time) return std::nullopt;
    std::optional<Date> day = parse_iso_date(text.substr(0, 10));
    if (!day) return std::nullopt;
    PdfDate d;
    d.year = day->year;
    d.month = day->month;
    d.day = day->day;
    if (has_time) {  // "THH:MM:SS"
        for (std::size_t i = 10; i < text.size(); ++i) {
            char c = text[i];
            bool separator = i == 10 || i == 13 || i == 16;
            char expected = i == 10 ? 'T' : ':';
            if (separator ? c != expected : (c < '0' || c > '9')) return std::nullopt;
        }
        auto number = [&](std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
        d.hour = number(11);
        d.minute = number(14);
        d.second = number(17);
    }
    if (!is_real_date(d)) return std::nullopt;
    return d;
}

std::string PdfRenderer::render(const PagedDocument& doc, const RenderOptions& options) {
    if (doc.pages.empty()) throw Error(render_pos(), "the document has no pages; nothing to render");
    State& state = *state_;
    HaruDocument& haru = state.haru;
    const pdf_detail::HaruHeap::Scope heap = haru.use_heap();
    if (!state.fresh) haru.start();
    state.fresh = false;
    HPDF_Doc pdf = haru.get();
    // Streams are compressed by compress_streams(), faster than libharu's zlib.
    haru.check(HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE), "turn off libharu's compression");
    XmpFields xmp = write_info(haru, doc.info, options);
    std::vector<const LoadedFont*> loaded;
    loaded.reserve(doc.fonts.size());
    for (const FontFile& file : doc.fonts) loaded.push_back(&state.font(file.path));
    FontSet fonts(haru, state.deflater, std::move(loaded));
    record_text(doc, fonts);
    StructureRefs refs;
    if (!doc.structure.empty()) {
        refs.content.resize(doc.structure.size());
        refs.page_mcids.resize(doc.pages.size());
    }
    std::vector<HPDF_Page> pages;
    ImageSet images(haru, doc);
    FormSet forms(haru, state.deflater);
    for (std::size_t i = 0; i < doc.pages.size(); ++i)
        pages.push_back(
            draw_page(haru, fonts, images, forms, doc.pages[i], i, doc, refs, state.deflater, state.content));
    write_structure(haru, doc, pages, refs);
    xmp.pdfua = refs.tagged();
    write_outline(haru, doc, pages);
    write_page_labels(haru, doc);
    fonts.embed();
    pdf_detail::make_pdfa(haru, xmp, state.deflater);
    haru.compress_streams(state.deflater);
    std::string bytes = haru.save();
    pdf_detail::set_document_id(bytes);
    return bytes;
}

std::string render_pdf(const PagedDocument& doc, const RenderOptions& options) {
    return PdfRenderer().render(doc, options);
}

}  // namespace factsheet

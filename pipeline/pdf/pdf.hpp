// Stage 5: draws laid-out pages into a PDF with libharu. Makes no layout decision.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "layout/page.hpp"

namespace factsheet {

/// A moment to the second, in UTC: the document's dates carry no other time zone.
struct PdfDate {
    int year = 2000, month = 1, day = 1;
    int hour = 0, minute = 0, second = 0;
    bool operator==(const PdfDate&) const = default;
};

/// Reads "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS"; nothing when it is neither or no such day exists.
std::optional<PdfDate> parse_pdf_date(std::string_view text);

/// What the program says of a document, beyond its pages: written into the catalog, the Info
/// dictionary and the XMP metadata.
struct RenderOptions {
    std::string lang;             // BCP 47 ("en", "fr"): the catalog's /Lang, dc:language; empty: none
    std::string creator;          // the program and its version: /Creator, xmp:CreatorTool
    std::optional<PdfDate> date;  // /CreationDate and /ModDate, their XMP twins; none: no date
    /// Further Info entries (key of letters and digits, text value), in this order: the edition
    /// stamped by the archive.
    std::vector<std::pair<std::string, std::string>> stamps;
};

/// Renders documents to PDF/A-1b bytes: fonts embedded as subsets with an exact ToUnicode map,
/// streams compressed, metadata (Info and XMP) and /Lang set, links as URI annotations. Same input, same
/// bytes, whatever was rendered before. Keeps libharu's handle and the font files it has loaded between
/// documents, so a batch pays for them once; not thread-safe: one renderer per thread.
class PdfRenderer {
public:
    PdfRenderer();
    ~PdfRenderer();
    PdfRenderer(PdfRenderer&&) noexcept;
    PdfRenderer& operator=(PdfRenderer&&) noexcept;

    /// Throws Error when libharu fails or a font cannot be loaded; the renderer stays usable.
    std::string render(const PagedDocument& doc, const RenderOptions& options = {});

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Renders one document with a renderer of its own.
std::string render_pdf(const PagedDocument& doc, const RenderOptions& options = {});

}  // namespace factsheet

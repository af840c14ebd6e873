// Stage 5: draws laid-out pages into a PDF with libharu. Makes no layout decision.
#pragma once

#include <memory>
#include <string>

#include "layout/page.hpp"

namespace factsheet {

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
    std::string render(const PagedDocument& doc);

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Renders one document with a renderer of its own.
std::string render_pdf(const PagedDocument& doc);

}  // namespace factsheet

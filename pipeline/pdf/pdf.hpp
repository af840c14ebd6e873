// Stage 5: draws laid-out pages into a PDF with libharu. Makes no layout decision.
#pragma once

#include <string>

#include "layout/page.hpp"

namespace factsheet {

/// Renders the document to PDF bytes: fonts embedded as subsets with an exact ToUnicode map,
/// streams compressed, metadata and /Lang set, links as URI annotations. Same input, same bytes.
/// Throws Error when libharu fails or a font cannot be loaded.
std::string render_pdf(const PagedDocument& doc);

}  // namespace factsheet

// Inside the layout stage: documents laid out on their own, put one after the other in one
// document (the combined English and French edition).
#pragma once

#include <string>
#include <vector>

#include "layout/page.hpp"

namespace factsheet {

/// One document to combine, and how the combined one names it.
struct CombinedPart {
    PagedDocument doc;
    std::string lang;          // its language (BCP 47): a Part node that says so, unless the first's
    std::string bookmark;      // the outline entry its own entries go under: "English"
    std::string label_prefix;  // its pages' labels: "EN-" gives EN-1, EN-2...
};

/// The parts' pages one after the other, each part keeping its own page numbers (page labels);
/// fonts and images each listed once; the logical structure a Document of one Part per part, in
/// order, the first part's language the document's; the outline one entry per part with its own
/// entries under it. The info is the first part's, its title joined with the others' by " / ".
PagedDocument combine(std::vector<CombinedPart> parts);

}  // namespace factsheet

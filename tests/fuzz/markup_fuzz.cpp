// Fuzz target for the layout markup reader (stage 4). Contract: whatever the markup,
// LayoutEngine::lay_out returns pages or throws factsheet::Error; anything worse (a crash, a
// sanitizer report, another exception, a hang) is a bug. The style sheet is built here with a
// fixed-metrics font, so the target reads no file but the hyphenation dictionaries.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "layout/fixed_font.hpp"
#include "layout/layout.hpp"

namespace {

using namespace factsheet;

// Styles named as in the factsheet layout, so that inputs taken from real markup find them.
StyleSheet fuzz_sheet() {
    StyleSheet sheet;
    sheet.file = "styles.xml";
    sheet.page = PageGeometry{300, 400, 30, 30, 20, 20, 10, 10};
    sheet.fonts.push_back(std::make_shared<test::FixedFont>());
    sheet.fonts.push_back(std::make_shared<test::FixedFont>());
    sheet.font_names["regular"] = 0;
    sheet.font_names["bold"] = 1;
    Style body;
    body.name = "body";
    body.bold_font = 1;
    body.align = Align::justify;
    body.hyphenate = true;
    body.space_after = 4;
    sheet.styles["body"] = body;
    Style heading = body;
    heading.name = "heading";
    heading.font = 1;
    heading.size = 14;
    heading.leading = 17;
    heading.align = Align::left;
    heading.hyphenate = false;
    heading.space_before = 12;
    sheet.styles["heading"] = heading;
    Style small = body;
    small.name = "small";
    small.size = 7;
    small.leading = 9;
    small.align = Align::left;
    sheet.styles["small"] = small;
    Style right = small;
    right.name = "small-right";
    right.align = Align::right;
    sheet.styles["small-right"] = right;
    Style center = small;
    center.name = "center";
    center.align = Align::center;
    sheet.styles["center"] = center;
    Style box;
    box.name = "box";
    box.padding = {6, 8, 6, 8};
    box.background = Color{0.9, 0.9, 0.9};
    box.border = Color{0, 0, 0};
    box.border_width = 0.5;
    sheet.styles["box"] = box;
    Style row;
    row.name = "row";
    row.gap = 8;
    sheet.styles["row"] = row;
    Style bar;
    bar.name = "bar";
    bar.height = 4;
    bar.background = Color{0.8, 0.8, 0.8};
    sheet.styles["bar"] = bar;
    Style rule;
    rule.name = "rule";
    rule.height = 0.5;
    sheet.styles["rule"] = rule;
    return sheet;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const LayoutEngine engine(fuzz_sheet());
    std::string_view markup(reinterpret_cast<const char*>(data), size);
    std::vector<Diagnostic> warnings;
    LayoutReport report;
    try {
        PagedDocument doc = engine.lay_out(markup, "fuzz.markup.xml", warnings, &report);
        (void)doc;
    } catch (const Error& e) {
        if (e.diagnostics().empty() || e.diagnostics().front().message.empty()) __builtin_trap();
    }
    return 0;
}

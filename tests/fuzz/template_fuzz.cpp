// Fuzz target for a layout's template and styles file (stages 3 and 4). An input is a template,
// then, after a NUL byte, a styles file. Contract: whatever they hold, Template parses and renders
// over the sample view, and parse_styles returns a sheet, or each throws factsheet::Error; anything
// worse (a crash, a sanitizer report, another exception, a hang, memory without bound) is a bug.
// The corpus starts from the files of layouts/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "layout/styles.hpp"
#include "locale/locale.hpp"
#include "source/source.hpp"
#include "templates/templates.hpp"

namespace {

using namespace factsheet;

// The view the template is rendered over: a small source with every part a layout reads.
const View& sample_view() {
    static const View view = [] {
        Operation op = read_operation(FACTSHEET_SOURCE_DIR "/tests/bad_input/valid.xml");
        Labels labels = read_labels(FACTSHEET_SOURCE_DIR "/layouts/factsheet/labels.xml");
        return build_view(op, labels, Lang::fr);
    }();
    return view;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t nul = input.find('\0');
    std::string tmpl(input.substr(0, nul));
    try {
        Template t(tmpl, "factsheet.mustache");
        t.render(sample_view());
    } catch (const Error&) {}
    if (nul != std::string_view::npos) {
        try {
            parse_styles(input.substr(nul + 1), "styles.xml");
        } catch (const Error&) {}
    }
    return 0;
}

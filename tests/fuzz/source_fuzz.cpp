// Fuzz target for the source reader (stage 1). Contract: whatever the bytes, parse_operation
// returns an Operation or throws factsheet::Error; anything worse (a crash, a sanitizer report,
// another exception, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "source/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view xml(reinterpret_cast<const char*>(data), size);
    try {
        factsheet::Operation op = factsheet::parse_operation(xml, "fuzz.xml");
        (void)op;
    } catch (const factsheet::Error& e) {
        // Every error names a place and says something.
        if (e.diagnostics().empty() || e.diagnostics().front().message.empty()) __builtin_trap();
    }
    return 0;
}

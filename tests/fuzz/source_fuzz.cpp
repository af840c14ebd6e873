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
    // Read for both editions, and for drafts of neither, where missing texts are kept, not thrown.
    for (const factsheet::EditionPlan& plan : {factsheet::EditionPlan{}, factsheet::EditionPlan{{}, true}}) {
        try {
            factsheet::Operation op = factsheet::parse_operation(xml, "fuzz.xml", plan);
            // A missing text kept is one the plan does without, and says where and what.
            for (const factsheet::MissingText& m : op.missing_texts)
                if (factsheet::stops(m, plan) || m.problem.message.empty()) __builtin_trap();
        } catch (const factsheet::Error& e) {
            // Every error names a place and says something.
            if (e.diagnostics().empty() || e.diagnostics().front().message.empty()) __builtin_trap();
        }
    }
    return 0;
}

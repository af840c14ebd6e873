// The text of a PDF's pages, read with poppler (libpoppler-cpp). Built as a module of its own that
// the archive loads (dlopen) the first time it reads a PDF's text: linked into the program,
// poppler's libraries cost every run about 30 ms before main, and only the archive reads text.
// One C function, so that the program needs none of poppler's C++ symbols.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>

#include "archive/poppler/pdf_text_module.h"

namespace {

void quiet(const std::string&, void*) {}  // poppler's messages would go to stderr otherwise

void set_problem(char* problem, std::size_t size, const char* text) {
    if (size == 0) return;
    std::strncpy(problem, text, size - 1);
    problem[size - 1] = '\0';
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int factsheet_pdf_text(const char* bytes, std::size_t size,
                                                                         factsheet_pdf_page_text page,
                                                                         void* context, char* problem,
                                                                         std::size_t problem_size) {
    try {
        poppler::set_debug_error_function(quiet, nullptr);
        // poppler keeps a pointer to the bytes and reads them as it goes: they outlive the document.
        std::unique_ptr<poppler::document> document(
            poppler::document::load_from_raw_data(bytes, static_cast<int>(size)));
        if (!document) {
            set_problem(problem, problem_size, "poppler cannot open it");
            return 1;
        }
        if (document->is_locked()) {
            set_problem(problem, problem_size, "it is encrypted");
            return 1;
        }
        for (int i = 0; i < document->pages(); ++i) {
            std::unique_ptr<poppler::page> p(document->create_page(i));
            std::string text;
            if (p) {
                poppler::byte_array utf8 =
                    p->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
                text.assign(utf8.begin(), utf8.end());
            }
            page(context, i + 1, text.data(), text.size());
        }
        return 0;
    } catch (const std::exception& e) {
        set_problem(problem, problem_size, e.what());
    } catch (...) {
        set_problem(problem, problem_size, "unknown failure");
    }
    return 1;
}

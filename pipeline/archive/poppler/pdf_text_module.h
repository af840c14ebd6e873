/* The C interface of the archive's text module (pdf_text_module.cxx): what the archive looks up
   with dlsym. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives the text of one page (number from 1), UTF-8, not NUL-terminated. */
typedef void (*factsheet_pdf_page_text)(void* context, int page, const char* text, size_t size);

/* Calls `page` for every page of the PDF in `bytes`, in order. Returns 0, or 1 with what went
   wrong in `problem` (NUL-terminated, at most problem_size bytes). Never throws. */
int factsheet_pdf_text(const char* bytes, size_t size, factsheet_pdf_page_text page, void* context,
                       char* problem, size_t problem_size);

#ifdef __cplusplus
}
#endif

/* The function's type, for dlsym. */
typedef int factsheet_pdf_text_fn(const char* bytes, size_t size, factsheet_pdf_page_text page, void* context,
                                  char* problem, size_t problem_size);

// Private to the pdf stage: owns one libharu document and turns its error callbacks into Error.
#pragma once

#include <hpdf.h>

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace factsheet::pdf_detail {

/// Where problems with the document as a whole are reported: the renderer writes to memory and
/// never learns the output file's name.
SourcePos render_pos();

class Deflater;

/// One libharu handle, freed on every path, that writes one document after another: the fonts
/// loaded into it stay loaded between documents. libharu reports failures through a callback; the
/// callback only records them, and check() throws after the C call has returned, so no exception
/// ever crosses libharu's frames.
class HaruDocument {
public:
    /// Creates the handle with an empty document; throws Error when libharu cannot allocate it.
    HaruDocument();
    ~HaruDocument();
    HaruDocument(const HaruDocument&) = delete;
    HaruDocument& operator=(const HaruDocument&) = delete;

    /// The libharu handle, for the C calls.
    HPDF_Doc get() const { return doc_; }

    /// Throws Error at `pos` when libharu recorded a failure or `status` is not HPDF_OK.
    void check(HPDF_STATUS status, std::string_view what, const SourcePos& pos) const;
    /// The same, with the document-wide position.
    void check(HPDF_STATUS status, std::string_view what) const { check(status, what, render_pos()); }
    /// Throws Error when a libharu call that returns a handle gave NULL or recorded a failure.
    void check_handle(const void* handle, std::string_view what, const SourcePos& pos) const;
    /// The same, with the document-wide position.
    void check_handle(const void* handle, std::string_view what) const {
        check_handle(handle, what, render_pos());
    }

    /// Whether libharu has reported a failure (check() then throws).
    bool failed() const { return failure_.code != HPDF_OK; }

    /// Starts a new, empty document: frees the previous one and forgets its failure, keeps the
    /// loaded fonts and encoders (HPDF_NewDoc).
    void start();

    /// Compresses every stream of the document not compressed yet (all of them: libharu's own
    /// compression stays off) but the XMP metadata, and marks it /FlateDecode. Call it once, when nothing
    /// more is drawn.
    void compress_streams(Deflater& deflater);

    /// Serializes the document and returns its bytes; then frees the document (not the fonts).
    std::string save();

private:
    /// The first failure libharu reported; later ones are usually consequences of it.
    struct Failure {
        HPDF_STATUS code = HPDF_OK;
        HPDF_STATUS detail = 0;
    };

    static void HPDF_STDCALL record_failure(HPDF_STATUS code, HPDF_STATUS detail, void* failure);

    Failure failure_;  // before doc_: its address is handed to libharu for the document's lifetime
    HPDF_Doc doc_ = nullptr;
};

}  // namespace factsheet::pdf_detail

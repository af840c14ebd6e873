// Private to the pdf stage: the one adapter to libharu. Owns one libharu document, turns its error
// callbacks into Error, and is the only code that reads or writes libharu's structures rather
// than calling its functions: the rest of the stage builds objects through the calls below.
#pragma once

#include <hpdf.h>

#include <array>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "pdf/haru_heap.hpp"

namespace factsheet::pdf_detail {

/// Where problems with the document as a whole are reported: the renderer writes to memory and
/// never learns the output file's name.
SourcePos render_pos();

/// A text string (ISO 32000-1 7.9.2.2) of UTF-8 text as the program writes every one: the byte
/// order mark FE FF, then UTF-16BE, a code point beyond the BMP as its surrogate pair; malformed
/// UTF-8 as U+FFFD. Byte for byte what libharu's UTF-8 encoder wrote for the BMP, without the
/// 256 KB of tables that encoder builds for each handle.
std::string utf16_text_string(std::string_view utf8);

class Deflater;

/// The bytes of a compressed stream HaruDocument keeps for libharu, which reads them when it saves
/// (a callback reader whose data this is).
struct StreamSource {
    std::string bytes;
    std::size_t at = 0;  // where libharu reads next
};

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

    /// While it lives, what libharu allocates on this thread comes from this handle's heap
    /// (HaruHeap): to be held around the calls that make a document.
    [[nodiscard]] HaruHeap::Scope use_heap() { return HaruHeap::Scope(heap_); }

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

    // The object layer, for what libharu's document calls do not write. Each call throws Error
    // naming `what` when libharu fails.

    /// The current document's catalog, Info dictionary and trailer.
    HPDF_Dict catalog() const;
    HPDF_Dict info() const;
    HPDF_Dict trailer() const;
    /// A new dictionary; an indirect one is an object of the file (referred to, not copied).
    HPDF_Dict new_dict(bool indirect, std::string_view what, const SourcePos& pos = render_pos());
    /// A new indirect stream object holding `bytes`, compressed by compress_streams().
    HPDF_Dict new_stream(std::string_view bytes, std::string_view what, const SourcePos& pos = render_pos());
    /// A new indirect stream object holding `deflated`, bytes already compressed with zlib's
    /// format: written /FlateDecode as they are, never compressed again.
    HPDF_Dict new_deflated_stream(std::string deflated, std::string_view what,
                                  const SourcePos& pos = render_pos());
    /// Makes `deflated` the data of a stream libharu made, as new_deflated_stream's: kept here
    /// until the document is freed, and read by libharu when it saves.
    void set_deflated(HPDF_Dict stream, std::string deflated, std::string_view what, const SourcePos& pos);
    /// A new form XObject (ISO 32000-1 8.10) of `width` x `height` points whose content stream is
    /// `deflated` (as new_deflated_stream), using no resources: what HPDF_Page_ExecuteXObject
    /// draws.
    HPDF_XObject new_form(std::string_view deflated, double width, double height, std::string_view what,
                          const SourcePos& pos = render_pos());
    /// A new array.
    HPDF_Array new_array(std::string_view what, const SourcePos& pos = render_pos());
    /// A text string (ISO 32000-1 7.9.2.2) of UTF-8 text: UTF-16BE with its byte order mark
    /// (utf16_text_string), written in hex.
    HPDF_Binary new_text(const std::string& utf8, std::string_view what, const SourcePos& pos = render_pos());
    /// A byte string of ASCII text, written as it is.
    HPDF_String new_ascii(const std::string& text, std::string_view what,
                          const SourcePos& pos = render_pos());
    /// A string of raw bytes, written in hex.
    HPDF_Binary new_binary(std::string_view bytes, std::string_view what);

    /// While it lives, what libharu's drawing calls draw on `page` is appended to `content`, a
    /// string of the caller's, instead of libharu's memory stream (which copied it a byte at a time,
    /// for compress_streams() to read it all back and write it again). finish() then writes it,
    /// compressed, as the page's content stream; destroyed without finish() (a failure while
    /// drawing), it leaves the page's stream as it was.
    class ContentCapture {
    public:
        ContentCapture(HaruDocument& haru, HPDF_Page page, std::string& content);
        ~ContentCapture();
        ContentCapture(const ContentCapture&) = delete;
        ContentCapture& operator=(const ContentCapture&) = delete;
        /// Ends the capture: the page's content stream holds `content` deflated (or nothing, and no
        /// filter, when nothing was drawn), and compress_streams() passes it by.
        void finish(Deflater& deflater);

    private:
        void release();
        HaruDocument& haru_;
        HPDF_Page page_;
        HPDF_Stream capture_ = nullptr;
        std::string& content_;
    };
    /// The PDF version the file's header declares.
    void set_version(HPDF_PDFVer version);

    /// MD5 (RFC 1321) of `bytes`, with libharu's own digest: ISO 32000-1 14.4 suggests it for a
    /// file identifier, and it spares loading a crypto library for that.
    static std::array<HPDF_BYTE, 16> md5(std::string_view bytes);

private:
    /// The first failure libharu reported; later ones are usually consequences of it.
    struct Failure {
        HPDF_STATUS code = HPDF_OK;
        HPDF_STATUS detail = 0;
    };

    static void HPDF_STDCALL record_failure(HPDF_STATUS code, HPDF_STATUS detail, void* failure);

    HaruHeap heap_;    // before doc_: destroyed after HPDF_Free has given every block back
    Failure failure_;  // before doc_: its address is handed to libharu for the document's lifetime
    // Before doc_ too: the current document's streams read from them until it is freed.
    std::deque<StreamSource> sources_;
    HPDF_Doc doc_ = nullptr;
};

}  // namespace factsheet::pdf_detail

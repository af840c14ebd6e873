#include "pdf/haru.hpp"

#include "common/utf8.hpp"

#include <hpdf_encrypt.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "pdf/deflate.hpp"

namespace factsheet::pdf_detail {

namespace {

// Names for the failures a caller can cause; the rest are reported by number (see hpdf_error.h).
const char* failure_name(HPDF_STATUS code) {
    switch (code) {
        case HPDF_FILE_OPEN_ERROR: return "file cannot be opened";
        case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
        case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font licence forbids embedding";
        case HPDF_TTF_INVALID_CMAP: return "font has no usable Unicode cmap";
        case HPDF_TTF_INVALID_FOMAT: return "not a TrueType font";
        case HPDF_TTF_MISSING_TABLE: return "font lacks a required table";
        case HPDF_UNSUPPORTED_FONT_TYPE: return "unsupported font type";
        case HPDF_INVALID_DATE_TIME: return "invalid date";
        case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
        case HPDF_REAL_OUT_OF_RANGE: return "number out of range";
        case HPDF_STRING_OUT_OF_RANGE: return "string too long";
        case HPDF_PAGE_INVALID_FONT: return "invalid font";
        case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
        default: return nullptr;
    }
}

std::string describe(HPDF_STATUS code, HPDF_STATUS detail) {
    char number[64];
    std::snprintf(number, sizeof number, "libharu error 0x%04lX, detail %lu", code, detail);
    const char* name = failure_name(code);
    return name ? std::string(name) + " (" + number + ")" : std::string(number);
}

}  // namespace

SourcePos render_pos() {
    return SourcePos{"pdf", 0, 0};
}

HaruDocument::HaruDocument() {
    HaruHeap::Scope scope(heap_);
    doc_ = HPDF_NewEx(&HaruDocument::record_failure, &HaruHeap::allocate, &HaruHeap::release, 0, &failure_);
    if (!doc_) throw Error(render_pos(), "cannot create a pdf document: libharu is out of memory");
}

HaruDocument::~HaruDocument() {
    HPDF_Free(doc_);
}

void HPDF_STDCALL HaruDocument::record_failure(HPDF_STATUS code, HPDF_STATUS detail, void* failure) {
    auto* f = static_cast<Failure*>(failure);
    if (f->code == HPDF_OK) *f = Failure{code, detail};
}

void HaruDocument::check(HPDF_STATUS status, std::string_view what, const SourcePos& pos) const {
    if (failure_.code != HPDF_OK)
        throw Error(pos, "cannot " + std::string(what) + ": " + describe(failure_.code, failure_.detail));
    // Some calls refuse without going through the callback (e.g. a link-only call on another
    // annotation type): their status is the only sign.
    if (status != HPDF_OK) throw Error(pos, "cannot " + std::string(what) + ": " + describe(status, 0));
}

void HaruDocument::check_handle(const void* handle, std::string_view what, const SourcePos& pos) const {
    check(handle ? HPDF_OK : HPDF_INVALID_OBJECT, what, pos);
}

void HaruDocument::start() {
    HaruHeap::Scope scope(heap_);
    failure_ = Failure{};
    check(HPDF_NewDoc(doc_), "start a pdf document");
    sources_.clear();  // the last document's streams went with it
}

namespace {

// Written into the dictionary of a stream compressed by compress_streams(): libharu removes a
// /Filter entry from the dictionary of a stream it does not compress itself.
HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// The write function of a stream that appends to the std::string its `attr` points to.
HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* bytes, HPDF_UINT size) {
    static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(bytes), size);
    return HPDF_OK;
}

}  // namespace

void HaruDocument::compress_streams(Deflater& deflater) {
    HPDF_List entries = doc_->xref->entries;
    std::string data;
    for (HPDF_UINT i = 0; i < entries->count; ++i) {
        auto* entry = static_cast<HPDF_XrefEntry>(HPDF_List_ItemAt(entries, i));
        auto* header = static_cast<HPDF_Obj_Header*>(entry->obj);
        if (!header || (header->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT) continue;
        auto* dict = static_cast<HPDF_Dict>(entry->obj);
        HPDF_Stream stream = dict->stream;
        if (!stream || dict->filter != HPDF_STREAM_FILTER_NONE || dict->write_fn) continue;
        // ISO 19005-1 6.7.2: the metadata stream has no /Filter, so that any tool can read it.
        auto* type = static_cast<HPDF_Name>(HPDF_Dict_GetItem(dict, "Type", HPDF_OCLASS_NAME));
        if (type && std::strcmp(type->value, "Metadata") == 0) continue;
        check(stream->type == HPDF_STREAM_MEMORY ? HPDF_OK : HPDF_INVALID_STREAM, "compress a stream");
        HPDF_UINT32 size = HPDF_Stream_Size(stream);
        if (size == 0) continue;
        data.resize(size);
        check(HPDF_Stream_Seek(stream, 0, HPDF_SEEK_SET), "compress a stream");
        HPDF_UINT read = size;
        HPDF_STATUS status = HPDF_Stream_Read(stream, reinterpret_cast<HPDF_BYTE*>(data.data()), &read);
        check(read == size && (status == HPDF_OK || status == HPDF_STREAM_EOF) ? HPDF_OK : HPDF_STREAM_EOF,
              "compress a stream");
        std::string packed = deflater.compress(data);
        HPDF_MemStream_FreeData(stream);
        check(HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(packed.data()),
                                static_cast<HPDF_UINT>(packed.size())),
              "compress a stream");
        dict->write_fn = write_flate_filter;
    }
}

std::string HaruDocument::save() {
    // libharu serializes into the document's stream: one that appends to `bytes`, instead of the
    // memory stream it would make (written a byte at a time, then read out whole). HPDF_FreeDoc
    // frees it, as it frees its own.
    std::string bytes;
    bytes.reserve(std::size_t{1} << 16);
    if (doc_->stream) HPDF_Stream_Free(doc_->stream);
    doc_->stream = HPDF_CallbackWriter_New(doc_->mmgr, append_to_string, &bytes);
    check_handle(doc_->stream, "serialize the pdf");
    const HPDF_STATUS saved = HPDF_SaveToStream(doc_);
    HPDF_FreeDoc(doc_);  // the stream too: nothing writes to `bytes` past here
    check(saved, "serialize the pdf");
    check(bytes.empty() ? HPDF_INVALID_STREAM : HPDF_OK, "serialize the pdf");
    return bytes;
}

HPDF_Dict HaruDocument::catalog() const {
    return doc_->catalog;
}

HPDF_Dict HaruDocument::info() const {
    return doc_->info;
}

HPDF_Dict HaruDocument::trailer() const {
    return doc_->trailer;
}

HPDF_Dict HaruDocument::new_dict(bool indirect, std::string_view what, const SourcePos& pos) {
    HPDF_Dict dict = HPDF_Dict_New(doc_->mmgr);
    check_handle(dict, what, pos);
    if (indirect) check(HPDF_Xref_Add(doc_->xref, dict), what, pos);
    return dict;
}

HPDF_Dict HaruDocument::new_stream(std::string_view bytes, std::string_view what, const SourcePos& pos) {
    HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    check_handle(stream, what, pos);
    check(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                            static_cast<HPDF_UINT>(bytes.size())),
          what, pos);
    return stream;
}

namespace {

// The functions of a stream libharu reads from a StreamSource (its `attr`).
StreamSource& source_of(HPDF_Stream stream) {
    return *static_cast<StreamSource*>(stream->attr);
}

HPDF_STATUS read_source(HPDF_Stream stream, HPDF_BYTE* into, HPDF_UINT* size) {
    StreamSource& source = source_of(stream);
    const std::size_t n = std::min<std::size_t>(*size, source.bytes.size() - source.at);
    std::memcpy(into, source.bytes.data() + source.at, n);
    source.at += n;
    const bool short_read = n < *size;
    *size = static_cast<HPDF_UINT>(n);
    return short_read ? HPDF_STREAM_EOF : HPDF_OK;
}

HPDF_STATUS seek_source(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode) {
    StreamSource& source = source_of(stream);
    const long long base = mode == HPDF_SEEK_CUR   ? static_cast<long long>(source.at)
                           : mode == HPDF_SEEK_END ? static_cast<long long>(source.bytes.size())
                                                   : 0;
    const long long to = base + pos;
    if (to < 0 || to > static_cast<long long>(source.bytes.size())) return HPDF_STREAM_EOF;
    source.at = static_cast<std::size_t>(to);
    return HPDF_OK;
}

HPDF_INT32 tell_source(HPDF_Stream stream) {
    return static_cast<HPDF_INT32>(source_of(stream).at);
}

HPDF_UINT32 size_source(HPDF_Stream stream) {
    return static_cast<HPDF_UINT32>(source_of(stream).bytes.size());
}

}  // namespace

HPDF_Dict HaruDocument::new_deflated_stream(std::string deflated, std::string_view what,
                                            const SourcePos& pos) {
    HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    check_handle(stream, what, pos);
    set_deflated(stream, std::move(deflated), what, pos);
    return stream;
}

void HaruDocument::set_deflated(HPDF_Dict stream, std::string deflated, std::string_view what,
                                const SourcePos& pos) {
    // The bytes stay ours, read by libharu when it saves, instead of copied into its memory stream
    // a byte at a time and read back from it.
    check(deflated.size() <= 0x7FFFFFFF ? HPDF_OK : HPDF_STREAM_EOF, what, pos);
    StreamSource& source = sources_.emplace_back(StreamSource{std::move(deflated), 0});
    HPDF_Stream reader =
        HPDF_CallbackReader_New(doc_->mmgr, read_source, seek_source, tell_source, size_source, &source);
    check_handle(reader, what, pos);
    HPDF_Stream_Free(stream->stream);
    stream->stream = reader;
    stream->write_fn = write_flate_filter;  // and so compress_streams() passes it by
}

HPDF_XObject HaruDocument::new_form(std::string_view deflated, double width, double height,
                                    std::string_view what, const SourcePos& pos) {
    HPDF_Dict form = new_deflated_stream(std::string(deflated), what, pos);
    // libharu draws only what it typed an XObject itself (its images): a form is typed so too.
    form->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    check(HPDF_Dict_AddName(form, "Type", "XObject"), what, pos);
    check(HPDF_Dict_AddName(form, "Subtype", "Form"), what, pos);
    HPDF_Array bbox = new_array(what, pos);
    for (double v : {0.0, 0.0, width, height})
        check(HPDF_Array_AddReal(bbox, static_cast<HPDF_REAL>(v)), what, pos);
    check(HPDF_Dict_Add(form, "BBox", bbox), what, pos);
    check(HPDF_Dict_Add(form, "Resources", new_dict(false, what, pos)), what, pos);
    return form;
}

HPDF_Array HaruDocument::new_array(std::string_view what, const SourcePos& pos) {
    HPDF_Array array = HPDF_Array_New(doc_->mmgr);
    check_handle(array, what, pos);
    return array;
}

std::string utf16_text_string(std::string_view utf8) {
    std::string out = "\xFE\xFF";
    out.reserve(2 + 2 * utf8.size());
    auto unit = [&](char32_t u) {
        out += static_cast<char>(u >> 8);
        out += static_cast<char>(u & 0xFF);
    };
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = utf8::next(utf8, i);
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        if (cp < 0x10000) {
            unit(cp);
        } else {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            unit(0xDC00 + (cp & 0x3FF));
        }
    }
    return out;
}

HPDF_Binary HaruDocument::new_text(const std::string& utf8, std::string_view what, const SourcePos& pos) {
    HPDF_Binary text = new_binary(utf16_text_string(utf8), what);
    check_handle(text, what, pos);
    return text;
}

HPDF_String HaruDocument::new_ascii(const std::string& text, std::string_view what, const SourcePos& pos) {
    HPDF_String string = HPDF_String_New(doc_->mmgr, text.c_str(), nullptr);
    check_handle(string, what, pos);
    return string;
}

HPDF_Binary HaruDocument::new_binary(std::string_view bytes, std::string_view what) {
    std::vector<HPDF_BYTE> copy(bytes.begin(), bytes.end());
    HPDF_Binary binary = HPDF_Binary_New(doc_->mmgr, copy.data(), static_cast<HPDF_UINT>(copy.size()));
    check_handle(binary, what);
    return binary;
}

HaruDocument::ContentCapture::ContentCapture(HaruDocument& haru, HPDF_Page page, std::string& content)
    : haru_(haru), page_(page), content_(content) {
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    haru.check(attr->stream == attr->contents->stream ? HPDF_OK : HPDF_INVALID_STREAM,
               "capture a page's content");
    capture_ = HPDF_CallbackWriter_New(haru.doc_->mmgr, append_to_string, &content);
    haru.check_handle(capture_, "capture a page's content");
    attr->stream = capture_;
}

HaruDocument::ContentCapture::~ContentCapture() {
    release();
}

void HaruDocument::ContentCapture::release() {
    if (!capture_) return;
    auto* attr = static_cast<HPDF_PageAttr>(page_->attr);
    attr->stream = attr->contents->stream;
    HPDF_Stream_Free(capture_);
    capture_ = nullptr;
}

void HaruDocument::ContentCapture::finish(Deflater& deflater) {
    release();
    if (content_.empty()) return;  // as compress_streams() leaves an empty stream
    auto* attr = static_cast<HPDF_PageAttr>(page_->attr);
    haru_.set_deflated(attr->contents, deflater.compress(content_), "write a page's content", render_pos());
    attr->stream = attr->contents->stream;  // nothing is drawn past here: a write would fail
}

void HaruDocument::set_version(HPDF_PDFVer version) {
    doc_->pdf_version = version;
}

std::array<HPDF_BYTE, 16> HaruDocument::md5(std::string_view bytes) {
    HPDF_MD5_CTX context;
    HPDF_MD5Init(&context);
    // HPDF_MD5Update takes a length of 32 bits: feed it in pieces.
    constexpr std::size_t kPiece = std::size_t{1} << 30;
    for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
        std::size_t n = std::min(kPiece, bytes.size() - at);
        HPDF_MD5Update(&context, reinterpret_cast<const HPDF_BYTE*>(bytes.data() + at),
                       static_cast<HPDF_UINT32>(n));
    }
    std::array<HPDF_BYTE, 16> digest{};
    HPDF_MD5Final(digest.data(), &context);
    return digest;
}

}  // namespace factsheet::pdf_detail

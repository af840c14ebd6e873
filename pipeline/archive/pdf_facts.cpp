// Reading PDFs with libqpdf, and hashing folders.
#include <dlfcn.h>
#include <qpdf/qpdf-c.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "archive/archive.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace factsheet {

std::string folder_hash(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) names.push_back(std::filesystem::relative(it->path(), dir).string());
    if (ec) throw Error(SourcePos{dir, 0, 0}, "cannot read the folder: " + ec.message());
    std::sort(names.begin(), names.end());
    Sha256 sha;
    for (const std::string& name : names) {
        std::string bytes = read_whole_file(dir + "/" + name);
        // Lengths first, so no two different folders hash the same bytes.
        sha.update(std::to_string(name.size()) + ":" + name + std::to_string(bytes.size()) + ":");
        sha.update(bytes);
    }
    return sha.hex();
}

namespace {

// libqpdf is loaded the first time a PDF is read, not when the program starts: linked, it costs
// every process ~3.5 ms of dynamic linking (it brings GnuTLS and eight more libraries with it),
// and only the archive reads PDFs. Its C API (qpdf-c.h) is stable across versions and needs no
// C++ symbols, so a few function pointers are all there is to it.
class Qpdf {
public:
    static const Qpdf& get() {
        static const Qpdf loaded;
        if (!loaded.handle_)
            throw Error(
                SourcePos{FACTSHEET_QPDF_LIBRARY, 0, 0},
                "cannot load libqpdf (" + loaded.problem_ + "): install the Debian package libqpdf29");
        return loaded;
    }

    decltype(&qpdf_init) init = nullptr;
    decltype(&qpdf_cleanup) cleanup = nullptr;
    decltype(&qpdf_set_suppress_warnings) set_suppress_warnings = nullptr;
    decltype(&qpdf_set_attempt_recovery) set_attempt_recovery = nullptr;
    decltype(&qpdf_read_memory) read_memory = nullptr;
    decltype(&qpdf_has_error) has_error = nullptr;
    decltype(&qpdf_get_error) get_error = nullptr;
    decltype(&qpdf_get_error_message_detail) error_detail = nullptr;
    decltype(&qpdf_more_warnings) more_warnings = nullptr;
    decltype(&qpdf_get_num_pages) num_pages = nullptr;
    decltype(&qpdf_get_trailer) trailer = nullptr;
    decltype(&qpdf_oh_get_key) get_key = nullptr;
    decltype(&qpdf_oh_is_dictionary) is_dictionary = nullptr;
    decltype(&qpdf_oh_is_string) is_string = nullptr;
    decltype(&qpdf_oh_begin_dict_key_iter) begin_keys = nullptr;
    decltype(&qpdf_oh_dict_more_keys) more_keys = nullptr;
    decltype(&qpdf_oh_dict_next_key) next_key = nullptr;
    decltype(&qpdf_oh_get_utf8_value) utf8_value = nullptr;
    decltype(&qpdf_get_root) root = nullptr;
    decltype(&qpdf_oh_is_bool) is_bool = nullptr;
    decltype(&qpdf_oh_get_bool_value) bool_value = nullptr;
    decltype(&qpdf_oh_is_stream) is_stream = nullptr;
    decltype(&qpdf_oh_get_stream_data) stream_data = nullptr;
    decltype(&qpdf_get_error_code) error_code = nullptr;
    decltype(&qpdf_is_encrypted) is_encrypted = nullptr;
    decltype(&qpdf_get_object_by_id) object_by_id = nullptr;
    decltype(&qpdf_oh_has_key) has_key = nullptr;
    decltype(&qpdf_oh_is_name_and_equals) is_name_and_equals = nullptr;
    decltype(&qpdf_oh_is_integer) is_integer = nullptr;
    decltype(&qpdf_oh_get_int_value_as_int) int_value = nullptr;
    decltype(&qpdf_oh_is_array) is_array = nullptr;
    decltype(&qpdf_oh_get_array_n_items) array_size = nullptr;
    decltype(&qpdf_oh_get_array_item) array_item = nullptr;
    decltype(&qpdf_oh_is_indirect) is_indirect = nullptr;

private:
    Qpdf() {
        handle_ = dlopen(FACTSHEET_QPDF_LIBRARY, RTLD_NOW | RTLD_LOCAL);
        if (!handle_) {
            problem_ = dlerror();
            return;
        }
        bool all =
            bind(init, "qpdf_init") && bind(cleanup, "qpdf_cleanup") &&
            bind(set_suppress_warnings, "qpdf_set_suppress_warnings") &&
            bind(set_attempt_recovery, "qpdf_set_attempt_recovery") &&
            bind(read_memory, "qpdf_read_memory") && bind(has_error, "qpdf_has_error") &&
            bind(get_error, "qpdf_get_error") && bind(error_detail, "qpdf_get_error_message_detail") &&
            bind(more_warnings, "qpdf_more_warnings") && bind(num_pages, "qpdf_get_num_pages") &&
            bind(trailer, "qpdf_get_trailer") && bind(get_key, "qpdf_oh_get_key") &&
            bind(is_dictionary, "qpdf_oh_is_dictionary") && bind(is_string, "qpdf_oh_is_string") &&
            bind(begin_keys, "qpdf_oh_begin_dict_key_iter") && bind(more_keys, "qpdf_oh_dict_more_keys") &&
            bind(next_key, "qpdf_oh_dict_next_key") && bind(utf8_value, "qpdf_oh_get_utf8_value") &&
            bind(root, "qpdf_get_root") && bind(is_bool, "qpdf_oh_is_bool") &&
            bind(bool_value, "qpdf_oh_get_bool_value") && bind(is_stream, "qpdf_oh_is_stream") &&
            bind(stream_data, "qpdf_oh_get_stream_data") && bind(error_code, "qpdf_get_error_code") &&
            bind(is_encrypted, "qpdf_is_encrypted") && bind(object_by_id, "qpdf_get_object_by_id") &&
            bind(has_key, "qpdf_oh_has_key") && bind(is_name_and_equals, "qpdf_oh_is_name_and_equals") &&
            bind(is_integer, "qpdf_oh_is_integer") && bind(int_value, "qpdf_oh_get_int_value_as_int") &&
            bind(is_array, "qpdf_oh_is_array") && bind(array_size, "qpdf_oh_get_array_n_items") &&
            bind(array_item, "qpdf_oh_get_array_item") && bind(is_indirect, "qpdf_oh_is_indirect");
        if (!all) handle_ = nullptr;  // kept loaded: harmless, and dlclose during exit is not
    }

    template <typename F>
    bool bind(F& slot, const char* symbol) {
        slot = reinterpret_cast<F>(dlsym(handle_, symbol));
        if (!slot) problem_ = std::string("no symbol ") + symbol;
        return slot != nullptr;
    }

    void* handle_ = nullptr;
    std::string problem_;
};

// One qpdf_data, cleaned up however the reading ends.
class QpdfData {
public:
    explicit QpdfData(const Qpdf& q) : q_(q), data_(q.init()) {}
    ~QpdfData() { q_.cleanup(&data_); }
    QpdfData(const QpdfData&) = delete;
    QpdfData& operator=(const QpdfData&) = delete;
    qpdf_data get() const { return data_; }

private:
    const Qpdf& q_;
    qpdf_data data_;
};

// The decoded bytes of the catalog's /Metadata stream (ISO 32000-1 14.3.2), "" when it has none.
std::string catalog_metadata(const Qpdf& q, qpdf_data pdf, qpdf_oh catalog) {
    qpdf_oh metadata = q.get_key(pdf, catalog, "/Metadata");
    if (!q.is_stream(pdf, metadata)) return {};
    unsigned char* bytes = nullptr;
    std::size_t size = 0;
    if (q.stream_data(pdf, metadata, qpdf_dl_generalized, nullptr, &bytes, &size) != QPDF_SUCCESS) return {};
    std::unique_ptr<unsigned char, decltype(&std::free)> owned(bytes, &std::free);  // malloc'd by qpdf
    return std::string(reinterpret_cast<const char*>(bytes), size);
}

// True when a value, or a dictionary or array written inside it, is JavaScript: a JavaScript action
// (/S /JavaScript, ISO 32000-1 12.6.4.16, or its /JS entry) or a /JavaScript name tree. References
// are not followed: each indirect object is visited on its own.
bool is_javascript(const Qpdf& q, qpdf_data pdf, qpdf_oh value, int depth) {
    if (depth > 32) return false;  // deeper than any real document; not followed further
    if (q.is_array(pdf, value)) {
        int n = q.array_size(pdf, value);
        for (int i = 0; i < n; ++i) {
            qpdf_oh item = q.array_item(pdf, value, i);
            if (!q.is_indirect(pdf, item) && is_javascript(q, pdf, item, depth + 1)) return true;
        }
        return false;
    }
    if (!q.is_dictionary(pdf, value)) return false;
    if (q.has_key(pdf, value, "/JS") || q.has_key(pdf, value, "/JavaScript") ||
        q.is_name_and_equals(pdf, q.get_key(pdf, value, "/S"), "/JavaScript"))
        return true;
    std::vector<std::string> keys;  // listed first: the key iterator is one per document
    for (q.begin_keys(pdf, value); q.more_keys(pdf);) keys.emplace_back(q.next_key(pdf));
    for (const std::string& key : keys) {
        qpdf_oh member = q.get_key(pdf, value, key.c_str());
        if (!q.is_indirect(pdf, member) && is_javascript(q, pdf, member, depth + 1)) return true;
    }
    return false;
}

// True when some object of the document is JavaScript (is_javascript). Every object is visited,
// by number up to the trailer's /Size, those in object streams too.
bool has_javascript(const Qpdf& q, qpdf_data pdf) {
    qpdf_oh trailer = q.trailer(pdf);
    qpdf_oh size = q.get_key(pdf, trailer, "/Size");
    int count = q.is_integer(pdf, size) ? q.int_value(pdf, size) : 0;
    for (int id = 1; id < count; ++id)
        if (is_javascript(q, pdf, q.object_by_id(pdf, id, 0), 0)) return true;
    return false;
}

}  // namespace

PdfFacts read_pdf_facts(const std::string& bytes, const std::string& name) {
    if (bytes.compare(0, 5, "%PDF-") != 0)
        throw Error(SourcePos{name, 0, 0},
                    "not a PDF (it does not start with %PDF-): only PDF files can be archived");
    const Qpdf& q = Qpdf::get();
    QpdfData data(q);
    qpdf_data pdf = data.get();
    auto unreadable = [&] {
        std::string what = q.has_error(pdf) ? q.error_detail(pdf, q.get_error(pdf)) : "unknown error";
        return Error(SourcePos{name, 0, 0},
                     "not a readable PDF (" + what + "): it may be truncated or damaged; export it again");
    };
    q.set_suppress_warnings(pdf, QPDF_TRUE);
    // A damaged file is refused, not silently repaired: what is archived must read as it is.
    q.set_attempt_recovery(pdf, QPDF_FALSE);
    // An encrypted file is refused whether or not it opens without a password: what is archived must
    // open for everyone, and stay readable when its encryption no longer is.
    auto encrypted = [&] {
        return Error(SourcePos{name, 0, 0},
                     "the PDF is encrypted (password-protected): archive a copy without encryption, "
                     "exported again without a password or made with \"qpdf --decrypt\" (and the password)");
    };
    if (q.read_memory(pdf, name.c_str(), bytes.data(), bytes.size(), nullptr) & QPDF_ERRORS) {
        if (!q.has_error(pdf)) throw unreadable();
        qpdf_error error = q.get_error(pdf);  // taken: has_error is false from here
        if (q.error_code(pdf, error) == qpdf_e_password) throw encrypted();
        throw Error(SourcePos{name, 0, 0}, "not a readable PDF (" + std::string(q.error_detail(pdf, error)) +
                                               "): it may be truncated or damaged; export it again");
    }
    if (q.is_encrypted(pdf)) throw encrypted();
    PdfFacts facts;
    facts.pages = q.num_pages(pdf);
    if (facts.pages < 0 || q.has_error(pdf)) throw unreadable();
    qpdf_oh info = q.get_key(pdf, q.trailer(pdf), "/Info");
    if (q.is_dictionary(pdf, info)) {
        std::vector<std::string> keys;
        for (q.begin_keys(pdf, info); q.more_keys(pdf);) keys.emplace_back(q.next_key(pdf));
        for (const std::string& key : keys) {
            qpdf_oh value = q.get_key(pdf, info, key.c_str());
            if (q.is_string(pdf, value)) facts.info[key.substr(1)] = q.utf8_value(pdf, value);
        }
    }
    // Tagged PDF (ISO 32000-1 14.7, 14.8): marked content declared in /MarkInfo, and the structure
    // tree it belongs to.
    qpdf_oh catalog = q.root(pdf);
    // Keys are only asked of dictionaries: qpdf warns of any other, which reads as damage below.
    qpdf_oh mark_info = q.get_key(pdf, catalog, "/MarkInfo");
    qpdf_oh marked = q.is_dictionary(pdf, mark_info) ? q.get_key(pdf, mark_info, "/Marked") : mark_info;
    facts.tagged = q.is_bool(pdf, marked) && q.bool_value(pdf, marked) &&
                   q.is_dictionary(pdf, q.get_key(pdf, catalog, "/StructTreeRoot"));
    facts.pdfa = pdfa_claim(catalog_metadata(q, pdf, catalog));
    if (q.has_error(pdf)) throw unreadable();
    if (facts.pages < 1) throw Error(SourcePos{name, 0, 0}, "the PDF has no pages");
    if (q.more_warnings(pdf))
        throw Error(SourcePos{name, 0, 0}, "the PDF is damaged: fix or re-export it before archiving");
    facts.javascript = has_javascript(q, pdf);
    return facts;
}

}  // namespace factsheet

// Reading PDFs with libqpdf, and SHA-256 through OpenSSL.
#define POINTERHOLDER_TRANSITION 4  // qpdf 11: std::shared_ptr only, no PointerHolder
#include <openssl/evp.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "archive/archive.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet {

namespace {

// One SHA-256 computation fed in pieces.
class Sha256 {
public:
    Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
            throw Error(SourcePos{"sha256", 0, 0}, "cannot start a SHA-256 digest");
    }
    void update(std::string_view bytes) {
        if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1)
            throw Error(SourcePos{"sha256", 0, 0}, "cannot compute a SHA-256 digest");
    }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(ctx_.get(), digest, &length) != 1)
            throw Error(SourcePos{"sha256", 0, 0}, "cannot compute a SHA-256 digest");
        static const char digits[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < length; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex();
}

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

PdfFacts read_pdf_facts(const std::string& bytes, const std::string& name) {
    if (bytes.compare(0, 5, "%PDF-") != 0)
        throw Error(SourcePos{name, 0, 0},
                    "not a PDF (it does not start with %PDF-): only PDF files can be archived");
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        // A damaged file is refused, not silently repaired: what is archived must read as it is.
        pdf.setAttemptRecovery(false);
        pdf.processMemoryFile(name.c_str(), bytes.data(), bytes.size());
        PdfFacts facts;
        facts.pages = static_cast<int>(pdf.getAllPages().size());
        QPDFObjectHandle info = pdf.getTrailer().getKey("/Info");
        if (info.isDictionary()) {
            for (const std::string& key : info.getKeys()) {
                QPDFObjectHandle value = info.getKey(key);
                if (value.isString()) facts.info[key.substr(1)] = value.getUTF8Value();
            }
        }
        if (facts.pages < 1) throw Error(SourcePos{name, 0, 0}, "the PDF has no pages");
        if (pdf.anyWarnings())
            throw Error(SourcePos{name, 0, 0}, "the PDF is damaged: fix or re-export it before archiving");
        return facts;
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        std::string what = e.what();
        // qpdf prefixes its messages with the file name it was given; keep only the reason.
        if (what.rfind(name + ": ", 0) == 0) what.erase(0, name.size() + 2);
        throw Error(SourcePos{name, 0, 0},
                    "not a readable PDF (" + what + "): it may be truncated or damaged; export it again");
    }
}

}  // namespace factsheet

#include "pdf/pdfa.hpp"

#include <hpdf.h>

#include <array>
#include <optional>
#include <string>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "common/utf8.hpp"
#include "common/xml.hpp"
#include "pdf/deflate.hpp"

namespace factsheet::pdf_detail {

namespace {

// Debian's icc-profiles-free (a runtime package of the program).
constexpr const char* kSrgbProfilePath = "/usr/share/color/icc/sRGB.icc";
// The registry name of the profile's colour space (ICC characterization registry).
constexpr const char* kSrgbIdentifier = "sRGB IEC61966-2.1";
// Length in bytes of each /ID string: an MD5 digest.
constexpr std::size_t kIdBytes = 16;
// The placeholder /ID string libharu writes, as hex: replaced once the bytes are known.
const std::string kIdPlaceholder = "<" + std::string(2 * kIdBytes, '0') + ">";

void append_element(std::string& out, std::string_view name, std::string_view value, std::string_view what) {
    out += "   <";
    out += name;
    out += '>';
    out += xml_escape(value, what);
    out += "</";
    out += name;
    out += ">\n";
}

// A language alternative with one default entry (dc:title, dc:description): XMP Part 1, 8.2.2.4.
void append_alt(std::string& out, std::string_view name, std::string_view value, std::string_view what) {
    out += "   <" + std::string(name) + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
           xml_escape(value, what) + "</rdf:li></rdf:Alt></" + std::string(name) + ">\n";
}

// An array of one item: `kind` is Seq (ordered, dc:creator) or Bag (dc:language).
void append_list(std::string& out, std::string_view name, std::string_view kind, std::string_view value,
                 std::string_view what) {
    out += "   <" + std::string(name) + "><rdf:" + std::string(kind) + "><rdf:li>" + xml_escape(value, what) +
           "</rdf:li></rdf:" + std::string(kind) + "></" + std::string(name) + ">\n";
}

void open_description(std::string& out, std::string_view prefix, std::string_view uri) {
    out +=
        "  <rdf:Description rdf:about=\"\" xmlns:" + std::string(prefix) + "=\"" + std::string(uri) + "\">\n";
}

}  // namespace

std::string producer_name() {
    return std::string("Haru Free PDF Library ") + HPDF_GetVersion();
}

std::string xml_escape(std::string_view text, std::string_view what) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
            throw Error(render_pos(), std::string(what) + " holds control character " +
                                          utf8::code_point_name(static_cast<unsigned char>(c)) +
                                          ", which XMP metadata cannot carry; remove it");
    std::string escaped = escape_xml(text), out;
    out.reserve(escaped.size());
    // A parser turns a raw CR into LF: the reference keeps it, as Info has it.
    for (char c : escaped) out += c == '\r' ? std::string("&#xD;") : std::string(1, c);
    return out;
}

std::string xmp_packet(const XmpFields& f) {
    // ISO 19005-1 6.7.5: no bytes or encoding attribute in the packet header; UTF-8 with its BOM.
    std::string out = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
    out += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
    out += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
    // ISO 19005-1 6.7.3: each Info entry with an XMP analogue has the same value in XMP.
    open_description(out, "dc", "http://purl.org/dc/elements/1.1/");
    out += "   <dc:format>application/pdf</dc:format>\n";
    if (!f.title.empty()) append_alt(out, "dc:title", f.title, "the document title");
    if (!f.author.empty()) append_list(out, "dc:creator", "Seq", f.author, "the document author");
    if (!f.subject.empty()) append_alt(out, "dc:description", f.subject, "the document subject");
    if (!f.lang.empty()) append_list(out, "dc:language", "Bag", f.lang, "the document language");
    out += "  </rdf:Description>\n";
    open_description(out, "pdf", "http://ns.adobe.com/pdf/1.3/");
    if (!f.keywords.empty()) append_element(out, "pdf:Keywords", f.keywords, "the document keywords");
    if (!f.producer.empty()) append_element(out, "pdf:Producer", f.producer, "the document producer");
    out += "  </rdf:Description>\n";
    open_description(out, "xmp", "http://ns.adobe.com/xap/1.0/");
    if (!f.creator.empty()) append_element(out, "xmp:CreatorTool", f.creator, "the document creator");
    if (!f.date.empty()) {
        append_element(out, "xmp:CreateDate", f.date, "the creation date");
        append_element(out, "xmp:ModifyDate", f.date, "the creation date");
    }
    out += "  </rdf:Description>\n";
    // ISO 19005-1 6.7.11: the PDF/A version and conformance level, in the pdfaid schema.
    open_description(out, "pdfaid", "http://www.aiim.org/pdfa/ns/id/");
    out += "   <pdfaid:part>1</pdfaid:part>\n";
    out += "   <pdfaid:conformance>B</pdfaid:conformance>\n";
    out += "  </rdf:Description>\n";
    if (f.pdfua) {
        // ISO 14289-1 5: a PDF/UA file says so in the pdfuaid schema. PDF/A-1 predefines no such
        // schema, so the packet describes it in an extension schema (ISO 19005-1 6.7.8).
        out +=
            "  <rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
            " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
            " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
            "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
            "    <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>\n"
            "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
            "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
            "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
            "     <pdfaProperty:name>part</pdfaProperty:name>\n"
            "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
            "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
            "     <pdfaProperty:description>The part of ISO 14289 the file conforms "
            "to</pdfaProperty:description>\n"
            "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
            "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
            "  </rdf:Description>\n";
        open_description(out, "pdfuaid", "http://www.aiim.org/pdfua/ns/id/");
        out += "   <pdfuaid:part>1</pdfuaid:part>\n";
        out += "  </rdf:Description>\n";
    }
    out += " </rdf:RDF>\n";
    out += "</x:xmpmeta>\n";
    out += "<?xpacket end=\"w\"?>";
    return out;
}

const std::string& srgb_profile() {
    static const std::string bytes = [] {
        try {
            return read_whole_file(kSrgbProfilePath);
        } catch (const Error& e) {
            throw Error(SourcePos{kSrgbProfilePath, 0, 0},
                        e.diagnostics().front().message +
                            "; PDF/A needs this sRGB colour profile: install icc-profiles-free");
        }
    }();
    return bytes;
}

const std::string& deflated_srgb_profile(Deflater& deflater) {
    static const std::string packed = deflater.compress(srgb_profile());
    return packed;
}

void make_pdfa(HaruDocument& haru, const XmpFields& fields, Deflater& deflater) {
    auto check = [&](HPDF_STATUS status, std::string_view what) { haru.check(status, what); };

    // ISO 19005-1 6.1.2: PDF/A-1 is based on PDF 1.4; libharu writes its version in the header.
    haru.set_version(HPDF_VER_14);

    // ISO 19005-1 6.7.2: the catalog's /Metadata stream, without a /Filter (see compress_streams).
    constexpr std::string_view xmp_what = "write the xmp metadata";
    HPDF_Dict metadata = haru.new_stream(xmp_packet(fields), xmp_what);
    check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), xmp_what);
    check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), xmp_what);
    check(HPDF_Dict_Add(haru.catalog(), "Metadata", metadata), xmp_what);

    // ISO 19005-1 6.2.2: device colours (the pages use DeviceRGB) need a PDF/A output intent
    // whose profile is an RGB one: sRGB, three components.
    HPDF_Dict icc = haru.new_deflated_stream(deflated_srgb_profile(deflater), "embed the colour profile");
    check(HPDF_Dict_AddNumber(icc, "N", 3), "embed the colour profile");
    constexpr std::string_view intent_what = "write the output intent";
    HPDF_Dict intent = haru.new_dict(true, intent_what);
    check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), intent_what);
    check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), intent_what);
    check(HPDF_Dict_Add(intent, "OutputConditionIdentifier", haru.new_ascii(kSrgbIdentifier, intent_what)),
          intent_what);
    check(HPDF_Dict_Add(intent, "Info", haru.new_ascii(kSrgbIdentifier, intent_what)), intent_what);
    check(HPDF_Dict_Add(intent, "DestOutputProfile", icc), intent_what);
    HPDF_Array intents = haru.new_array(intent_what);
    check(HPDF_Array_Add(intents, intent), intent_what);
    check(HPDF_Dict_Add(haru.catalog(), "OutputIntents", intents), intent_what);

    // ISO 19005-1 6.1.3: the trailer has an /ID. Zeros for now: set_document_id() writes the
    // digest of the saved bytes over them, once they are known.
    constexpr std::string_view id_what = "write the document id";
    HPDF_Array id = haru.new_array(id_what);
    for (int i = 0; i < 2; ++i)
        check(HPDF_Array_Add(id, haru.new_binary(std::string(kIdBytes, '\0'), id_what)), id_what);
    check(HPDF_Dict_Add(haru.trailer(), "ID", id), id_what);
}

void set_document_id(std::string& bytes) {
    // The trailer comes last: search from the end, so that no stream's bytes are taken for it.
    std::size_t trailer = bytes.rfind("trailer");
    std::size_t first = trailer == std::string::npos ? trailer : bytes.find(kIdPlaceholder, trailer);
    std::size_t second =
        first == std::string::npos ? first : bytes.find(kIdPlaceholder, first + kIdPlaceholder.size());
    if (second == std::string::npos)
        throw Error(render_pos(), "cannot write the document id: the trailer has no placeholder for it");
    // The digest covers the whole file with the placeholder in it: the /ID depends on the content
    // only.
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string hex;
    std::array<HPDF_BYTE, 16> digest;
    if (std::optional<std::array<unsigned char, 16>> loaded = md5_if_loaded(bytes))
        digest = *loaded;
    else
        digest = HaruDocument::md5(bytes);
    for (HPDF_BYTE b : digest) {
        hex += digits[b >> 4];
        hex += digits[b & 0xF];
    }
    bytes.replace(first + 1, hex.size(), hex);
    bytes.replace(second + 1, hex.size(), hex);
}

}  // namespace factsheet::pdf_detail

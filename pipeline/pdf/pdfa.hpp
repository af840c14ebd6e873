// Private to the pdf stage: what makes a document PDF/A-1b (ISO 19005-1) beyond what libharu
// writes by itself: the sRGB output intent, the XMP metadata, the trailer /ID and the version.
// libharu's own PDF/A call is not used: it does not escape the XMP, names /Subtype wrongly and
// writes an /ID from the clock.
#pragma once

#include <string>
#include <string_view>

#include "pdf/haru.hpp"

namespace factsheet::pdf_detail {

/// The Info dictionary's entries as the XMP packet repeats them (ISO 19005-1 6.7.3); UTF-8, an
/// empty field is written in neither.
struct XmpFields {
    std::string title;     // Info /Title, dc:title
    std::string author;    // Info /Author, dc:creator
    std::string subject;   // Info /Subject, dc:description
    std::string keywords;  // Info /Keywords, pdf:Keywords
    std::string creator;   // Info /Creator, xmp:CreatorTool
    std::string producer;  // Info /Producer, pdf:Producer
    std::string lang;      // catalog /Lang, dc:language
    std::string date;      // Info /CreationDate and /ModDate, ISO 8601: xmp:CreateDate, xmp:ModifyDate
    bool pdfua = false;    // tagged for accessibility: claims PDF/UA-1 (pdfuaid:part)
};

/// The producer written in Info and XMP: libharu, with the version of the library in use.
std::string producer_name();

/// Escapes text for XML content and attribute values (& < > " ' and CR). Throws Error at
/// render_pos() naming `what` when the text holds a character XML 1.0 cannot carry (a control
/// character other than tab, line feed and carriage return).
std::string xml_escape(std::string_view text, std::string_view what);

/// The XMP packet (UTF-8, ISO 19005-1 6.7): the fields and the PDF/A identification, part 1,
/// conformance B.
std::string xmp_packet(const XmpFields& fields);

/// The sRGB IEC61966-2.1 profile of icc-profiles-free, read the first time and kept for the
/// process. Throws Error naming the file when it cannot be read.
const std::string& srgb_profile();

/// The same profile compressed by `deflater` (the first caller's), once for the process: every
/// document embeds it, and compressing its 7 KB was 6 % of compressing a factsheet's streams.
const std::string& deflated_srgb_profile(Deflater& deflater);

/// Makes the document in `haru` PDF/A-1b before it is saved: version 1.4, metadata stream and
/// output intent in the catalog, a placeholder trailer /ID that set_document_id() fills in.
void make_pdfa(HaruDocument& haru, const XmpFields& fields, Deflater& deflater);

/// Fills the placeholder /ID of a saved document with the MD5 digest of its bytes, twice (ISO 19005-1
/// 6.1.3): the same document always gets the same /ID. Throws Error when there is no placeholder.
void set_document_id(std::string& bytes);

}  // namespace factsheet::pdf_detail

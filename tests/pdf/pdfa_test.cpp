// The PDF/A-1b parts of the pdf stage: the XMP packet (escaped, well-formed, as xmllint reads it)
// and the trailer /ID (a hash of the bytes, not of the clock).
#include "pdf/pdfa.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "common/test_paths.hpp"
#include "pdf/deflate.hpp"
#include "pdf/haru.hpp"

using namespace factsheet;
using namespace factsheet::pdf_detail;
using factsheet::test::count;
using factsheet::test::run;

namespace {

XmpFields awkward_fields() {
    XmpFields f;
    f.title = "Mali : \"réfugiés\" & <déplacés>";
    f.author = "Cluster Protection d'Ouagadougou";
    f.subject = "A < B && C > D";
    f.keywords = "protection, Mali, déplacés";
    f.creator = "factsheet 0.1.0";
    f.producer = producer_name();
    f.lang = "fr";
    f.date = "2023-08-15T00:00:00Z";
    return f;
}

}  // namespace

TEST(pdfa, xml_escape_escapes_markup_and_keeps_utf8) {
    EXPECT_EQ(xml_escape("a & b < c > d \"e\" 'f' é\r\n\tg", "the title"),
              "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; é&#xD;\n\tg");
}

TEST(pdfa, xml_escape_refuses_what_xml_cannot_carry) {
    EXPECT_EQ(test::error_text([] { xml_escape("Mali\x01", "the document title"); }),
              "pdf: error: the document title holds control character U+0001, which XMP metadata cannot "
              "carry; remove it");
}

TEST(pdfa, producer_names_the_libharu_in_use) {
    EXPECT_EQ(producer_name(), std::string("Haru Free PDF Library ") + HPDF_GetVersion());
}

TEST(pdfa, xmp_packet_is_well_formed_and_holds_every_field) {
    std::string xmp = xmp_packet(awkward_fields());
    EXPECT_EQ(xmp.rfind("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n", 0), 0u);
    EXPECT_EQ(count(xmp,
                    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Mali : &quot;réfugiés&quot; &amp; "
                    "&lt;déplacés&gt;</rdf:li></rdf:Alt></dc:title>"),
              1u);
    EXPECT_EQ(count(xmp, "<dc:creator><rdf:Seq><rdf:li>Cluster Protection d&apos;Ouagadougou</rdf:li>"), 1u);
    EXPECT_EQ(count(xmp, ">A &lt; B &amp;&amp; C &gt; D</rdf:li></rdf:Alt></dc:description>"), 1u);
    EXPECT_EQ(count(xmp, "<dc:language><rdf:Bag><rdf:li>fr</rdf:li></rdf:Bag></dc:language>"), 1u);
    EXPECT_EQ(count(xmp, "<pdf:Keywords>protection, Mali, déplacés</pdf:Keywords>"), 1u);
    EXPECT_EQ(count(xmp, "<pdf:Producer>" + producer_name() + "</pdf:Producer>"), 1u);
    EXPECT_EQ(count(xmp, "<xmp:CreatorTool>factsheet 0.1.0</xmp:CreatorTool>"), 1u);
    EXPECT_EQ(count(xmp, "<xmp:CreateDate>2023-08-15T00:00:00Z</xmp:CreateDate>"), 1u);
    EXPECT_EQ(count(xmp, "<xmp:ModifyDate>2023-08-15T00:00:00Z</xmp:ModifyDate>"), 1u);
    EXPECT_EQ(count(xmp, "<pdfaid:part>1</pdfaid:part>"), 1u);
    EXPECT_EQ(count(xmp, "<pdfaid:conformance>B</pdfaid:conformance>"), 1u);

    // xmllint reads the escaped text back as it was given.
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/xmp.xml", xmp);
    auto res = run("xmllint --noout '" + dir + "/xmp.xml'");
    EXPECT_EQ(res.exit_code, 0) << res.err;
    EXPECT_EQ(res.err, "");
    res = run("xmllint --xpath 'string(//*[local-name()=\"title\"]//*[local-name()=\"li\"])' '" + dir +
              "/xmp.xml'");
    EXPECT_EQ(res.out, "Mali : \"réfugiés\" & <déplacés>\n");
    res = run("xmllint --xpath 'string(//*[local-name()=\"creator\"]//*[local-name()=\"li\"])' '" + dir +
              "/xmp.xml'");
    EXPECT_EQ(res.out, "Cluster Protection d'Ouagadougou\n");
    std::filesystem::remove_all(dir);
}

TEST(pdfa, empty_fields_are_left_out) {
    XmpFields f;
    f.producer = producer_name();
    std::string xmp = xmp_packet(f);
    for (const char* name : {"dc:title", "dc:creator", "dc:description", "dc:language", "pdf:Keywords",
                             "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate"})
        EXPECT_EQ(count(xmp, name), 0u) << name;
    EXPECT_EQ(count(xmp, "<pdfaid:part>1</pdfaid:part>"), 1u);
}

namespace {

const std::string kZeros(32, '0');
// A zero string before the trailer, then the trailer as libharu writes it.
const std::string kSaved = "%PDF-1.4\n1 0 obj\n<" + kZeros + ">\nendobj\ntrailer\n<<\n/ID [ <" + kZeros +
                           "> <" + kZeros + "> ]\n>>\nstartxref\n0\n%%EOF\n";

}  // namespace

TEST(pdfa, document_id_is_the_same_hash_twice_and_depends_only_on_the_bytes) {
    std::string a = kSaved, b = kSaved;
    set_document_id(a);
    set_document_id(b);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.size(), kSaved.size());
    std::size_t open = a.find("/ID [ <");
    ASSERT_NE(open, std::string::npos);
    std::string first = a.substr(open + 7, 32), second = a.substr(open + 7 + 32 + 3, 32);
    EXPECT_EQ(first, second);
    EXPECT_NE(first, kZeros);
    EXPECT_EQ(first.find_first_not_of("0123456789ABCDEF"), std::string::npos) << first;
    // A zero string before the trailer is not taken for the placeholder.
    EXPECT_EQ(a.substr(0, open), kSaved.substr(0, open));

    std::string other = kSaved;
    other.replace(other.find("1 0 obj"), 1, "2");
    set_document_id(other);
    EXPECT_NE(other.substr(open + 7, 32), first);
}

// A batch has libcrypto loaded and takes its MD5; a single build does not load it and takes
// libharu's: the /ID is the same. Here the first id is made before anything loads libcrypto (this
// test program hashes nothing else), the second after.
TEST(pdfa, document_id_is_the_same_with_libcrypto_loaded_or_not) {
    std::string padding(100'003, '\0');
    for (std::size_t i = 0; i < padding.size(); ++i) padding[i] = static_cast<char>(i * 131 + i / 7);
    std::string saved = kSaved;
    saved.insert(saved.find("trailer"), padding);
    ASSERT_FALSE(md5_if_loaded("").has_value()) << "libcrypto was loaded before the test";
    std::string without = saved;
    set_document_id(without);
    sha256_hex("load libcrypto");
    ASSERT_TRUE(md5_if_loaded("").has_value());
    for (std::size_t size : std::initializer_list<std::size_t>{0, 1, 55, 56, 63, 64, 65, 127, 128, 1000})
        EXPECT_EQ(md5_if_loaded(std::string_view(padding).substr(0, size)),
                  HaruDocument::md5(std::string_view(padding).substr(0, size)))
            << size;
    std::string with = saved;
    set_document_id(with);
    EXPECT_EQ(with, without);
    EXPECT_NE(with, saved);
}

TEST(pdfa, document_id_needs_its_placeholder) {
    std::string bytes = "%PDF-1.4\ntrailer\n<<\n>>\n";
    EXPECT_EQ(test::error_text([&] { set_document_id(bytes); }),
              "pdf: error: cannot write the document id: the trailer has no placeholder for it");
}

// The profile is compressed once for the process, and what is embedded inflates to the file.
TEST(pdfa, the_colour_profile_is_compressed_once_and_inflates_to_the_file) {
    Deflater deflater(6);
    const std::string& packed = deflated_srgb_profile(deflater);
    EXPECT_EQ(&packed, &deflated_srgb_profile(deflater));
    const std::string& profile = srgb_profile();
    std::string inflated(profile.size(), '\0');
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    ASSERT_NE(d, nullptr);
    std::size_t size = 0;
    EXPECT_EQ(
        libdeflate_zlib_decompress(d, packed.data(), packed.size(), inflated.data(), inflated.size(), &size),
        LIBDEFLATE_SUCCESS);
    libdeflate_free_decompressor(d);
    EXPECT_EQ(size, profile.size());
    EXPECT_EQ(inflated, profile);
    EXPECT_LT(packed.size(), profile.size() / 2);
}

// Pictures read back from the PDFs the program writes: the Mali locator map and its QR code (as
// zbarimg decodes it from the rendered page), logos given by a source (images made for the tests),
// and every bad image or code refused at its place in the source.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/test_paths.hpp"

using namespace factsheet;

namespace {

const std::string kMaliPage = "https://globalprotectioncluster.org/emergencies/97/Mali";

std::string mali() {
    return test::read_file(test::source_path("input/mali.xml"));
}

// `text` with the first `from` replaced by `to`.
std::string replace(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("no " + from);
    return text.replace(at, from.size(), to);
}

// The Mali source in a folder of its own, with the tests' two logos beside it in logos/: the lead
// (UNHCR) a PNG with transparency, the co-coordinator (DRC) a JPEG.
struct LogoSource {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/mali.xml";
    explicit LogoSource(const std::string& unhcr_logo = "logos/test-logo-ring.png",
                        const std::string& drc_logo = "logos/test-logo-square.jpg") {
        std::filesystem::create_directories(dir + "/logos");
        for (const char* name : {"test-logo-ring.png", "test-logo-square.jpg"})
            std::filesystem::copy_file(test::source_path(std::string("tests/e2e/data/logos/") + name),
                                       dir + "/logos/" + name);
        std::string xml = replace(mali(), "<organisation id=\"unhcr\">",
                                  "<organisation id=\"unhcr\" logo=\"" + unhcr_logo + "\">");
        xml =
            replace(xml, "<organisation id=\"drc\">", "<organisation id=\"drc\" logo=\"" + drc_logo + "\">");
        test::write_file(path, xml);
    }
    ~LogoSource() { std::filesystem::remove_all(dir); }
    LogoSource(const LogoSource&) = delete;
    LogoSource& operator=(const LogoSource&) = delete;
};

// The line and column of the first `needle` in `file`, as "FILE:LINE:COL".
std::string position_of(const std::string& file, const std::string& needle) {
    std::string text = test::read_file(file);
    std::size_t at = text.find(needle);
    if (at == std::string::npos) return "(not found)";
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

TEST(pictures, mali_has_its_map_and_a_qr_code_to_its_page_in_both_editions) {
    std::string dir = test::make_temp_dir();
    test::RunResult r =
        test::run(test::binary_path() + " -q build " + test::source_path("input/mali.xml") + " --out " + dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* lang : {"en", "fr"}) {
        std::string pdf = dir + "/mali-" + lang + ".pdf";
        std::string tree = test::run("pdfinfo -struct-text " + pdf).out;
        EXPECT_EQ(test::count(tree, "\n  Figure\n"), 3u) << lang << tree;  // the bar, the map, the QR code
        // The QR code, read from the rendered last page by a reader that is not ours.
        ASSERT_EQ(test::run("pdftoppm -r 150 -gray -png -f 2 -l 2 " + pdf + " " + dir + "/page").exit_code,
                  0);
        test::RunResult scan = test::run("zbarimg --raw -q " + dir + "/page-2.png");
        if (scan.exit_code == 127) GTEST_SKIP() << "zbarimg is not installed (zbar-tools)";
        EXPECT_EQ(scan.out, kMaliPage + "\n") << lang << scan.err;
        // The address printed beside it, and a link to it.
        EXPECT_NE(test::run("pdftotext -raw " + pdf + " -").out.find(kMaliPage), std::string::npos) << lang;
    }
    // The map's description in each language, as a screen reader gets it.
    test::RunResult qdf =
        test::run("qpdf --qdf --object-streams=disable " + dir + "/mali-fr.pdf " + dir + "/q.pdf");
    ASSERT_EQ(qdf.exit_code, 0) << qdf.err;
    std::string fr = test::read_file(dir + "/q.pdf");
    // "Carte : Mali et pays voisins" as UTF-16BE, a no-break space before the colon.
    EXPECT_NE(fr.find("/Alt <feff0043006100720074006500a0003a0020004d0061006c00690020"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(pictures, logos_of_a_source_are_drawn_and_each_embedded_once) {
    LogoSource source;
    test::RunResult r =
        test::run(test::binary_path() + " -q build --strict " + source.path + " --out " + source.dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* lang : {"en", "fr"}) {
        std::string pdf = source.dir + "/mali-" + lang + ".pdf";
        // pdfimages -list: a header of two lines, then one line per image drawn. The ring is drawn
        // in the banner and on two team cards (UNHCR), the square in the banner and on one card:
        // three image objects, the ring's composited over white and over the cards' pale blue, the
        // JPEG (opaque) once, as it is.
        test::RunResult list = test::run("pdfimages -list " + pdf);
        ASSERT_EQ(list.exit_code, 0) << list.err;
        EXPECT_EQ(test::count(list.out, "\n"), 2u + 5u) << lang << list.out;
        EXPECT_EQ(test::count(list.out, " jpeg "), 2u) << lang << list.out;
        std::set<std::string> objects;
        std::istringstream lines(list.out);
        std::string line;
        for (int skip = 0; skip < 2 && std::getline(lines, line); ++skip) continue;
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string field;
            for (int i = 0; i < 11 && fields >> field; ++i) continue;  // the 11th: the object number
            objects.insert(field);
        }
        EXPECT_EQ(objects.size(), 3u) << lang << list.out;
        EXPECT_EQ(test::count(list.out, " smask "), 0u) << lang << list.out;  // no transparency
    }
}

TEST(pictures, bad_logos_are_refused_at_their_attribute_naming_the_file) {
    struct Case {
        std::string logo, bytes, message;
    };
    std::string png_start = test::read_file(test::source_path("tests/e2e/data/logos/test-logo-ring.png"));
    const Case cases[] = {
        {"logos/missing.png", "", "no such file"},
        {"logos/notes.png", "GIF89a, not a picture", "not a PNG or JPEG image (it starts with \"GIF8\")"},
        {"logos/cut.png", png_start.substr(0, png_start.size() / 2), "logos/cut.png"},
        {"logos/empty.jpg", std::string(), "empty"},
    };
    for (const Case& c : cases) {
        LogoSource source(c.logo);
        if (!c.bytes.empty() || c.logo != "logos/missing.png")
            test::write_file(source.dir + "/" + c.logo, c.bytes);
        test::RunResult r = test::run(test::binary_path() + " validate " + source.path);
        EXPECT_EQ(r.exit_code, 1) << c.logo;
        std::string where = position_of(source.path, "logo=\"" + c.logo);
        EXPECT_NE(r.err.find(where + ": error: logo of organisation \"unhcr\": "), std::string::npos)
            << c.logo << "\n"
            << r.err << "\nexpected at " << where;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.logo << "\n" << r.err;
    }
}

TEST(pictures, an_unknown_country_code_is_refused_at_its_attribute) {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/mali.xml";
    test::write_file(path, replace(mali(), "<country code=\"ML\">", "<country code=\"QQ\">"));
    test::RunResult r = test::run(test::binary_path() + " validate " + path);
    EXPECT_EQ(r.exit_code, 1);
    std::string where = position_of(path, "code=\"QQ\"");
    EXPECT_NE(r.err.find(where + ": error: country code \"QQ\" is not in the map data"), std::string::npos)
        << r.err << "\nexpected at " << where;
    std::filesystem::remove_all(dir);
}

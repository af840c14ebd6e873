// `factsheet batch`: the real program over folders of sources, and run_batch in process.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/batch.hpp"
#include "common/test_paths.hpp"

using namespace factsheet;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string bad_value_error =
    "error: value \"3.9M\" of figure \"pin\" is not a whole number; write digits only, without sign, "
    "separators "
    "or suffix (3900000, not 3.9M or 3,900,000)";

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not in the source: " + from);
    return text.replace(at, from.size(), to);
}

// The Mali source under another id, with another number of people in need.
std::string mali_as(const std::string& id, const std::string& pin) {
    std::string text = test::read_file(test::source_path("input/mali.xml"));
    text = replace_once(text, "id=\"mali\"", "id=\"" + id + "\"");
    return replace_once(text, "value=\"3900000\"", "value=\"" + pin + "\"");
}

std::string sha256(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    std::string hex;
    char two[3];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(two, sizeof two, "%02x", digest[i]);
        hex += two;
    }
    return hex;
}

// A temporary folder with in/ (sources) and out/ (not created: the batch makes it).
class Batch : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = test::make_temp_dir();
        in_ = root_ + "/in";
        out_ = root_ + "/out";
        fs::create_directories(in_);
    }
    void TearDown() override { fs::remove_all(root_); }

    void add(const std::string& name, const std::string& text) { test::write_file(in_ + "/" + name, text); }
    void add_good_sources() {
        add("alpha.xml", mali_as("alpha", "1000"));
        add("beta.xml", mali_as("beta", "2000000"));
    }
    test::RunResult batch(const std::string& args = "") {
        return test::run(test::binary_path() + " batch " + in_ + " --out " + out_ + " " + args);
    }
    json batch_json(const std::string& args = "") {
        test::RunResult r = batch("--json " + args);
        EXPECT_LE(r.exit_code, 1) << r.err;
        return json::parse(r.out);  // throws when stdout holds anything but one JSON document
    }
    std::map<std::string, std::string> statuses(const json& doc) {
        std::map<std::string, std::string> out;
        for (const json& s : doc["sources"])
            for (const json& o : s["outputs"])
                out[fs::path(o["path"].get<std::string>()).filename()] = o["status"];
        return out;
    }
    std::string pdf(const std::string& name) { return test::read_file(out_ + "/" + name); }

    std::string root_, in_, out_;
};

const std::map<std::string, std::string> all_skipped = {{"alpha-en.pdf", "skipped"},
                                                        {"alpha-fr.pdf", "skipped"},
                                                        {"beta-en.pdf", "skipped"},
                                                        {"beta-fr.pdf", "skipped"}};
const std::map<std::string, std::string> all_built = {
    {"alpha-en.pdf", "built"}, {"alpha-fr.pdf", "built"}, {"beta-en.pdf", "built"}, {"beta-fr.pdf", "built"}};

}  // namespace

TEST_F(Batch, one_bad_source_does_not_stop_the_others) {
    add("alpha.xml", mali_as("alpha", "1000"));
    add("bad.xml", mali_as("bad", "3.9M"));
    add("gamma.xml", mali_as("gamma", "42"));
    test::RunResult r = batch("--jobs 2");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, in_ + "/bad.xml:76:48: " + bad_value_error + "\n");
    for (std::string name : {"alpha-en.pdf", "alpha-fr.pdf", "gamma-en.pdf", "gamma-fr.pdf"})
        EXPECT_TRUE(fs::is_regular_file(out_ + "/" + name)) << name;
    EXPECT_FALSE(fs::exists(out_ + "/bad-en.pdf"));
    EXPECT_NE(r.out.find("failed   " + in_ + "/bad.xml\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("built    " + out_ + "/gamma-fr.pdf\n"), std::string::npos) << r.out;
    // Sources are counted, once each, whatever their editions; the factsheets written apart.
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("\n3 sources: 2 built, 0 skipped, 1 failed; 4 factsheets written in [0-9.]+ s "
                          "\\([0-9.]+ factsheets/s\\)\n$")))
        << r.out;
}

TEST_F(Batch, second_run_skips_everything_and_touches_nothing) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    auto written = fs::last_write_time(out_ + "/alpha-en.pdf");
    test::RunResult r = batch();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.substr(0, r.out.rfind("2 sources: 0 built")),
              "skipped  " + out_ + "/alpha-en.pdf\nskipped  " + out_ + "/alpha-fr.pdf\nskipped  " + out_ +
                  "/beta-en.pdf\nskipped  " + out_ + "/beta-fr.pdf\n");
    // Nothing was built: no rate.
    EXPECT_TRUE(
        std::regex_search(r.out, std::regex("\n2 sources: 0 built, 2 skipped, 0 failed in [0-9.]+ s\n$")))
        << r.out;
    EXPECT_EQ(fs::last_write_time(out_ + "/alpha-en.pdf"), written);
}

TEST_F(Batch, force_rebuilds_everything) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    EXPECT_EQ(statuses(batch_json("--force")), all_built);
}

TEST_F(Batch, a_layout_change_rebuilds_everything) {
    std::string layout = root_ + "/layout";
    fs::copy(test::source_path("layouts/factsheet"), layout);
    add_good_sources();
    std::string with_layout = "--layout " + layout;
    EXPECT_EQ(statuses(batch_json(with_layout)), all_built);
    EXPECT_EQ(statuses(batch_json(with_layout)), all_skipped);
    std::string before = pdf("beta-fr.pdf");

    std::string styles = test::read_file(layout + "/styles.xml");
    test::write_file(layout + "/styles.xml", replace_once(styles, "value=\"#0072BC\"", "value=\"#0072BD\""));
    EXPECT_EQ(statuses(batch_json(with_layout)), all_built);
    EXPECT_NE(pdf("beta-fr.pdf"), before);
    EXPECT_EQ(statuses(batch_json(with_layout)), all_skipped);
}

// Another build of the program (here: a copy with a byte appended, which runs the same) may set
// text differently under the same version number: its first batch rebuilds everything.
TEST_F(Batch, another_build_of_the_program_rebuilds_everything) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    EXPECT_EQ(statuses(batch_json()), all_skipped);
    std::string other = root_ + "/factsheet-other";
    fs::copy_file(test::binary_path(), other);
    test::write_file(other, test::read_file(other) + std::string(1, '\0'));
    fs::permissions(other, fs::perms::owner_exec, fs::perm_options::add);
    test::RunResult r = test::run(other + " batch " + in_ + " --out " + out_ + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(statuses(json::parse(r.out)), all_built);
}

// The record keeps the digests of the program, the fonts and the dictionaries with the identity of
// each file, and the next batch takes them from there while the files are unchanged: a digest
// recorded wrongly for the program as it is changes the key of every factsheet.
TEST_F(Batch, the_digests_of_unchanged_files_come_from_the_record) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    std::string path = out_ + "/" + build_record_name;
    std::string text = test::read_file(path);
    std::string program = fs::canonical(test::binary_path()).string();
    std::size_t line = text.find(" " + program + "\n");
    ASSERT_NE(line, std::string::npos) << text;
    line = text.rfind("\nfile ", line) + 6;
    EXPECT_EQ(text.substr(line, 64), sha256(test::read_file(program)));
    for (std::string kept :
         {"/hyph_en_US.dic\n", "/hyph_fr.dic\n", "/Roboto-Regular.ttf\n", "/Roboto-Bold.ttf\n"})
        EXPECT_NE(text.find(kept), std::string::npos) << kept << " in\n" << text;
    EXPECT_EQ(statuses(batch_json()), all_skipped);
    EXPECT_EQ(test::read_file(path), text) << "digests confirmed are not written again";

    text.replace(line, 64, std::string(64, '0'));
    test::write_file(path, text);
    EXPECT_EQ(statuses(batch_json()), all_built);
}

TEST_F(Batch, a_source_change_rebuilds_only_its_factsheets) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    add("alpha.xml", mali_as("alpha", "1001"));
    EXPECT_EQ(statuses(batch_json()), (std::map<std::string, std::string>{{"alpha-en.pdf", "built"},
                                                                          {"alpha-fr.pdf", "built"},
                                                                          {"beta-en.pdf", "skipped"},
                                                                          {"beta-fr.pdf", "skipped"}}));
}

TEST_F(Batch, a_pdf_changed_or_removed_since_is_rebuilt) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    std::string original = pdf("alpha-en.pdf");
    test::write_file(out_ + "/alpha-en.pdf", "not the PDF that was built");
    fs::remove(out_ + "/beta-fr.pdf");
    EXPECT_EQ(statuses(batch_json()), (std::map<std::string, std::string>{{"alpha-en.pdf", "built"},
                                                                          {"alpha-fr.pdf", "skipped"},
                                                                          {"beta-en.pdf", "skipped"},
                                                                          {"beta-fr.pdf", "built"}}));
    EXPECT_EQ(pdf("alpha-en.pdf"), original);
}

TEST_F(Batch, json_parses_and_matches_what_was_written) {
    add_good_sources();
    add("bad.xml", mali_as("bad", "3.9M"));
    test::RunResult r = batch("--json --lang fr");
    EXPECT_EQ(r.exit_code, 1);
    json doc = json::parse(r.out);
    ASSERT_EQ(doc["sources"].size(), 3u);
    const json& alpha = doc["sources"][0];
    EXPECT_EQ(alpha["source"], in_ + "/alpha.xml");
    EXPECT_EQ(alpha["id"], "alpha");
    EXPECT_EQ(alpha["status"], "built");
    ASSERT_EQ(alpha["outputs"].size(), 1u);
    for (std::size_t i : {0u, 2u}) {
        const json& o = doc["sources"][i]["outputs"][0];
        EXPECT_EQ(o["lang"], "fr");
        EXPECT_EQ(o["status"], "built");
        EXPECT_EQ(o["pages"], 2);
        std::string written = test::read_file(o["path"]);
        EXPECT_EQ(o["bytes"], written.size());
        EXPECT_EQ(o["sha256"], sha256(written));
    }
    EXPECT_EQ(doc["sources"][2]["outputs"][0]["path"], out_ + "/beta-fr.pdf");
    const json& bad = doc["sources"][1];
    EXPECT_EQ(bad["source"], in_ + "/bad.xml");
    EXPECT_EQ(bad["status"], "failed");
    EXPECT_TRUE(bad["id"].is_null());
    EXPECT_EQ(bad["outputs"], json::array());
    ASSERT_EQ(bad["errors"].size(), 1u);
    EXPECT_EQ(bad["errors"][0]["file"], in_ + "/bad.xml");
    EXPECT_EQ(bad["errors"][0]["line"], 76);
    EXPECT_EQ(bad["errors"][0]["column"], 48);
    EXPECT_EQ(bad["errors"][0]["text"], in_ + "/bad.xml:76:48: " + bad_value_error);
    const json& summary = doc["summary"];
    EXPECT_EQ(summary["sources"], 3);
    EXPECT_EQ(summary["built"], 2);
    EXPECT_EQ(summary["skipped"], 0);
    EXPECT_EQ(summary["failed"], 1);
    EXPECT_EQ(summary["planned"], 0);
    EXPECT_EQ(summary["factsheets"], (json{{"built", 2}, {"skipped", 0}, {"failed", 1}, {"planned", 0}}));
    EXPECT_GT(summary["built_per_second"].get<double>(), 0);
    EXPECT_EQ(doc["dry_run"], false);
    // The errors still reach stderr, for the person watching.
    EXPECT_EQ(r.err, in_ + "/bad.xml:76:48: " + bad_value_error + "\n");
}

TEST_F(Batch, json_counts_sources_as_the_summary_line_does_and_factsheets_apart) {
    add("alpha.xml", mali_as("alpha", "1000"));
    add("bad.xml", mali_as("bad", "3.9M"));
    add("gamma.xml", mali_as("gamma", "42"));
    json summary = batch_json()["summary"];
    EXPECT_EQ(summary["sources"], 3);
    EXPECT_EQ(summary["built"], 2);
    EXPECT_EQ(summary["failed"], 1);  // one source, two editions
    EXPECT_EQ(summary["factsheets"], (json{{"built", 4}, {"skipped", 0}, {"failed", 2}, {"planned", 0}}));
    EXPECT_GT(summary["built_per_second"].get<double>(), 0);
    // Nothing built: no rate.
    summary = batch_json()["summary"];
    EXPECT_EQ(summary["skipped"], 2);
    EXPECT_EQ(summary["factsheets"], (json{{"built", 0}, {"skipped", 4}, {"failed", 2}, {"planned", 0}}));
    EXPECT_TRUE(summary["built_per_second"].is_null());
    // A dry run counts sources too.
    test::RunResult dry = batch("--dry-run --force");
    EXPECT_NE(dry.out.find("\n3 sources: 2 to build, 0 up to date, 1 failed (dry run: nothing written)\n"),
              std::string::npos)
        << dry.out;
}

TEST_F(Batch, jobs_2_and_jobs_1_give_byte_identical_pdfs) {
    for (int i = 0; i < 4; ++i)
        add("op" + std::to_string(i) + ".xml",
            mali_as("op" + std::to_string(i), std::to_string(1000 + i * 777)));
    std::string out1 = root_ + "/one", out2 = root_ + "/two";
    ASSERT_EQ(test::run(test::binary_path() + " batch " + in_ + " --jobs 1 --out " + out1).exit_code, 0);
    ASSERT_EQ(test::run(test::binary_path() + " batch " + in_ + " --jobs 2 --out " + out2).exit_code, 0);
    int compared = 0;
    for (const auto& entry : fs::directory_iterator(out1)) {
        std::string name = entry.path().filename();
        EXPECT_EQ(test::read_file(out1 + "/" + name), test::read_file(out2 + "/" + name)) << name;
        ++compared;
    }
    EXPECT_EQ(compared, 9);  // eight PDFs and the build record
}

TEST_F(Batch, dry_run_writes_nothing) {
    add_good_sources();
    test::RunResult r = batch("--dry-run");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(out_));
    EXPECT_EQ(r.out, "to build " + out_ + "/alpha-en.pdf\nto build " + out_ + "/alpha-fr.pdf\nto build " +
                         out_ + "/beta-en.pdf\nto build " + out_ + "/beta-fr.pdf\n" +
                         "2 sources: 2 to build, 0 up to date, 0 failed (dry run: nothing written)\n");
    ASSERT_EQ(batch().exit_code, 0);
    auto record = fs::last_write_time(out_ + "/" + build_record_name);
    r = batch("--dry-run");
    EXPECT_NE(r.out.find("2 sources: 0 to build, 2 up to date, 0 failed (dry run: nothing written)\n"),
              std::string::npos);
    EXPECT_EQ(fs::last_write_time(out_ + "/" + build_record_name), record);
}

// The record keeps each PDF's hashes; a line damaged in any field is dropped, so its PDF is built
// again, while the intact lines still let theirs be skipped.
TEST_F(Batch, a_damaged_record_line_rebuilds_only_its_factsheet) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    std::string path = out_ + "/" + build_record_name;
    std::string text = test::read_file(path);
    ASSERT_EQ(text.rfind("factsheet-cache 1\n", 0), 0u) << text;
    std::istringstream lines(text);
    std::string line, damaged;
    std::getline(lines, line);
    damaged = line + "\n";
    int n = 0;
    while (std::getline(lines, line)) {
        if (line.starts_with("file ")) {  // the digest of a file of the environment
            damaged += line + "\n";
            continue;
        }
        // alpha-en: a hash one digit short; alpha-fr: uppercase hex; beta-en: no page count.
        if (n == 0) line.erase(line.find(' ') + 1, 1);
        if (n == 1) {
            std::size_t at = line.find(' ') + 1;
            for (std::size_t i = at; i < at + 64; ++i) line[i] = static_cast<char>(std::toupper(line[i]));
        }
        if (n == 2) line.erase(line.rfind(' '));
        damaged += line + "\n";
        ++n;
    }
    ASSERT_EQ(n, 4) << text;
    test::write_file(path, damaged);
    test::RunResult r = batch();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 sources: 2 built, 0 skipped, 0 failed; 3 factsheets written"), std::string::npos)
        << r.out;
    r = batch();
    EXPECT_NE(r.out.find("2 sources: 0 built, 2 skipped, 0 failed"), std::string::npos) << r.out;
    EXPECT_EQ(test::read_file(path), text);  // written whole again, as it was
}

TEST_F(Batch, a_record_longer_than_a_read_is_read_across_its_pieces) {
    add_good_sources();
    ASSERT_EQ(batch().exit_code, 0);
    std::string path = out_ + "/" + build_record_name;
    std::string text = test::read_file(path);
    std::size_t first = text.find('\n') + 1;
    // A line that does not parse, as long as a read takes at once but for the header and 50 bytes:
    // the first line after it is split between the file's first two pieces.
    std::string junk(65536 - first - 1 - 50, 'z');
    test::write_file(path, text.substr(0, first) + junk + "\n" + text.substr(first));
    test::RunResult r = batch();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 sources: 0 built, 2 skipped, 0 failed"), std::string::npos) << r.out;
}

TEST_F(Batch, two_sources_with_one_id_are_refused) {
    add("a.xml", mali_as("same", "1"));
    add("b.xml", mali_as("same", "2"));
    test::RunResult r = batch("--jobs 1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, in_ + "/b.xml: error: operation id \"same\" is also the id of " + in_ +
                         "/a.xml; each source needs its own id, or their PDFs overwrite each other\n");
}

TEST_F(Batch, quiet_prints_problems_only) {
    add_good_sources();
    add("bad.xml", mali_as("bad", "3.9M"));
    test::RunResult r = batch("-q");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, in_ + "/bad.xml:76:48: " + bad_value_error + "\n");
}

TEST_F(Batch, verbose_lines_say_pages_size_and_time) {
    add("alpha.xml", mali_as("alpha", "1000"));
    test::RunResult r = batch("-v --lang en");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(std::regex_search(
        r.out,
        std::regex("^built    " + out_ + "/alpha-en.pdf  \\(2 pages, [0-9]+\\.[0-9] KB, [0-9.]+ ms\\)\n")))
        << r.out;
}

TEST_F(Batch, a_folder_without_sources_is_an_error) {
    test::RunResult r = batch();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              in_ + ": error: no sources (*.xml files) in this folder; name the folder that holds them\n");
    EXPECT_EQ(r.out, "");
}

TEST_F(Batch, a_missing_layout_folder_stops_the_batch_with_exit_1) {
    add_good_sources();
    test::RunResult r = batch("--layout " + root_ + "/no-layout");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, root_ + "/no-layout: error: cannot read the layout folder: No such file or directory\n");
    EXPECT_FALSE(fs::exists(out_));
}

// Enough sources that the record, kept sorted, takes in entries in several rounds; added in an
// order that is not the names' (z..., then a...), its file still lists them by name, and a second
// batch finds each of them.
TEST_F(Batch, the_record_of_many_sources_is_sorted_and_found_again) {
    std::string mali = test::read_file(test::source_path("input/mali.xml"));
    for (int i = 0; i < 40; ++i) {
        std::string id = (i < 20 ? "z" : "a") + std::to_string(100 + i);
        add("s" + std::to_string(100 + i) + ".xml", replace_once(mali, "id=\"mali\"", "id=\"" + id + "\""));
    }
    BatchOptions options;
    options.out_dir = out_;
    options.env = process_environment(test::source_path("layouts/factsheet"));
    options.jobs = 2;
    options.langs = {Lang::en};
    BatchResult first = run_batch(list_sources(in_), options);
    ASSERT_EQ(first.factsheets.built, 40u);
    std::istringstream lines(test::read_file(out_ + "/" + build_record_name));
    std::string line;
    std::vector<std::string> names;
    std::getline(lines, line);
    while (std::getline(lines, line))
        if (!line.starts_with("file ")) names.push_back(line.substr(0, line.find(' ')));
    ASSERT_EQ(names.size(), 40u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(names.front(), "a120-en.pdf");
    EXPECT_EQ(names.back(), "z119-en.pdf");
    BatchResult second = run_batch(list_sources(in_), options);
    EXPECT_EQ(second.factsheets.skipped, 40u);
    EXPECT_EQ(second.factsheets.built, 0u);
}

TEST_F(Batch, run_batch_reports_each_source_once_as_it_finishes) {
    add_good_sources();
    add("bad.xml", mali_as("bad", "3.9M"));
    BatchOptions options;
    options.out_dir = out_;
    options.env = process_environment(test::source_path("layouts/factsheet"));
    options.jobs = 2;
    options.langs = {Lang::en};
    std::vector<std::size_t> done;
    std::vector<SourceResult> sources;
    BatchResult r = run_batch(list_sources(in_), options,
                              [&](const SourceResult& source, std::size_t d, std::size_t total) {
                                  EXPECT_EQ(total, 3u);
                                  done.push_back(d);
                                  sources.push_back(source);
                              });
    EXPECT_EQ(done, (std::vector<std::size_t>{1, 2, 3}));
    EXPECT_EQ(r.sources, 3u);
    EXPECT_EQ(r.by_source.built, 2u);
    EXPECT_EQ(r.by_source.failed, 1u);
    EXPECT_EQ(r.by_source.skipped, 0u);
    EXPECT_EQ(r.factsheets.built, 2u);
    EXPECT_EQ(r.factsheets.failed, 1u);
    ASSERT_EQ(sources.size(), 3u);
    EXPECT_EQ(sources[1].source, in_ + "/bad.xml");
    EXPECT_EQ(sources[1].status(), BuildStatus::failed);
    EXPECT_EQ(sources[0].editions.at(0).path, out_ + "/alpha-en.pdf");
    EXPECT_EQ(sources[0].editions.at(0).sha256, sha256(pdf("alpha-en.pdf")));
}

// Sources are flushed to disk many at a time: every one of a batch longer than a flush is
// written and reported once, in order; one whose French edition cannot be written (a folder
// stands at its name) fails alone, with its English edition left as it was, and no temporary
// file stays behind.
TEST_F(Batch, a_source_that_cannot_be_written_fails_alone_among_many_flushed_together) {
    std::string mali = test::read_file(test::source_path("input/mali.xml"));
    for (int i = 0; i < 40; ++i) {
        std::string id = "s" + std::to_string(100 + i);
        add(id + ".xml", replace_once(mali, "id=\"mali\"", "id=\"" + id + "\""));
    }
    fs::create_directories(out_ + "/s117-fr.pdf/in-the-way");
    test::write_file(out_ + "/s117-en.pdf", "an earlier edition");
    BatchOptions options;
    options.out_dir = out_;
    options.env = process_environment(test::source_path("layouts/factsheet"));
    options.jobs = 2;
    std::vector<std::size_t> done;
    std::vector<SourceResult> sources;
    BatchResult r =
        run_batch(list_sources(in_), options, [&](const SourceResult& source, std::size_t d, std::size_t) {
            done.push_back(d);
            sources.push_back(source);
        });
    ASSERT_EQ(done.size(), 40u);
    for (std::size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i], i + 1);
    EXPECT_EQ(r.by_source.built, 39u);
    EXPECT_EQ(r.by_source.failed, 1u);
    EXPECT_EQ(r.factsheets.built, 78u);
    ASSERT_EQ(sources.size(), 40u);
    EXPECT_EQ(sources[17].source, in_ + "/s117.xml");
    EXPECT_EQ(sources[17].status(), BuildStatus::failed);
    std::string errors;
    for (const Diagnostic& d : sources[17].errors) errors += d.pos.file + ": " + d.message + "\n";
    EXPECT_NE(errors.find(out_ + "/s117-fr.pdf: cannot write"), std::string::npos) << errors;
    EXPECT_EQ(pdf("s117-en.pdf"), "an earlier edition");
    for (int i = 0; i < 40; ++i) {
        if (i == 17) continue;
        std::string id = "s" + std::to_string(100 + i);
        for (const char* lang : {"en", "fr"})
            EXPECT_EQ(pdf(id + "-" + lang + ".pdf").rfind("%PDF-", 0), 0u) << id << " " << lang;
    }
    for (const auto& entry : fs::directory_iterator(out_))
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

// The command line as a whole: exit codes, help and version.

TEST(cli, wrong_usage_exits_2_with_a_message_on_stderr) {
    std::string tmp = test::make_temp_dir();
    for (const std::string& args :
         std::vector<std::string>{"", "frobnicate", "batch --jobs 0 " + tmp, "batch --lang de " + tmp,
                                  "batch " + tmp + "/missing", "batch --frobnicate " + tmp, "build",
                                  "build --lang xx " + test::source_path("input/mali.xml"), "validate"}) {
        test::RunResult r = test::run(test::binary_path() + " " + args);
        EXPECT_EQ(r.exit_code, 2) << args;
        EXPECT_EQ(r.out, "") << args;
        EXPECT_NE(r.err, "") << args;
    }
    fs::remove_all(tmp);
}

TEST(cli, version_prints_name_and_number) {
    test::RunResult r = test::run(test::binary_path() + " --version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("factsheet [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

// Libraries that only some work needs are loaded when it is done, not mapped by every start:
// libcrypto (hashes), libqrencode (a QR code not kept in the cache folder), libqpdf and poppler
// (the archive reading PDFs).
TEST(cli, libraries_for_some_work_are_not_loaded_at_start) {
    test::RunResult r = test::run("LD_DEBUG=files " + test::binary_path() + " --version");
    ASSERT_EQ(r.exit_code, 0);
    ASSERT_NE(r.err.find("libc.so"), std::string::npos) << "LD_DEBUG said nothing:\n" << r.err;
    for (std::string library : {"libcrypto", "libqrencode", "libqpdf", "libpoppler"})
        EXPECT_EQ(r.err.find(library), std::string::npos) << library << " in\n" << r.err;
}

TEST(cli, invalid_sources_exit_1_in_every_command) {
    std::string tmp = test::make_temp_dir();
    test::write_file(tmp + "/bad.xml", mali_as("bad", "3.9M"));
    for (const std::string& command : std::vector<std::string>{"validate", "build --out " + tmp, "markup"}) {
        test::RunResult r = test::run(test::binary_path() + " " + command + " " + tmp + "/bad.xml");
        EXPECT_EQ(r.exit_code, 1) << command;
        EXPECT_EQ(r.err, tmp + "/bad.xml:76:48: " + bad_value_error + "\n") << command;
    }
    fs::remove_all(tmp);
}

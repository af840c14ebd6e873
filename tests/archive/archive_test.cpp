// The publication archive, through the real program: issuing, editions, concurrent and stopped
// runs, verify, reindex, archive add, and the pages it publishes (checked in headless Chromium).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <random>
#include <set>
#include <thread>

#include "archive/archive.hpp"
#include "archive/archive_fixture.hpp"
#include "common/error.hpp"
#include "common/test_paths.hpp"

extern char** environ;

namespace factsheet {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> root_files = {".lock",       "catalog.sqlite", "feed.xml",   "feed-en.xml",
                                          "feed-fr.xml", "index.html",     "index.json", "search.js"};

std::set<std::string> with_root(std::set<std::string> pdfs) {
    pdfs.insert(root_files.begin(), root_files.end());
    return pdfs;
}

TEST_F(ArchiveTest, issue_stamps_edition_path_and_metadata) {
    test::RunResult r = issue(source("mali"), "2026-11-29");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ + "/mali/mali-en-e1-2026-11-29.pdf: edition 1, 2 pages\n" + archive_ +
                         "/mali/mali-fr-e1-2026-11-29.pdf: edition 1, 2 pages\n");
    EXPECT_EQ(files(), with_root({"mali/mali-en-e1-2026-11-29.pdf", "mali/mali-fr-e1-2026-11-29.pdf"}));

    std::string fr = test::read_file(archive_ + "/mali/mali-fr-e1-2026-11-29.pdf");
    PdfFacts facts = read_pdf_facts(fr, "fr.pdf");
    EXPECT_EQ(facts.pages, 2);
    EXPECT_EQ(facts.info["FactsheetOperation"], "mali");
    EXPECT_EQ(facts.info["FactsheetLang"], "fr");
    EXPECT_EQ(facts.info["FactsheetKind"], "factsheet");
    EXPECT_EQ(facts.info["FactsheetEdition"], "1");
    EXPECT_EQ(facts.info["FactsheetIssued"], "2026-11-29");
    EXPECT_EQ(facts.info["FactsheetTitle"], "Mali \u2014 Cluster Protection \u00B7 Fiche d\u2019information");
    EXPECT_EQ(facts.info["FactsheetSourceHash"].size(), 64u);

    // The stamp on the page, in the edition's language.
    test::RunResult text = test::run("pdftotext -layout " + archive_ + "/mali/mali-fr-e1-2026-11-29.pdf -");
    EXPECT_NE(text.out.find("\u00C9dition 1 \u00B7 publi\u00E9e le 29 novembre 2026 \u00B7 Page 1 / 2"),
              std::string::npos)
        << text.out;
    text = test::run("pdftotext -layout " + archive_ + "/mali/mali-en-e1-2026-11-29.pdf -");
    EXPECT_NE(text.out.find("Edition 1 \u00B7 issued 29 November 2026 \u00B7 Page 2 / 2"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("No publications yet."), std::string::npos);
}

TEST_F(ArchiveTest, reissuing_unchanged_content_adds_nothing) {
    std::string mali = source("mali");
    ASSERT_EQ(issue(mali, "2026-11-29").exit_code, 0);
    std::string before = list_json();
    std::string index = test::read_file(archive_ + "/index.json");
    test::RunResult r = issue(mali, "2026-11-30");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "mali en: unchanged since edition 1 (" + archive_ +
                         "/mali/mali-en-e1-2026-11-29.pdf)\n"
                         "mali fr: unchanged since edition 1 (" +
                         archive_ + "/mali/mali-fr-e1-2026-11-29.pdf)\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(list_json(), before);
    EXPECT_EQ(test::read_file(archive_ + "/index.json"), index);
    EXPECT_EQ(files(), with_root({"mali/mali-en-e1-2026-11-29.pdf", "mali/mali-fr-e1-2026-11-29.pdf"}));
}

TEST_F(ArchiveTest, changed_content_makes_a_new_edition_listing_the_earlier_one) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    test::RunResult r = issue(source("mali", "v2"), "2026-12-01", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ +
                         "/mali/mali-en-e2-2026-12-01.pdf: edition 2, 2 pages, supersedes "
                         "mali/mali-en-e1-2026-11-29.pdf\n");
    Archive archive(archive_, nullptr);
    std::vector<ArchivedFile> list = archive.list();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].path, "mali/mali-en-e2-2026-12-01.pdf");
    EXPECT_EQ(list[0].edition, 2);
    EXPECT_EQ(list[0].supersedes_path, "mali/mali-en-e1-2026-11-29.pdf");
    EXPECT_EQ(list[0].supersedes, list[1].lang == "en" ? list[1].id : list[2].id);
    EXPECT_NE(list[0].source_hash, list[1].source_hash);

    // The new English edition lists the earlier one of its language; the French edition of the
    // same day pairs with it, so it is not listed again.
    test::RunResult text = test::run("pdftotext " + archive_ + "/mali/mali-en-e2-2026-12-01.pdf -");
    EXPECT_NE(text.out.find(
                  "Mali \u2014 Protection Cluster \u00B7 Factsheet \u00B7 Edition 1 \u00B7 29 November 2026"),
              std::string::npos)
        << text.out;
    EXPECT_EQ(text.out.find("Fiche d\u2019information \u00B7 Edition"), std::string::npos) << text.out;

    // The French edition issued later lists its own first edition, then the English one it lacks.
    r = issue(source("mali", "v2"), "2026-12-02", " --lang fr");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    text = test::run("pdftotext " + archive_ + "/mali/mali-fr-e2-2026-12-02.pdf -");
    std::size_t own = text.out.find(
        "Mali \u2014 Cluster Protection \u00B7 Fiche d\u2019information \u00B7 \u00C9dition 1 \u00B7 29 "
        "novembre 2026");
    std::size_t other = text.out.find(
        "Mali \u2014 Protection Cluster \u00B7 Factsheet \u00B7 \u00C9dition 2 (en anglais) \u00B7 1er "
        "d\u00E9cembre 2026");
    EXPECT_NE(own, std::string::npos) << text.out;
    EXPECT_NE(other, std::string::npos) << text.out;
    EXPECT_LT(own, other);
}

TEST_F(ArchiveTest, concurrent_issues_lose_nothing) {
    std::string mali = source("mali"), niger = source("niger");
    // Two processes at once on different operations, then two on the same operation with
    // different content, then two with the same content.
    test::RunResult r = test::run("cd " + dir_ + " && (" + program() + " issue " + mali + " --archive " +
                                  archive_ + " --date 2026-11-29 & " + program() + " issue " + niger +
                                  " --archive " + archive_ + " --date 2026-11-29 & wait)");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string a = source("mali", "a"), b = source("mali", "b");
    r = test::run("(" + program() + " issue " + a + " --lang en --archive " + archive_ +
                  " --date 2026-11-30 >" + dir_ + "/a.out & " + program() + " issue " + b +
                  " --lang en --archive " + archive_ + " --date 2026-11-30 >" + dir_ + "/b.out & wait)");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string c = source("mali", "c");
    r = test::run("(" + program() + " issue " + c + " --lang fr --archive " + archive_ +
                  " --date 2026-12-01 >" + dir_ + "/c1.out & " + program() + " issue " + c +
                  " --lang fr --archive " + archive_ + " --date 2026-12-01 >" + dir_ + "/c2.out & wait)");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    EXPECT_EQ(files(), with_root({"mali/mali-en-e1-2026-11-29.pdf", "mali/mali-fr-e1-2026-11-29.pdf",
                                  "niger/niger-en-e1-2026-11-29.pdf", "niger/niger-fr-e1-2026-11-29.pdf",
                                  "mali/mali-en-e2-2026-11-30.pdf", "mali/mali-en-e3-2026-11-30.pdf",
                                  "mali/mali-fr-e2-2026-12-01.pdf"}));
    std::string c_out = test::read_file(dir_ + "/c1.out") + test::read_file(dir_ + "/c2.out");
    EXPECT_NE(c_out.find(archive_ + "/mali/mali-fr-e2-2026-12-01.pdf: edition 2"), std::string::npos)
        << c_out;
    EXPECT_NE(c_out.find("mali fr: unchanged since edition 2"), std::string::npos) << c_out;
    Archive archive(archive_, nullptr);
    EXPECT_EQ(archive.list().size(), 7u);
    EXPECT_TRUE(archive.verify().empty());
    // Both mali English editions of the 30th are in the catalog, each superseding the one before.
    std::vector<ArchivedFile> en = archive.list(ListFilter{"mali", "en"});
    ASSERT_EQ(en.size(), 3u);
    EXPECT_EQ(en[0].edition, 3);
    EXPECT_EQ(en[0].supersedes_path, en[1].path);
    EXPECT_EQ(en[1].supersedes_path, en[2].path);
}

// Starts the program with its output thrown away; returns its process id.
pid_t spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    return pid;
}

TEST_F(ArchiveTest, a_killed_issue_leaves_no_partial_file_and_a_consistent_catalog) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    // How long a whole issue takes here, so the kills land anywhere inside one: the quickest of
    // three runs, as one run slowed by other work on the machine would put the kills after the end.
    auto whole = std::chrono::microseconds::max();
    for (int run = 0; run < 3; ++run) {
        auto start = std::chrono::steady_clock::now();
        ASSERT_EQ(issue(source("mali", "timing" + std::to_string(run)), "2026-11-29").exit_code, 0);
        whole = std::min(whole, std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - start));
    }

    // Half the kills anywhere in a run, half in its last quarter, where the files are written
    // (the run builds, stamps and checks both editions first): both stages are hit. A machine
    // under load runs slower than the timing said: while late kills land before any file is
    // written, they move later, and rounds go on (at most 30) until both stages were hit.
    std::mt19937 random(20261129);
    std::uniform_int_distribution<long> anywhere(0, whole.count() * 9 / 10);
    std::uniform_real_distribution<double> late(0.75, 1.0);
    double stretch = 1.0;
    int orphans = 0, killed = 0;
    std::size_t previous = 0;
    for (const std::string& f : files()) previous += fs::path(f).extension() == ".pdf";
    std::set<std::size_t> progress;  // how many files each killed round had added: 0, 1 or 2
    for (int round = 0; round < 30 && (round < 10 || progress.size() < 2); ++round) {
        std::string file = source("mali", "kill" + std::to_string(round));
        pid_t pid = spawn({program(), "issue", file, "--archive", archive_, "--date", "2026-12-01"});
        bool late_kill = round % 2;
        long wait = late_kill ? static_cast<long>(late(random) * stretch * static_cast<double>(whole.count()))
                              : anywhere(random);
        std::this_thread::sleep_for(std::chrono::microseconds(wait));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        killed += WIFSIGNALED(status) ? 1 : 0;
        std::size_t now = 0;
        for (const std::string& f : files()) now += fs::path(f).extension() == ".pdf";
        if (WIFSIGNALED(status)) progress.insert(now - previous);
        if (late_kill && WIFSIGNALED(status) && now == previous) stretch *= 1.2;
        previous = now;

        // Only complete, stamped files under their final names; nothing half-written.
        for (const std::string& f : files()) {
            if (root_files.count(f) || f == "catalog.sqlite-journal" || f == ".index.json.new" ||
                f == ".index.html.new" || f == ".feed.xml.new" || f == ".feed-en.xml.new" ||
                f == ".feed-fr.xml.new" || f == ".search.js.new")
                continue;
            ASSERT_EQ(fs::path(f).extension(), ".pdf") << "round " << round << ": " << f;
            std::string bytes = test::read_file(archive_ + "/" + f);
            PdfFacts facts = read_pdf_facts(bytes, f);
            EXPECT_EQ(facts.info["FactsheetOperation"], "mali") << f;
        }
        // The catalog opens and every file it lists is intact; anything else is an orphan that
        // the next change adopts.
        Archive archive(archive_, nullptr);
        for (const ArchiveProblem& p : archive.verify()) {
            EXPECT_EQ(p.kind, ArchiveProblem::Kind::orphan)
                << "round " << round << ": " << p.path << ": " << p.detail;
            ++orphans;
        }
    }
    // Most kills landed inside runs, at different stages (some runs may finish first on a
    // machine under load).
    EXPECT_GE(killed, 4);
    EXPECT_GE(progress.size(), 2u);
    std::printf("killed %d of 10 runs; files added by killed runs:", killed);
    for (std::size_t n : progress) std::printf(" %zu", n);
    std::printf("; orphans seen: %d\n", orphans);
    // A run to the end adopts what the stopped ones left, and all is well again.
    test::RunResult r = issue(source("mali", "final"), "2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 0) << v.err;
    Archive archive(archive_, nullptr);
    std::vector<ArchivedFile> list = archive.list();
    std::size_t pdfs = 0;
    for (const std::string& f : files()) pdfs += fs::path(f).extension() == ".pdf";
    EXPECT_EQ(list.size(), pdfs) << "orphans seen: " << orphans;
    // Editions of each language run 1, 2, 3... with no gap and no repeat.
    for (const char* lang : {"en", "fr"}) {
        std::vector<ArchivedFile> editions = archive.list(ListFilter{"mali", lang});
        for (std::size_t i = 0; i < editions.size(); ++i)
            EXPECT_EQ(editions[i].edition, static_cast<int>(editions.size() - i)) << lang;
    }
}

TEST_F(ArchiveTest, an_orphan_is_reported_then_adopted) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    // The catalog as it was before the second edition's row was committed: what a run stopped
    // between writing the file and committing leaves.
    fs::copy_file(archive_ + "/catalog.sqlite", dir_ + "/catalog.before");
    ASSERT_EQ(issue(source("mali", "v2"), "2026-12-01", " --lang en").exit_code, 0);
    fs::copy_file(dir_ + "/catalog.before", archive_ + "/catalog.sqlite",
                  fs::copy_options::overwrite_existing);

    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err,
              archive_ +
                  "/mali/mali-en-e2-2026-12-01.pdf: error: complete but not in the catalog: a run was "
                  "stopped before recording it; the next change (issue, archive add) adopts it, or run "
                  "\"factsheet archive reindex\"\n");

    test::RunResult r = issue(source("mali", "v2"), "2026-12-02", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, archive_ +
                         "/mali/mali-en-e2-2026-12-01.pdf: warning: adopted into the catalog: a stopped run "
                         "had written it\n");
    EXPECT_EQ(r.out,
              "mali en: unchanged since edition 2 (" + archive_ + "/mali/mali-en-e2-2026-12-01.pdf)\n");
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
    std::vector<ArchivedFile> list = Archive(archive_, nullptr).list();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].supersedes_path, "mali/mali-en-e1-2026-11-29.pdf");
    // The pages were regenerated with the adopted file.
    EXPECT_NE(test::read_file(archive_ + "/index.json").find("mali/mali-en-e2-2026-12-01.pdf"),
              std::string::npos);
}

TEST_F(ArchiveTest, verify_catches_a_changed_byte_and_a_missing_file) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    test::RunResult ok = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(ok.exit_code, 0);
    EXPECT_EQ(ok.out, archive_ + ": 2 files verified, no problem\n");

    std::string en = archive_ + "/mali/mali-en-e1-2026-11-29.pdf";
    std::string bytes = test::read_file(en);
    std::string cataloged = sha256_hex(bytes);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    fs::permissions(en, fs::perms::owner_write, fs::perm_options::add);
    test::write_file(en, bytes);
    fs::remove(archive_ + "/mali/mali-fr-e1-2026-11-29.pdf");
    test::write_file(archive_ + "/notes.txt", "hello");

    test::RunResult r = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              en + ": error: changed since it was issued (sha256 " + sha256_hex(bytes) + ", cataloged " +
                  cataloged + "): restore it from a backup\n" + archive_ +
                  "/mali/mali-fr-e1-2026-11-29.pdf: error: missing: restore it from a backup (sha256 " +
                  Archive(archive_, nullptr).list(ListFilter{"mali", "fr"}).at(0).sha256 + ")\n" + archive_ +
                  "/notes.txt: error: not a file of the archive: move it elsewhere\n");
    EXPECT_EQ(r.out, archive_ + ": 3 problems\n");
}

TEST_F(ArchiveTest, reindex_rebuilds_the_catalog_from_the_files_alone) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    ASSERT_EQ(issue(source("mali", "v2"), "2026-12-01").exit_code, 0);
    ASSERT_EQ(issue(source("niger"), "2026-12-01", " --lang fr").exit_code, 0);
    std::string external = dir_ + "/update.pdf";
    test::write_file(external, test::read_file(archive_ + "/mali/mali-fr-e1-2026-11-29.pdf") + "\n");
    test::RunResult add =
        factsheet("archive add " + external + " --archive " + archive_ +
                  " --operation niger --lang en --title 'Protection analysis update' --date 2026-12-03");
    ASSERT_EQ(add.exit_code, 0) << add.err;
    std::string before = list_json();
    std::string index = test::read_file(archive_ + "/index.json");

    fs::remove(archive_ + "/catalog.sqlite");
    test::RunResult lost = factsheet("archive list --archive " + archive_);
    EXPECT_EQ(lost.exit_code, 1);
    EXPECT_EQ(lost.err, archive_ +
                            "/catalog.sqlite: error: no catalog: check --archive, or run \"factsheet archive "
                            "reindex\" to rebuild it from the files\n");

    test::RunResult r = factsheet("archive reindex --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ + ": cataloged 6 files\n");
    EXPECT_EQ(list_json(), before);
    EXPECT_EQ(test::read_file(archive_ + "/index.json"), index);
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
}

TEST_F(ArchiveTest, archive_add_copies_a_pdf_and_refuses_anything_else) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang fr").exit_code, 0);
    std::string made = archive_ + "/mali/mali-fr-e1-2026-11-29.pdf";

    std::string text = dir_ + "/update.pdf";
    test::write_file(text, "Protection analysis update\n");
    test::RunResult r = factsheet("archive add " + text + " --archive " + archive_ +
                                  " --operation mali --lang fr --title Update --date 2026-12-02");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              text + ": error: not a PDF (it does not start with %PDF-): only PDF files can be archived\n");

    std::string truncated = dir_ + "/truncated.pdf";
    std::string bytes = test::read_file(made);
    test::write_file(truncated, bytes.substr(0, bytes.size() / 2));
    r = factsheet("archive add " + truncated + " --archive " + archive_ +
                  " --operation mali --lang fr --title Update --date 2026-12-02");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              truncated +
                  ": error: not a readable PDF (can't find startxref): it may be truncated or damaged; "
                  "export it again\n");

    r = factsheet("archive add " + made + " --archive " + archive_ +
                  " --operation mali --lang en --title 'Mali: analysis' --date 2026-12-02");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, made + ": already archived as " + made + "\n");

    std::string external = dir_ + "/external.pdf";
    test::write_file(external, bytes);
    r = factsheet("archive add " + external + " --archive " + archive_ +
                  " --operation niger --lang en --title 'Niger: x' --date 2026-12-02");
    EXPECT_EQ(r.exit_code, 0) << r.err;  // the same bytes are already archived, under mali
    EXPECT_EQ(r.out, external + ": already archived as " + made + "\n");

    std::string other = dir_ + "/other.pdf";
    test::write_file(other, bytes + "\n");  // still a readable PDF, other bytes
    r = factsheet("archive add " + other + " --archive " + archive_ +
                  " --operation mali --lang en --title 'Protection analysis update' --date 2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf: edition 1, 2 pages\n");
    EXPECT_EQ(test::read_file(archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf"), bytes + "\n");
    std::string sidecar_text = test::read_file(archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf.json");
    EXPECT_EQ(sidecar_text,
              "{\n"
              "  \"format\": \"factsheet-archive-sidecar\",\n"
              "  \"version\": 1,\n"
              "  \"FactsheetOperation\": \"mali\",\n"
              "  \"FactsheetLang\": \"en\",\n"
              "  \"FactsheetKind\": \"external\",\n"
              "  \"FactsheetEdition\": \"1\",\n"
              "  \"FactsheetIssued\": \"2026-12-02\",\n"
              "  \"FactsheetSourceHash\": \"" +
                  sha256_hex(bytes + "\n") +
                  "\",\n"
                  "  \"FactsheetTitle\": \"Protection analysis update\"\n"
                  "}\n");
    std::map<std::string, std::string> sidecar = parse_sidecar(sidecar_text, "sidecar");
    EXPECT_EQ(sidecar.size(), 8u);  // "version" is a number, not a stamp
    EXPECT_EQ(sidecar["FactsheetTitle"], "Protection analysis update");
    EXPECT_EQ(sidecar["FactsheetKind"], "external");

    r = factsheet("archive add " + other + " --archive " + archive_ +
                  " --operation 'Mali/../x' --lang en --title T --date 2026-12-02");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              other + ": error: operation \"Mali/../x\" is not an id of lowercase letters, digits and '-'\n");
}

// A copy of the pages alone: no /Metadata, /MarkInfo or /StructTreeRoot in its catalog.
std::string untagged_copy(const std::string& pdf, const std::string& copy) {
    test::RunResult r = test::run("qpdf --empty --pages " + pdf + " -- " + copy);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return copy;
}

std::string size_of(const std::string& path) {
    return std::to_string(fs::file_size(path));
}

TEST_F(ArchiveTest, list_shows_the_pdfa_claim_and_tags_of_each_file) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    std::string made = archive_ + "/mali/mali-en-e1-2026-11-29.pdf";
    PdfFacts facts = read_pdf_facts(test::read_file(made), "made.pdf");
    EXPECT_EQ(facts.pdfa, "PDF/A-1b");
    EXPECT_TRUE(facts.tagged);

    std::string plain = untagged_copy(made, dir_ + "/plain.pdf");
    facts = read_pdf_facts(test::read_file(plain), "plain.pdf");
    EXPECT_EQ(facts.pdfa, "");
    EXPECT_FALSE(facts.tagged);
    test::RunResult r = factsheet("archive add " + plain + " --archive " + archive_ +
                                  " --operation mali --lang en --title Plain --date 2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string added = archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf";

    std::string expected =
        "2026-12-02  mali  en  external  e1  2 pages  " + size_of(added) +
        " bytes  -  mali/mali-external-en-e1-2026-12-02.pdf  Plain\n"
        "2026-11-29  mali  en  factsheet  e1  2 pages  " +
        size_of(made) +
        " bytes  PDF/A-1b, tagged  mali/mali-en-e1-2026-11-29.pdf  Mali \u2014 Protection Cluster \u00B7 "
        "Factsheet\n";
    r = factsheet("archive list --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected);

    nlohmann::json list = nlohmann::json::parse(list_json());
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["pdfa"], nullptr);
    EXPECT_EQ(list[0]["tagged"], false);
    EXPECT_EQ(list[1]["pdfa"], "PDF/A-1b");
    EXPECT_EQ(list[1]["tagged"], true);
    EXPECT_EQ(nlohmann::json::parse(test::read_file(archive_ + "/index.json"))["publications"], list);

    // Reindex reads them again from the files.
    fs::remove(archive_ + "/catalog.sqlite");
    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(factsheet("archive list --archive " + archive_).out, expected);
}

TEST_F(ArchiveTest, a_catalog_older_than_the_pdfa_columns_keeps_working) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    std::string made = archive_ + "/mali/mali-en-e1-2026-11-29.pdf";
    std::string catalog = archive_ + "/catalog.sqlite";
    auto exec = [&](const std::string& sql) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    };
    auto columns = [&] {
        std::string out;
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('files')", -1, &s, nullptr);
        while (sqlite3_step(s) == SQLITE_ROW)
            out += std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) + " ";
        sqlite3_finalize(s);
        sqlite3_close(db);
        return out;
    };
    const std::string old_columns =
        "id operation lang kind title edition issued path sha256 size pages source_hash supersedes ";
    exec("ALTER TABLE files DROP COLUMN pdfa; ALTER TABLE files DROP COLUMN tagged");
    ASSERT_EQ(columns(), old_columns);

    // Reading leaves the catalog as it is and shows the facts as not recorded.
    test::RunResult r = factsheet("archive list --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "2026-11-29  mali  en  factsheet  e1  2 pages  " + size_of(made) +
                         " bytes  ?  mali/mali-en-e1-2026-11-29.pdf  Mali \u2014 Protection Cluster \u00B7 "
                         "Factsheet\n");
    nlohmann::json list = nlohmann::json::parse(list_json());
    EXPECT_FALSE(list[0].contains("pdfa"));
    EXPECT_FALSE(list[0].contains("tagged"));
    EXPECT_EQ(columns(), old_columns);
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);

    // A change adds the columns; the rows cataloged before stay unrecorded until reindex.
    std::string plain = untagged_copy(made, dir_ + "/plain.pdf");
    r = factsheet("archive add " + plain + " --archive " + archive_ +
                  " --operation mali --lang en --title Plain --date 2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(columns(), old_columns + "pdfa tagged ");
    std::string added = archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf";
    std::string first = "2026-12-02  mali  en  external  e1  2 pages  " + size_of(added) +
                        " bytes  -  mali/mali-external-en-e1-2026-12-02.pdf  Plain\n";
    std::string second = "2026-11-29  mali  en  factsheet  e1  2 pages  " + size_of(made) + " bytes  ";
    std::string rest = "  mali/mali-en-e1-2026-11-29.pdf  Mali \u2014 Protection Cluster \u00B7 Factsheet\n";
    EXPECT_EQ(factsheet("archive list --archive " + archive_).out, first + second + "?" + rest);

    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(factsheet("archive list --archive " + archive_).out,
              first + second + "PDF/A-1b, tagged" + rest);
}

TEST(archive_xmp, pdfa_claims_as_elements_or_attributes) {
    auto xmp = [](const std::string& description) {
        return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
               "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
               description + "</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";
    };
    EXPECT_EQ(
        pdfa_claim(xmp("<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
                       "<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
                       "</rdf:Description>")),
        "PDF/A-1b");
    EXPECT_EQ(pdfa_claim(xmp("<rdf:Description rdf:about=\"\" xmlns:id=\"http://www.aiim.org/pdfa/ns/id/\" "
                             "id:part=\"2\" id:conformance=\"U\"/>")),
              "PDF/A-2u");
    EXPECT_EQ(pdfa_claim(xmp("<rdf:Description xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" "
                             "pdfaid:part=\" 4 \"/>")),
              "PDF/A-4");
    // Another namespace under the usual prefix, no part, or no XML: no claim.
    EXPECT_EQ(pdfa_claim(xmp("<rdf:Description xmlns:pdfaid=\"http://example.org/\" pdfaid:part=\"1\" "
                             "pdfaid:conformance=\"B\"/>")),
              "");
    EXPECT_EQ(pdfa_claim(xmp("<rdf:Description xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" "
                             "pdfaid:conformance=\"B\"/>")),
              "");
    EXPECT_EQ(pdfa_claim("not xml"), "");
    EXPECT_EQ(pdfa_claim(""), "");
}

TEST_F(ArchiveTest, published_pages_parse_and_show_in_a_browser) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    ASSERT_EQ(issue(source("mali", "v2"), "2026-12-01", " --lang en").exit_code, 0);
    ASSERT_EQ(issue(source("niger"), "2026-12-01").exit_code, 0);

    // index.json: JSON, newest first, with what a machine needs to fetch and check each file.
    nlohmann::json index = nlohmann::json::parse(test::read_file(archive_ + "/index.json"));
    EXPECT_EQ(index["format"], "factsheet-archive");
    EXPECT_EQ(index["updated"], "2026-12-01");
    const nlohmann::json& publications = index["publications"];
    ASSERT_EQ(publications.size(), 5u);
    EXPECT_EQ(publications[0]["path"], "mali/mali-en-e2-2026-12-01.pdf");
    EXPECT_EQ(publications[0]["supersedes"], "mali/mali-en-e1-2026-11-29.pdf");
    EXPECT_EQ(publications[0]["sha256"],
              sha256_hex(test::read_file(archive_ + "/mali/mali-en-e2-2026-12-01.pdf")));
    EXPECT_EQ(publications[4]["supersedes"], nullptr);

    // feed.xml: an Atom feed with its required elements, one entry per file, each with a link.
    pugi::xml_document feed;
    ASSERT_TRUE(feed.load_file((archive_ + "/feed.xml").c_str()));
    pugi::xml_node root = feed.child("feed");
    EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
    EXPECT_EQ(std::string(root.child_value("id")).rfind("urn:uuid:", 0), 0u);
    EXPECT_STREQ(root.child_value("updated"), "2026-12-01T00:00:00Z");
    EXPECT_STREQ(root.child("author").child_value("name"), "Publication archive");
    int entries = 0;
    std::set<std::string> ids;
    for (pugi::xml_node entry : root.children("entry")) {
        ++entries;
        ids.insert(entry.child_value("id"));
        EXPECT_NE(std::string(entry.child_value("title")), "");
        EXPECT_EQ(std::string(entry.child_value("updated")).size(), 20u);
        std::string href = entry.child("link").attribute("href").value();
        EXPECT_TRUE(fs::exists(archive_ + "/" + href)) << href;
    }
    EXPECT_EQ(entries, 5);
    EXPECT_EQ(ids.size(), 5u);

    // index.html in headless Chromium: the document it builds has every title and link.
    std::string profile = dir_ + "/chromium";
    test::RunResult dom = test::run(
        "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update "
        "--disable-sync --no-first-run --user-data-dir=" +
        profile + " --dump-dom file://" + archive_ + "/index.html");
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    const std::string& html = dom.out;
    EXPECT_NE(html.find("<h1>Latest Publications <span lang=\"fr\">· Dernières publications</span></h1>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<h2>Mali — Protection Cluster</h2>"), std::string::npos);
    for (const char* link : {"mali/mali-en-e1-2026-11-29.pdf", "mali/mali-fr-e1-2026-11-29.pdf",
                             "mali/mali-en-e2-2026-12-01.pdf", "niger/niger-en-e1-2026-12-01.pdf",
                             "niger/niger-fr-e1-2026-12-01.pdf"})
        EXPECT_NE(html.find(std::string("<a href=\"") + link + "\""), std::string::npos) << link;
    EXPECT_NE(html.find(">Mali — Cluster Protection · Fiche d’information</a>"), std::string::npos);
    // The English and the French factsheet of the 29th share a row; the newer English one has
    // no French companion, and the first English edition is marked superseded.
    std::size_t row = html.find("<time datetime=\"2026-11-29\">29 November 2026</time>");
    ASSERT_NE(row, std::string::npos);
    std::size_t row_end = html.find("</tr>", row);
    EXPECT_NE(html.find("mali/mali-en-e1-2026-11-29.pdf", row), std::string::npos);
    EXPECT_LT(html.find("mali/mali-fr-e1-2026-11-29.pdf", row), row_end);
    EXPECT_LT(html.find("<span class=\"superseded\">superseded</span>", row), row_end);
    EXPECT_NE(html.find("<td class=\"file none\">—</td>"), std::string::npos);
    // Its only scripts are the search block's (tests/archive/search_test.cpp).
    EXPECT_GT(html.find("<script"), html.find("<section id=\"search\""));
}

TEST(archive_names, operation_ids_and_dates) {
    EXPECT_TRUE(valid_operation_id("mali"));
    EXPECT_TRUE(valid_operation_id("burkina-faso-2"));
    EXPECT_FALSE(valid_operation_id(""));
    EXPECT_FALSE(valid_operation_id("Mali"));
    EXPECT_FALSE(valid_operation_id("../mali"));
    // The sources' rule, as docs/archive.md states it: words of [a-z0-9] joined by single '-'.
    EXPECT_FALSE(valid_operation_id("mali-"));
    EXPECT_FALSE(valid_operation_id("a--b"));
    EXPECT_FALSE(valid_operation_id("-mali"));
    EXPECT_FALSE(valid_operation_id(std::string(65, 'a')));
    EXPECT_FALSE(valid_operation_id("a/b"));
    EXPECT_TRUE(valid_iso_date("2024-02-29"));
    EXPECT_FALSE(valid_iso_date("2023-02-29"));
    EXPECT_FALSE(valid_iso_date("2023-13-01"));
    EXPECT_FALSE(valid_iso_date("2023-1-01"));
    EXPECT_FALSE(valid_iso_date("2023-01-01T00"));
}

TEST(archive_json, sidecars_read_strictly) {
    std::map<std::string, std::string> fields = parse_sidecar(
        "{\"a\": [1, -2.5e3, true, null], \"b\": \"\\u00e9\\ud83d\\ude00\", \"b\": \"x\"}", "x");
    EXPECT_EQ(fields, (std::map<std::string, std::string>{{"b", "x"}}));  // the last of a repeated name
    auto error = [](const std::string& text) {
        try {
            parse_sidecar(text, "x.json");
        } catch (const Error& e) {
            return format_error(e.diagnostics().front());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("[1,]"),
              "x.json:1:4: error: not valid JSON: syntax error while parsing value - unexpected ']'; "
              "expected '[', '{', or a literal");
    EXPECT_EQ(error("{\"a\":1,}"),
              "x.json:1:8: error: not valid JSON: syntax error while parsing object key - "
              "unexpected '}'; expected string literal");
    EXPECT_EQ(error("{\"a\":1}\n x"),
              "x.json:2:2: error: not valid JSON: syntax error while parsing value - invalid "
              "literal; last read: '1}<U+000A> x'; expected end of input");
    EXPECT_EQ(error("{\"é\": \"a\tb\"}"),
              "x.json:1:9: error: not valid JSON: syntax error while parsing value - "
              "invalid string: control character U+0009 (HT) must be escaped to \\u0009 "
              "or \\t; last read: '\"a<U+0009>'");
    EXPECT_EQ(error(""),
              "x.json:1:1: error: not valid JSON: syntax error while parsing value - unexpected end of "
              "input; expected '[', '{', or a literal");
    EXPECT_EQ(error("[]"), "x.json:1:1: error: not a JSON object: a sidecar holds one object of stamps");
}

TEST(archive_json, files_one_per_line_in_a_fixed_order) {
    EXPECT_EQ(files_json({}), "[]");
    ArchivedFile a;
    a.operation = "mali";
    a.lang = "fr";
    a.kind = "factsheet";
    a.edition = 2;
    a.issued = "2026-12-01";
    a.title = "Mali — \"Cluster\"\\\n\x01\b";
    a.path = "mali/mali-fr-e2-2026-12-01.pdf";
    a.sha256 = "ab";
    a.size = 4096;
    a.pages = 2;
    a.source_hash = "cd";
    a.supersedes_path = "mali/mali-fr-e1-2026-11-29.pdf";
    ArchivedFile b = a;
    b.title = "bad \xff";
    b.supersedes_path = "";
    b.pdfa = "";
    b.tagged = false;
    ArchivedFile c = b;  // from a catalog older than the PDF/A and tags columns
    c.pdfa.reset();
    c.tagged.reset();
    c.superseded_by = "mali/mali-fr-e3-2026-12-02.pdf";
    EXPECT_EQ(
        files_json({a, b, c}),
        "[\n"
        "  {\"operation\": \"mali\", \"lang\": \"fr\", \"kind\": \"factsheet\", \"edition\": 2, \"issued\": "
        "\"2026-12-01\", \"title\": \"Mali — \\\"Cluster\\\"\\\\\\n\\u0001\\b\", \"path\": "
        "\"mali/mali-fr-e2-2026-12-01.pdf\", \"sha256\": \"ab\", \"size\": 4096, \"pages\": 2, "
        "\"source_hash\": "
        "\"cd\", \"supersedes\": \"mali/mali-fr-e1-2026-11-29.pdf\", \"superseded_by\": null},\n"
        "  {\"operation\": \"mali\", \"lang\": \"fr\", \"kind\": \"factsheet\", \"edition\": 2, \"issued\": "
        "\"2026-12-01\", \"title\": \"bad \uFFFD\", \"path\": \"mali/mali-fr-e2-2026-12-01.pdf\", "
        "\"sha256\": "
        "\"ab\", \"size\": 4096, \"pages\": 2, \"pdfa\": null, \"tagged\": false, \"source_hash\": \"cd\", "
        "\"supersedes\": null, \"superseded_by\": null},\n"
        "  {\"operation\": \"mali\", \"lang\": \"fr\", \"kind\": \"factsheet\", \"edition\": 2, \"issued\": "
        "\"2026-12-01\", \"title\": \"bad \uFFFD\", \"path\": \"mali/mali-fr-e2-2026-12-01.pdf\", "
        "\"sha256\": "
        "\"ab\", \"size\": 4096, \"pages\": 2, \"source_hash\": \"cd\", \"supersedes\": null, "
        "\"superseded_by\": \"mali/mali-fr-e3-2026-12-02.pdf\"}\n"
        "]");
}

// The combined edition is a third language form: "en-fr" in its name, the catalog and the exports;
// a catalog of version 1 (languages en and fr only) is read as it is and upgraded by the next issue.
TEST_F(ArchiveTest, the_combined_edition_is_cataloged_and_an_older_catalog_upgraded_for_it) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    std::string catalog = archive_ + "/catalog.sqlite";
    auto sql = [&](const std::string& statement) {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
        std::string out;
        auto collect = [](void* text, int n, char** values, char**) {
            for (int i = 0; i < n; ++i)
                *static_cast<std::string*>(text) += std::string(values[i] ? values[i] : "") + "\n";
            return 0;
        };
        EXPECT_EQ(sqlite3_exec(db, statement.c_str(), collect, &out, nullptr), SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_close(db);
        return out;
    };
    // Back to version 1: the table as it was, its language check en or fr.
    sql("PRAGMA foreign_keys=OFF; CREATE TABLE v1 (id INTEGER PRIMARY KEY, operation TEXT NOT NULL, lang "
        "TEXT NOT NULL "
        "CHECK (lang IN ('en', 'fr')), kind TEXT NOT NULL CHECK (kind IN ('factsheet', 'external')), title "
        "TEXT NOT "
        "NULL, edition INTEGER NOT NULL CHECK (edition >= 1), issued TEXT NOT NULL, path TEXT NOT NULL "
        "UNIQUE, sha256 "
        "TEXT NOT NULL, size INTEGER NOT NULL, pages INTEGER NOT NULL, source_hash TEXT NOT NULL, supersedes "
        "INTEGER "
        "REFERENCES files (id), pdfa TEXT, tagged INTEGER, UNIQUE (operation, lang, kind, edition)); INSERT "
        "INTO v1 "
        "SELECT * FROM files; DROP TABLE files; ALTER TABLE v1 RENAME TO files; PRAGMA user_version=1;");
    ASSERT_EQ(sql("PRAGMA user_version"), "1\n");
    EXPECT_EQ(factsheet("archive list --archive " + archive_).exit_code, 0);
    EXPECT_EQ(sql("PRAGMA user_version"), "1\n");  // reading changes nothing

    test::RunResult r = issue(source("mali"), "2026-12-01", " --lang en+fr");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(sql("PRAGMA user_version"), "3\n");  // the current version (3 has the search index)
    std::string combined = archive_ + "/mali/mali-en-fr-e1-2026-12-01.pdf";
    ASSERT_TRUE(fs::exists(combined));
    EXPECT_EQ(sql("SELECT lang FROM files ORDER BY id"), "en\nen-fr\n");
    nlohmann::json list = nlohmann::json::parse(list_json());
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["lang"], "en-fr");
    EXPECT_EQ(list[0]["title"],
              "Mali \u2014 Protection Cluster \u00B7 Factsheet / Mali \u2014 Cluster Protection \u00B7 Fiche "
              "d\u2019information");
    // The exports: the feed names no single language for it, the page has a column for it.
    std::string feed = test::read_file(archive_ + "/feed.xml");
    EXPECT_NE(feed.find("Factsheet, English and French, edition 1"), std::string::npos) << feed;
    EXPECT_EQ(feed.find("hreflang=\"en-fr\""), std::string::npos);
    EXPECT_EQ(test::run("xmllint --noout " + archive_ + "/feed.xml").exit_code, 0);
    EXPECT_NE(test::read_file(archive_ + "/index.html").find("mali/mali-en-fr-e1-2026-12-01.pdf"),
              std::string::npos);
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
    // Reindex rebuilds it from the files' stamps.
    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(sql("SELECT lang FROM files ORDER BY lang"), "en\nen-fr\n");
}

}  // namespace
}  // namespace factsheet

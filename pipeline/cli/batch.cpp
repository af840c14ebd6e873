#include "cli/batch.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "cli/file_digests.hpp"
#include "cli/terminal.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "layout/hyphenate.hpp"
#include "layout/styles.hpp"
#include "source/source.hpp"

namespace factsheet {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The hash of what every factsheet of a language depends on besides its source: each file of
// the layout folder, the font files its styles resolve to, the hyphenation dictionary, the
// program itself and the date stamped into the PDF. The program is hashed whole, not only its
// version: a new build that sets text differently (kerning, hyphenation) keeps the version
// number until a release, and its factsheets must not be skipped as up to date. The digests of
// the program, fonts and dictionaries come from `digests` while their files are unchanged.
std::map<Lang, std::string> environment_keys(const Environment& env, const std::vector<Lang>& langs,
                                             FileDigests& digests) {
    Sha256 common;
    common.field("creator", env.creator);
    std::error_code program_error;
    fs::path program = fs::read_symlink("/proc/self/exe", program_error);
    if (program_error)
        throw Error(SourcePos{"/proc/self/exe", 0, 0},
                    "cannot find the running program to tell builds apart: " + program_error.message());
    // Files of megabytes (the program is about 10 MB) by their digest, read a piece at a time.
    common.field("program", digests.digest(program.string()));
    common.field("date", env.date.value_or("(the source's as-of date)"));
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(env.layout_dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) files.push_back(it->path());
    if (ec) throw Error(SourcePos{env.layout_dir, 0, 0}, "cannot read the layout folder: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files)
        common.field("layout " + fs::relative(file, env.layout_dir).generic_string(),
                     read_whole_file(file.string()));
    StyleSheet sheet = read_styles(env.layout_dir + "/styles.xml");
    for (const auto& font : sheet.fonts) common.field("font " + font->path(), digests.digest(font->path()));
    std::string common_key = common.hex();

    std::map<Lang, std::string> keys;
    for (Lang lang : langs) {
        Sha256 h;
        h.field("common", common_key);
        h.field("lang", lang_code(lang));
        std::string dictionary = default_hyphen_dictionary(lang_code(lang));
        if (!dictionary.empty() && fs::exists(dictionary)) h.field("hyphenation", digests.digest(dictionary));
        keys[lang] = h.hex();
    }
    return keys;
}

// A SHA-256 digest as its 32 bytes: the record keeps two per PDF, and a batch of thousands of
// sources keeps the record whole, so it holds them at half the size of their hex spelling.
using Digest = std::array<unsigned char, 32>;

// The digest spelled in `hex` (64 lowercase hex digits); none when it is anything else.
std::optional<Digest> parse_digest(std::string_view hex) {
    if (hex.size() != 2 * Digest{}.size()) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    Digest d;
    for (std::size_t i = 0; i < d.size(); ++i) {
        int high = nibble(hex[2 * i]), low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        d[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return d;
}

void append_hex(std::string& out, const Digest& d) {
    static constexpr char digits[] = "0123456789abcdef";
    for (unsigned char byte : d) {
        out += digits[byte >> 4];
        out += digits[byte & 0xF];
    }
}

// The record of what was built: for each PDF, the key of its inputs, its own hash and its pages.
struct Record {
    Digest key{};
    Digest pdf_sha256{};
    int pages = 0;
    bool operator==(const Record&) const = default;
};

using Records = std::map<std::string, Record, std::less<>>;  // by PDF file name

constexpr std::string_view record_header = "factsheet-cache 1";

// The record of a built edition; none when its hashes are not digests (they always are).
std::optional<Record> record_of(const EditionResult& e) {
    auto key = parse_digest(e.input_key);
    auto sha = parse_digest(e.sha256);
    if (!key || !sha) return std::nullopt;
    return Record{*key, *sha, e.pages};
}

// The record of one line of the record file, NAME KEY SHA256 PAGES separated by single spaces,
// with its name; none when the line does not parse.
std::optional<std::pair<std::string_view, Record>> parse_record_line(std::string_view line) {
    std::string_view fields[4];
    std::size_t n = 0;
    for (std::size_t from = 0; n < 4 && from <= line.size(); ++n) {
        std::size_t space = n < 3 ? line.find(' ', from) : line.size();
        if (space == std::string_view::npos) break;
        fields[n] = line.substr(from, space - from);
        from = space + 1;
    }
    if (n < 4 || fields[0].empty() || fields[3].empty() || fields[3].size() > 6) return std::nullopt;
    auto key = parse_digest(fields[1]);
    auto sha = parse_digest(fields[2]);
    bool digits =
        std::all_of(fields[3].begin(), fields[3].end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!key || !sha || !digits) return std::nullopt;
    int pages = 0;
    for (char c : fields[3]) pages = pages * 10 + (c - '0');
    return std::pair{fields[0], Record{*key, *sha, pages}};
}

// Reads the record, and the digests of files it keeps into `digests`; a missing or unreadable one
// is empty (everything is rebuilt, never skipped wrongly), and so is any line that does not parse.
// The file of a large batch is megabytes: it is read a piece at a time, never held whole.
Records read_records(const std::string& path, FileDigests& digests) {
    Records records;
    if (!fs::exists(path)) return records;
    std::string line;  // what the last piece left of a line
    bool header = true, valid = true;
    auto take_line = [&](std::string_view text) {
        if (header) {
            valid = text == record_header;
            header = false;
        } else if (digests.read_line(text)) {
            // the digest of a file the environment's key covers, taken
        } else if (auto parsed = parse_record_line(text)) {
            records.insert_or_assign(std::string(parsed->first), parsed->second);
        }
    };
    try {
        read_whole_file(path, [&](std::string_view piece) {
            if (!valid) return;
            for (std::size_t end; valid && (end = piece.find('\n')) != std::string_view::npos;
                 piece.remove_prefix(end + 1)) {
                if (line.empty()) {
                    take_line(piece.substr(0, end));
                } else {
                    line.append(piece.substr(0, end));
                    take_line(line);
                    line.clear();
                }
            }
            if (valid) line.append(piece);
        });
    } catch (const Error&) {
        valid = false;
    }
    if (valid && !line.empty()) take_line(line);
    if (!valid) {
        digests = FileDigests();
        return Records();
    }
    return records;
}

// Writes the record, a line at a time: the digests of files first.
void write_records(const std::string& path, const Records& records, const FileDigests& digests) {
    write_file_atomic(path, [&](const std::function<void(std::string_view)>& put) {
        put(record_header);
        put("\n");
        put(digests.lines());
        std::string line;
        for (const auto& [name, r] : records) {
            line.assign(name).append(" ");
            append_hex(line, r.key);
            line.append(" ");
            append_hex(line, r.pdf_sha256);
            line.append(" ").append(std::to_string(r.pages)).append("\n");
            put(line);
        }
    });
}

// Whether the PDF at `path` exists and is the one the record describes.
bool matches_record(const std::string& path, const Record& r, std::size_t& bytes) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    std::string pdf = read_whole_file(path);
    bytes = pdf.size();
    return parse_digest(sha256_hex(pdf)) == r.pdf_sha256;
}

// A source's built PDFs on their way to disk, written together: all replace their files or none
// does. Writing flushes the files to disk, which takes as long as building them on some disks: a
// writer thread does it while the workers build the next factsheets.
struct WriteJob {
    struct File {
        std::size_t edition;  // index in its source's editions
        std::string path;
        std::string pdf;
    };
    std::size_t source;  // index in the batch
    std::vector<File> files;
};

// A write that failed, applied to its source's result when the source is finished: none of its
// editions was written.
struct WriteFailure {
    std::vector<std::size_t> editions;
    Diagnostic diagnostic;
    bool internal;
};

// A source being built, or built and waiting for the sources before it to be reported.
struct InFlight {
    SourceResult result;
    int pending = 1;  // writes in flight, +1 while a worker holds it
    std::vector<WriteFailure> write_failures;
    bool finished = false;  // its result is final
};

// The counter of `status` in `counts`.
std::size_t& count_of(BatchCounts& counts, BuildStatus status) {
    switch (status) {
        case BuildStatus::built: return counts.built;
        case BuildStatus::skipped: return counts.skipped;
        case BuildStatus::planned: return counts.planned;
        case BuildStatus::failed: break;
    }
    return counts.failed;
}

// Everything the workers and the writer share. A source's result lives only from its start until it
// is reported: what stays for the whole batch is the counts, the record and the ids claimed, so
// that memory does not grow with the number of sources beyond those.
struct Shared {
    Shared(const std::vector<std::string>& p, const BatchOptions& o, const BatchProgress& pr, Records r)
        : paths(p), options(o), progress(pr), records(std::move(r)) {}

    const std::vector<std::string>& paths;
    const BatchOptions& options;
    const BatchProgress& progress;
    std::map<Lang, std::string> env_keys;
    std::size_t max_queued = 2;           // sources whose PDFs wait to be written, at most
    std::atomic<std::size_t> next{0};     // the next source to take
    std::mutex mutex;                     // guards everything below
    std::condition_variable write_ready;  // a job was queued, or there will be no more
    std::condition_variable write_space;  // a job was taken off the queue
    std::deque<WriteJob> writes;
    bool no_more_writes = false;
    // The record as read, updated as each source is reported. A source's PDFs are its own (its id
    // is claimed) and its entries change only once it is finished, so a worker reads them safely.
    Records records;
    bool records_changed = false;
    std::map<std::size_t, InFlight> in_flight;       // by index in the batch
    std::map<std::string, std::size_t> claimed_ids;  // id -> index of the source that claimed it
    std::size_t done = 0;                            // sources reported, in order
    BatchResult totals;                              // of the sources reported
};

// Counts a finished source, updates the record with its factsheets and reports it.
void report(Shared& s, const SourceResult& r) {
    BatchResult& t = s.totals;
    ++t.sources;
    t.internal = t.internal || r.internal;
    ++count_of(t.by_source, r.status());
    if (r.editions.empty() && !r.errors.empty())
        t.factsheets.failed += s.options.langs.size() + (s.options.combined ? 1 : 0);
    for (const EditionResult& e : r.editions) {
        ++count_of(t.factsheets, e.status);
        if (s.options.dry_run) continue;
        std::string name = fs::path(e.path).filename().string();
        if (e.status == BuildStatus::built) {
            std::optional<Record> built = record_of(e);
            if (!built) {
                s.records_changed = s.records.erase(name) > 0 || s.records_changed;
                continue;
            }
            auto [it, fresh] = s.records.try_emplace(std::move(name), *built);
            if (!fresh && it->second != *built) {
                it->second = *built;
                fresh = true;
            }
            s.records_changed = s.records_changed || fresh;
        }
        if (e.status == BuildStatus::failed && s.records.erase(name) > 0) s.records_changed = true;
    }
    if (s.progress) s.progress(r, s.done, s.paths.size());
}

// Called with the mutex held when the last piece of work on a source ends: its result is final.
void finish_source(Shared& s, std::size_t i) {
    InFlight& f = s.in_flight.at(i);
    SourceResult& r = f.result;
    for (WriteFailure& w : f.write_failures) {
        for (std::size_t edition : w.editions) {
            EditionResult& e = r.editions.at(edition);
            e.status = BuildStatus::failed;
            e.sha256.clear();
            e.bytes = 0;
        }
        r.errors.push_back(std::move(w.diagnostic));
        r.internal = r.internal || w.internal;
    }
    f.write_failures.clear();
    // Reported in the order of the sources, whatever order the workers finish in, so that the
    // log of a batch reads the same for any --jobs; then dropped.
    f.finished = true;
    for (auto next = s.in_flight.find(s.done); next != s.in_flight.end() && next->second.finished;
         next = s.in_flight.find(s.done)) {
        ++s.done;
        report(s, next->second.result);
        s.in_flight.erase(next);
    }
}

void release(Shared& s, std::size_t i) {
    if (--s.in_flight.at(i).pending == 0) finish_source(s, i);
}

void queue_write(Shared& s, WriteJob job) {
    std::unique_lock lock(s.mutex);
    s.write_space.wait(lock, [&] { return s.writes.size() < s.max_queued; });
    ++s.in_flight.at(job.source).pending;
    s.writes.push_back(std::move(job));
    s.write_ready.notify_one();
}

// How many sources' files the writer flushes to disk at once, at most, and how long a source
// written waits for the flush at most: a flush costs about the same for one source as for many
// (on a virtual disk, a request and an exit to the host each). Flushing each source or two, the
// 1,000-source batch made some 700 and took 2.25 s; 16 at a time, 2.05 s. Its files are written
// at once, so that the memory a waiting source holds is a temporary file's.
constexpr std::size_t sources_per_flush = 16;
constexpr auto longest_wait_for_flush = std::chrono::milliseconds(500);

// The writer: takes every job queued and writes its temporary files, then flushes and renames
// them with those of the sources before (FileGroups) once sources_per_flush sources wait, the
// first of them waited longest_wait_for_flush, or no more will come. A source is released (and
// reported) only once its files have their names.
void write_files(Shared& s) {
    FileGroups files;
    struct Waiting {
        std::size_t source;
        std::vector<std::size_t> editions;
        std::string path;  // of its first file, for an internal error
        bool added = false;
        std::optional<WriteFailure> failure;
    };
    std::vector<Waiting> waiting;
    std::chrono::steady_clock::time_point first_waiting;
    auto internal = [](const Waiting& w, const std::exception& error) {
        return WriteFailure{
            w.editions, Diagnostic{SourcePos{w.path, 0, 0}, std::string("internal error: ") + error.what()},
            true};
    };
    auto flush = [&] {
        try {
            std::vector<std::optional<Error>> errors = files.commit();  // one for each added
            auto error = errors.begin();
            for (Waiting& w : waiting) {
                if (!w.added) continue;
                if (*error) w.failure = WriteFailure{w.editions, (*error)->diagnostics().front(), false};
                ++error;
            }
        } catch (const std::exception& error) {
            for (Waiting& w : waiting)
                if (w.added && !w.failure) w.failure = internal(w, error);
        }
        std::lock_guard lock(s.mutex);
        for (Waiting& w : waiting) {
            if (w.failure) s.in_flight.at(w.source).write_failures.push_back(std::move(*w.failure));
            release(s, w.source);
        }
        waiting.clear();
    };
    for (;;) {
        std::vector<WriteJob> jobs;
        bool last = false;
        {
            std::unique_lock lock(s.mutex);
            auto ready = [&] { return !s.writes.empty() || s.no_more_writes; };
            if (waiting.empty())
                s.write_ready.wait(lock, ready);
            else
                s.write_ready.wait_until(lock, first_waiting + longest_wait_for_flush, ready);
            std::move(s.writes.begin(), s.writes.end(), std::back_inserter(jobs));
            s.writes.clear();
            s.write_space.notify_all();
            last = s.no_more_writes;
        }
        for (WriteJob& job : jobs) {
            if (waiting.empty()) first_waiting = std::chrono::steady_clock::now();
            Waiting& w = waiting.emplace_back();
            w.source = job.source;
            std::vector<FileContent> group;
            for (const WriteJob::File& f : job.files) {
                w.editions.push_back(f.edition);
                group.push_back({f.path, f.pdf});
            }
            if (!group.empty()) w.path = group.front().path;
            try {
                if (std::optional<Error> error = files.add(group))
                    w.failure = WriteFailure{w.editions, error->diagnostics().front(), false};
                else
                    w.added = true;
            } catch (const std::exception& error) {
                w.failure = internal(w, error);
            }
            job.files.clear();  // its bytes are in the temporary files now
        }
        if (!waiting.empty() && (last || waiting.size() >= sources_per_flush ||
                                 std::chrono::steady_clock::now() >= first_waiting + longest_wait_for_flush))
            flush();
        if (last) return;
    }
}

void build_source(Shared& s, FactsheetBuilder* builder, std::size_t index, SourceResult& r) {
    const std::string& path = r.source;
    std::string bytes = read_source_file(path);
    std::string source_key = sha256_hex(bytes);
    // A dry run loads no layout, so it leaves the characters to the build it plans. A text
    // missing in one language fails only the editions that need it, below.
    EditionPlan nothing_required{{}, s.options.draft};
    Operation op = builder ? builder->parse_source(bytes, path, nothing_required)
                           : parse_operation(bytes, path, nothing_required);
    bytes.clear();
    bytes.shrink_to_fit();
    r.id = op.id;
    {
        std::lock_guard lock(s.mutex);
        auto [it, fresh] = s.claimed_ids.emplace(op.id, index);
        if (!fresh)
            throw Error(SourcePos{path, 0, 0},
                        "operation id \"" + op.id + "\" is also the id of " + s.paths.at(it->second) +
                            "; each source needs its own id, or their PDFs overwrite each other");
    }
    // The source's built editions, queued together once all are made.
    WriteJob write{index, {}};
    // One edition: skipped when its record says it is up to date, else built.
    auto edition = [&](Lang lang, bool combined, const std::string& name, const std::string& environment_key,
                       const std::function<Edition()>& make) {
        auto start = Clock::now();
        EditionResult e;
        e.lang = lang;
        e.combined = combined;
        e.path = (fs::path(s.options.out_dir) / name).string();
        Sha256 key_hash;
        key_hash.field("environment", environment_key);
        key_hash.field("source", source_key);
        // A factsheet built with warnings must not count as up to date for a strict batch.
        if (s.options.strict) key_hash.field("strict", "warnings are errors");
        // Nor a draft for a batch of complete editions, nor the other way round.
        if (s.options.draft) key_hash.field("draft", "stand-ins from the other language, pages marked");
        e.input_key = key_hash.hex();
        std::optional<Record> old;
        {
            std::lock_guard lock(s.mutex);
            if (auto found = s.records.find(name); found != s.records.end()) old = found->second;
        }
        // The combined edition needs the texts of both languages.
        std::vector<Lang> needed = combined ? std::vector<Lang>{Lang::en, Lang::fr} : std::vector<Lang>{lang};
        std::vector<Diagnostic> missing = missing_text_errors(op, EditionPlan{needed, s.options.draft});
        if (!missing.empty()) {
            e.status = BuildStatus::failed;
            r.errors.insert(r.errors.end(), missing.begin(), missing.end());
        } else if (!s.options.force && old && parse_digest(e.input_key) == old->key &&
                   matches_record(e.path, *old, e.bytes)) {
            e.status = BuildStatus::skipped;
            e.pages = old->pages;
            append_hex(e.sha256, old->pdf_sha256);
        } else if (s.options.dry_run) {
            e.status = BuildStatus::planned;
        } else {
            try {
                Edition built = make();
                if (s.options.strict && !built.warnings.empty()) throw Error(built.warnings);
                e.status = BuildStatus::built;  // until its write fails
                e.pages = built.pages;
                e.bytes = built.pdf.size();
                e.sha256 = sha256_hex(built.pdf);
                append_unique(r.warnings, built.warnings);
                write.files.push_back({r.editions.size(), e.path, std::move(built.pdf)});
            } catch (const Error& error) {
                e.status = BuildStatus::failed;
                r.errors.insert(r.errors.end(), error.diagnostics().begin(), error.diagnostics().end());
            }
        }
        e.seconds = seconds_since(start);
        r.editions.push_back(std::move(e));
    };
    for (Lang lang : s.options.langs)
        edition(lang, false, edition_file_name(op, lang), s.env_keys.at(lang),
                [&] { return builder->build(op, lang, nullptr, EditionOptions{.draft = s.options.draft}); });
    if (s.options.combined)
        edition(Lang::en, true, op.id + "-" + combined_code + ".pdf",
                s.env_keys.at(Lang::en) + " " + s.env_keys.at(Lang::fr) + " combined",
                [&] { return builder->build_combined(op, op, EditionOptions{.draft = s.options.draft}); });
    if (!write.files.empty()) queue_write(s, std::move(write));
}

void work(Shared& s, FactsheetBuilder* builder) {
    for (;;) {
        std::size_t i = s.next.fetch_add(1);
        if (i >= s.paths.size()) return;
        {
            // The worker's own hold on the source: it cannot be finished while still being built.
            std::lock_guard lock(s.mutex);
            s.in_flight.try_emplace(i);
        }
        SourceResult r;
        r.source = s.paths[i];
        try {
            build_source(s, builder, i, r);
        } catch (const Error& error) {
            r.errors.insert(r.errors.end(), error.diagnostics().begin(), error.diagnostics().end());
        } catch (const std::exception& error) {
            r.internal = true;
            r.errors.push_back(
                Diagnostic{SourcePos{r.source, 0, 0}, std::string("internal error: ") + error.what()});
        }
        std::lock_guard lock(s.mutex);
        // Writers only touch write_failures, never the result, so moving it in now is safe.
        s.in_flight.at(i).result = std::move(r);
        release(s, i);
    }
}

}  // namespace

const char* status_name(BuildStatus status) {
    switch (status) {
        case BuildStatus::built: return "built";
        case BuildStatus::skipped: return "skipped";
        case BuildStatus::failed: return "failed";
        case BuildStatus::planned: return "planned";
    }
    return "failed";
}

BuildStatus SourceResult::status() const {
    if (!errors.empty()) return BuildStatus::failed;
    bool planned = false;
    for (const EditionResult& e : editions) {
        if (e.status == BuildStatus::built) return BuildStatus::built;
        planned = planned || e.status == BuildStatus::planned;
    }
    return planned ? BuildStatus::planned : BuildStatus::skipped;
}

std::vector<std::string> list_sources(const std::string& dir) {
    std::vector<std::string> paths;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw Error(SourcePos{dir, 0, 0}, "cannot read the folder of sources: " + ec.message());
    for (const auto& entry : it) {
        if (entry.path().extension() == ".xml" && entry.is_regular_file())
            paths.push_back(entry.path().string());
    }
    if (paths.empty())
        throw Error(SourcePos{dir, 0, 0},
                    "no sources (*.xml files) in this folder; name the folder that holds them");
    std::sort(paths.begin(), paths.end());
    return paths;
}

BatchResult run_batch(const std::vector<std::string>& paths, const BatchOptions& options,
                      const BatchProgress& progress) {
    auto start = Clock::now();
    std::string record_path = (fs::path(options.out_dir) / build_record_name).string();
    FileDigests digests;
    Shared s(paths, options, progress, read_records(record_path, digests));
    // The combined edition is made of both languages: both keys and hyphenators.
    std::vector<Lang> used = options.combined ? std::vector<Lang>{Lang::en, Lang::fr} : options.langs;
    s.env_keys = environment_keys(options.env, used, digests);

    // The first builder is made here, so a broken layout stops the batch before any work starts.
    // Each worker has its own: rendering a template is not safe from two threads on one builder.
    std::size_t jobs = std::clamp<std::size_t>(options.jobs, 1, std::max<std::size_t>(paths.size(), 1));
    std::vector<std::unique_ptr<FactsheetBuilder>> builders;
    if (!options.dry_run) {
        for (Lang lang : used) prefetch_hyphenator(lang_code(lang));  // while the fonts load
        builders.push_back(std::make_unique<FactsheetBuilder>(options.env));
        std::error_code ec;
        fs::create_directories(options.out_dir, ec);
        if (ec)
            throw Error(SourcePos{options.out_dir, 0, 0}, "cannot create the output folder: " + ec.message());
    }
    builders.resize(jobs);

    // One writer: while it waits for the disk, the workers queue what it writes next. Two sources
    // a worker may wait (some 100 KB each), and half a flush's worth more: a flush takes some
    // 2 ms, at times 20, while two workers make a source a millisecond (with 4 queued at most,
    // the 1,000-source batch took 4 % longer).
    s.max_queued = 2 * jobs + sources_per_flush / 2;
    std::thread writer;
    if (!options.dry_run) writer = std::thread([&s] { write_files(s); });

    std::vector<std::thread> threads;
    std::exception_ptr startup_failure;
    std::mutex startup_mutex;
    for (std::size_t j = 1; j < jobs; ++j) {
        threads.emplace_back([&, j] {
            try {
                if (!options.dry_run) builders[j] = std::make_unique<FactsheetBuilder>(options.env);
            } catch (...) {
                std::lock_guard lock(startup_mutex);
                startup_failure = std::current_exception();
                return;
            }
            work(s, builders[j].get());
        });
    }
    work(s, builders[0].get());
    for (std::thread& t : threads) t.join();
    {
        std::lock_guard lock(s.mutex);
        s.no_more_writes = true;
    }
    s.write_ready.notify_all();
    if (writer.joinable()) writer.join();
    if (startup_failure) std::rethrow_exception(startup_failure);

    // The builders' fonts, dictionaries and caches are not needed to write the record.
    builders.clear();
    // Only the record's changes are written: a batch that changed nothing leaves it as it was.
    if (!options.dry_run && (s.records_changed || digests.changed()))
        write_records(record_path, s.records, digests);
    BatchResult result = s.totals;
    result.dry_run = options.dry_run;
    result.seconds = seconds_since(start);
    return result;
}

namespace {

using json = nlohmann::ordered_json;

// A value as `json::dump(2)` writes it `depth` levels down in a document: its lines after the first
// indented by two spaces a level. Invalid UTF-8 in a message (from a file name) is replaced rather
// than stopping the report.
std::string dump_at(const json& value, int depth) {
    std::string text = value.dump(2, ' ', false, json::error_handler_t::replace);
    std::string indent(static_cast<std::size_t>(2 * depth), ' ');
    std::string out;
    out.reserve(text.size());
    // A string in JSON holds no raw line break, so every one starts a line of the layout.
    for (char c : text) {
        out += c;
        if (c == '\n') out += indent;
    }
    return out;
}

// The document `factsheet batch --json` prints, written as the batch goes so that it is never
// held whole: the opening, each source's item as the source is reported, then the summary. The
// bytes are those of the whole document dumped at once with an indent of 2.
class BatchJson {
public:
    BatchJson(std::ostream& out, const std::string& version, bool dry_run) : out_(out) {
        out_ << "{\n  \"program\": " << dump_at(json(version), 1)
             << ",\n  \"dry_run\": " << (dry_run ? "true" : "false") << ",\n  \"sources\": [";
    }

    // One item of "sources".
    void source(const SourceResult& r) {
        json outputs = json::array();
        for (const EditionResult& e : r.editions) {
            json o = {{"lang", e.combined ? combined_code : lang_code(e.lang)},
                      {"path", e.path},
                      {"status", status_name(e.status)}};
            if (e.pages > 0) o["pages"] = e.pages;
            if (!e.sha256.empty()) {
                o["bytes"] = e.bytes;
                o["sha256"] = e.sha256;
            }
            o["seconds"] = e.seconds;
            outputs.push_back(std::move(o));
        }
        json item = {{"source", r.source},
                     {"id", r.id.empty() ? json(nullptr) : json(r.id)},
                     {"status", status_name(r.status())},
                     {"outputs", std::move(outputs)},
                     {"errors", diagnostics(r.errors, true)},
                     {"warnings", diagnostics(r.warnings, false)}};
        out_ << (any_ ? ",\n    " : "\n    ") << dump_at(item, 2);
        any_ = true;
        out_.flush();
    }

    // The summary, and the end of the document.
    void finish(const BatchResult& result) {
        auto counts = [](const BatchCounts& c) {
            return json{
                {"built", c.built}, {"skipped", c.skipped}, {"failed", c.failed}, {"planned", c.planned}};
        };
        // The sources by status, as the summary line counts them, then the factsheets; no rate when
        // nothing was built.
        json summary = {{"sources", result.sources}};
        summary.update(counts(result.by_source));
        summary["factsheets"] = counts(result.factsheets);
        summary["seconds"] = result.seconds;
        summary["built_per_second"] =
            result.factsheets.built > 0 && result.seconds > 0
                ? json(static_cast<double>(result.factsheets.built) / result.seconds)
                : json(nullptr);
        out_ << (any_ ? "\n  ]" : "]") << ",\n  \"summary\": " << dump_at(summary, 1) << "\n}\n";
    }

private:
    static json diagnostics(const std::vector<Diagnostic>& list, bool error) {
        json out = json::array();
        for (const Diagnostic& d : list)
            out.push_back({{"file", d.pos.file},
                           {"line", d.pos.line},
                           {"column", d.pos.col},
                           {"message", d.message},
                           {"text", error ? format_error(d) : format_warning(d)}});
        return out;
    }

    std::ostream& out_;
    bool any_ = false;  // an item was written
};

std::string edition_line(const EditionResult& e, const BatchDisplay& d) {
    Colour colour = e.status == BuildStatus::failed  ? Colour::error
                    : e.status == BuildStatus::built ? Colour::success
                                                     : Colour::skipped;
    std::string word = e.status == BuildStatus::planned ? "to build" : status_name(e.status);
    word.resize(8, ' ');
    std::string line = paint(word, colour, d.colour_out) + " " + e.path;
    if (d.verbosity > 0 && e.status != BuildStatus::failed) {
        char detail[96];
        if (e.pages > 0)
            std::snprintf(detail, sizeof detail, "  (%d pages, %.1f KB, %.1f ms)", e.pages,
                          static_cast<double>(e.bytes) / 1024.0, e.seconds * 1000.0);
        else
            std::snprintf(detail, sizeof detail, "  (%.1f ms)", e.seconds * 1000.0);
        line += detail;
    }
    return line;
}

// "3 sources: 2 built, 0 skipped, 1 failed; 4 factsheets written in 1.20 s (3.3 factsheets/s)". A
// source counts once whatever the number of its editions; the factsheets written are said
// apart, with the rate only when there were some.
std::string summary_line(const BatchResult& r, const BatchDisplay& d) {
    const BatchCounts& s = r.by_source;
    std::string failed = std::to_string(s.failed) + " failed";
    if (s.failed > 0) failed = paint(failed, Colour::error, d.colour_out);
    std::string line = std::to_string(r.sources) + (r.sources == 1 ? " source: " : " sources: ");
    if (r.dry_run)
        return line + std::to_string(s.planned) + " to build, " + std::to_string(s.skipped) +
               " up to date, " + failed + " (dry run: nothing written)";
    line += std::to_string(s.built) + " built, " + std::to_string(s.skipped) + " skipped, " + failed;
    std::size_t written = r.factsheets.built;
    if (written == 0) return line + " in " + format_seconds(r.seconds);
    char rate[64];
    std::snprintf(rate, sizeof rate, " (%.1f factsheets/s)",
                  r.seconds > 0 ? static_cast<double>(written) / r.seconds : 0.0);
    return line + "; " + std::to_string(written) + (written == 1 ? " factsheet" : " factsheets") +
           " written in " + format_seconds(r.seconds) + rate;
}

}  // namespace

BatchResult run_batch_command(const BatchOptions& options, const BatchDisplay& d, std::ostream& out,
                              std::ostream& err) {
    std::vector<std::string> paths = list_sources(options.source_dir);
    bool bar_wanted = d.progress_bar && d.verbosity >= 0;
    std::unique_ptr<ProgressBar> bar;
    if (bar_wanted) bar = std::make_unique<ProgressBar>(err, paths.size(), d.width);
    // Opened once the batch is under way: a batch stopped before (a broken layout) prints nothing.
    std::optional<BatchJson> json_out;
    auto open_json = [&] {
        if (d.json && !json_out) json_out.emplace(out, options.env.creator, options.dry_run);
    };
    BatchProgress progress = [&](const SourceResult& r, std::size_t done, std::size_t) {
        bool has_news = !r.errors.empty() || !r.warnings.empty() || (!d.json && d.lines && d.verbosity >= 0);
        if (bar && has_news) bar->clear();
        for (const Diagnostic& w : r.warnings)
            err << paint_diagnostic(format_warning(w), d.colour_err) << '\n';
        for (const Diagnostic& e : r.errors) err << paint_diagnostic(format_error(e), d.colour_err) << '\n';
        if (!d.json && d.verbosity >= 0) {
            if (r.editions.empty() && !r.errors.empty()) {
                out << paint("failed  ", Colour::error, d.colour_out) << " " << r.source << '\n';
            } else if (d.lines) {
                for (const EditionResult& e : r.editions) out << edition_line(e, d) << '\n';
            } else {
                for (const EditionResult& e : r.editions)
                    if (e.status == BuildStatus::failed) out << edition_line(e, d) << '\n';
            }
            out.flush();
        }
        err.flush();
        if (d.json) {
            open_json();
            json_out->source(r);
        }
        if (bar) bar->update(done);
    };
    BatchResult result = run_batch(paths, options, progress);
    if (bar) bar->finish();
    if (d.json) {
        open_json();
        json_out->finish(result);
    } else if (d.verbosity >= 0) {
        out << summary_line(result, d) << '\n';
    }
    out.flush();
    return result;
}

}  // namespace factsheet

#include "archive/publish.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/language.hpp"
#include "common/utf8.hpp"
#include "common/xml.hpp"

namespace factsheet {

namespace {

// Keeps members in insertion order: the published files list them in a fixed order.
using Json = nlohmann::ordered_json;

// Atom dates are RFC 3339 date-times; an edition is issued on a day, so its midnight UTC.
std::string atom_time(const std::string& date) {
    return date + "T00:00:00Z";
}

std::string human_size(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    std::int64_t tenths = (bytes * 10 + 512) / 1024;
    if (tenths < 10240) return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " KB";
    std::int64_t mb_tenths = (bytes * 10 + 524288) / 1048576;
    return std::to_string(mb_tenths / 10) + "." + std::to_string(mb_tenths % 10) + " MB";
}

// The archive's JSON layout: the outer object and arrays one member or item per line, indented by
// two spaces; an object inside them on one line, so index.json reads (and diffs) one file per line.
// Strings keep UTF-8 as is; bytes that are not UTF-8 become U+FFFD rather than failing a publish.
std::string layout_json(const Json& value, int depth) {
    auto indent = [](int level) { return std::string(static_cast<std::size_t>(level) * 2, ' '); };
    auto scalar = [](const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); };
    if (value.is_array()) {
        if (value.empty()) return "[]";
        std::string out = "[";
        for (const Json& item : value)
            out += (out.size() > 1 ? ",\n" : "\n") + indent(depth + 1) + layout_json(item, depth + 1);
        return out + "\n" + indent(depth) + "]";
    }
    if (!value.is_object()) return scalar(value);
    if (value.empty()) return "{}";
    std::string out = "{";
    for (const auto& [key, member] : value.items()) {
        if (depth == 0)
            out += (out.size() > 1 ? ",\n" : "\n") + indent(1);
        else if (out.size() > 1)
            out += ", ";
        out += scalar(Json(key)) + ": " + layout_json(member, depth + 1);
    }
    return out + (depth == 0 ? "\n}" : "}");
}

// One publication, its members in the order index.json has always listed them; "url" follows
// "path" when the archive knows its address, and is left out otherwise.
Json file_json(const ArchivedFile& f, const std::string& base_url) {
    Json out = Json{{"operation", f.operation}, {"lang", f.lang},   {"kind", f.kind}, {"edition", f.edition},
                    {"issued", f.issued},       {"title", f.title}, {"path", f.path}};
    if (!base_url.empty()) out["url"] = file_url(base_url, f.path);
    out["sha256"] = f.sha256;
    out["size"] = f.size;
    out["pages"] = f.pages;
    // Left out while not recorded (a catalog older than them, until reindex).
    if (f.pdfa) out["pdfa"] = f.pdfa->empty() ? Json(nullptr) : Json(*f.pdfa);
    if (f.tagged) out["tagged"] = *f.tagged;
    out["source_hash"] = f.source_hash;
    out["supersedes"] = f.supersedes_path.empty() ? Json(nullptr) : Json(f.supersedes_path);
    out["superseded_by"] = f.superseded_by.empty() ? Json(nullptr) : Json(f.superseded_by);
    return out;
}

}  // namespace

std::string files_json(const std::vector<ArchivedFile>& files, const std::string& base_url) {
    Json list = Json::array();
    for (const ArchivedFile& f : files) list.push_back(file_json(f, base_url));
    return layout_json(list, 0);
}

namespace archive_publish {

std::string name_uuid(const std::string& name) {
    std::string hex = sha256_hex("factsheet-archive:" + name).substr(0, 32);
    hex[12] = '8';  // version 8: custom, here SHA-256 of a name
    static const char variant[] = "89ab";
    hex[16] = variant[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
    return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string index_json(const std::vector<ArchivedFile>& newest_first, const std::string& base_url) {
    Json list = Json::array();
    for (const ArchivedFile& f : newest_first) list.push_back(file_json(f, base_url));
    Json index = {{"format", "factsheet-archive"},
                  {"version", 1},
                  {"updated", newest_first.empty() ? Json(nullptr) : Json(newest_first.front().issued)},
                  {"publications", std::move(list)}};
    return layout_json(index, 0) + "\n";
}

namespace {

// The words of a feed in one language; feed.xml keeps its English words of old.
struct FeedWords {
    const char* lang;
    const char* title;
    const char* subtitle;
    const char* author;
    const char* self;
};

constexpr FeedWords both_words{"en", "Latest Publications",
                               "Factsheets and other publications, in English and French",
                               "Publication archive", "feed.xml"};
constexpr FeedWords en_words{"en", "Latest Publications", "Factsheets and other publications in English",
                             "Publication archive", "feed-en.xml"};
constexpr FeedWords fr_words{"fr", "Dernières publications",
                             "Fiches d’information et autres publications en français",
                             "Archive des publications", "feed-fr.xml"};

// "49.4 KB" in English, "49,4\u00A0Ko" in French.
std::string size_in(Lang lang, std::int64_t bytes) {
    std::string text = human_size(bytes);
    if (lang != Lang::fr) return text;
    if (bytes < 1024) return std::to_string(bytes) + "\u00A0octets";
    text.replace(text.find('.'), 1, ",");
    text.replace(text.find(' '), 1, "\u00A0");
    text.replace(text.size() - 2, 2, text.compare(text.size() - 2, 2, "KB") == 0 ? "Ko" : "Mo");
    return text;
}

// The one-line summary of an entry. feed.xml (no `feed_lang`) keeps its summaries of old, in English
// whatever the file's language; a language's feed says it all in that language.
std::string summary_of(const ArchivedFile& f, std::optional<Lang> feed_lang) {
    bool factsheet = f.kind == "factsheet";
    std::optional<Lang> file_lang = lang_from_code(f.lang);  // none: the combined edition
    std::string pages = std::to_string(f.pages) + (f.pages == 1 ? " page, " : " pages, ");
    if (feed_lang != Lang::fr) {
        std::string in = file_lang ? english_name(*file_lang) : "English and French";
        std::string out =
            !feed_lang ? std::string(factsheet ? "Factsheet" : "Publication") + ", " + in + ", edition "
                       : std::string(factsheet ? "Factsheet" : "Publication") + " in " + in + ", edition ";
        out += std::to_string(f.edition) + ", " + pages + human_size(f.size);
        if (!f.supersedes_path.empty()) out += "; supersedes " + f.supersedes_path;
        return out;
    }
    const char* in = !file_lang               ? "en anglais et en français"
                     : *file_lang == Lang::fr ? "en français"
                                              : "en anglais";
    std::string out = std::string(factsheet ? "Fiche d’information " : "Publication ") + in + ", édition " +
                      std::to_string(f.edition) + ", " + pages + size_in(Lang::fr, f.size);
    // French sets a narrow no-break space before a semicolon.
    if (!f.supersedes_path.empty()) out += "\u202F; remplace " + f.supersedes_path;
    return out;
}

}  // namespace

std::string atom_feed(const std::vector<ArchivedFile>& newest_first, const std::string& base_url,
                      const std::string& lang) {
    std::optional<Lang> feed_lang = lang_from_code(lang);  // none: feed.xml
    const FeedWords& words = feed_lang == Lang::fr ? fr_words : feed_lang == Lang::en ? en_words : both_words;
    // A language's feed lists the files in that language and the combined editions, which serve
    // both audiences; feed.xml lists every file.
    std::vector<const ArchivedFile*> entries;
    for (const ArchivedFile& f : newest_first)
        if (lang.empty() || f.lang == lang || f.lang == combined_code) entries.push_back(&f);
    // Without a base URL the links are relative to the feed, which sits at the archive's root.
    auto href = [&](const std::string& path) {
        return escape_xml(base_url.empty() ? path : file_url(base_url, path));
    };
    std::string updated = entries.empty() ? "1970-01-01" : entries.front()->issued;
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" +
        std::string(words.lang) + "\">\n";
    out += "  <id>" + name_uuid(lang.empty() ? "feed" : "feed-" + lang) + "</id>\n";
    out += "  <title>" + std::string(words.title) + "</title>\n";
    out += "  <subtitle>" + std::string(words.subtitle) + "</subtitle>\n";
    out += "  <updated>" + atom_time(updated) + "</updated>\n";
    out += "  <author><name>" + std::string(words.author) + "</name></author>\n";
    out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + href("index.html") + "\"/>\n";
    out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + href(words.self) + "\"/>\n";
    out += "  <generator>factsheet</generator>\n";
    for (const ArchivedFile* file : entries) {
        const ArchivedFile& f = *file;
        // A combined edition ("en-fr", which as a language tag would read "English of France") is
        // entered in the feed's language (English in feed.xml), and its link names no single language.
        bool combined = f.lang == combined_code;
        std::string entry_lang = combined ? std::string(words.lang) : f.lang;
        out += "  <entry xml:lang=\"" + escape_xml(entry_lang) + "\">\n";
        // The file's bytes never change, so its hash names the entry for good (the same entry in
        // every feed that lists it).
        out += "    <id>" + name_uuid("file:" + f.sha256) + "</id>\n";
        out += "    <title>" + escape_xml(f.title) + "</title>\n";
        out += "    <published>" + atom_time(f.issued) + "</published>\n";
        out += "    <updated>" + atom_time(f.issued) + "</updated>\n";
        out += "    <link rel=\"alternate\" type=\"application/pdf\"" +
               (combined ? std::string() : " hreflang=\"" + escape_xml(f.lang) + "\"") + " href=\"" +
               href(f.path) + "\" length=\"" + std::to_string(f.size) + "\"/>\n";
        out += "    <category term=\"" + escape_xml(f.kind) + "\"/>\n";
        out += "    <category term=\"" + escape_xml(f.operation) + "\"/>\n";
        out += "    <summary>" + escape_xml(summary_of(f, feed_lang)) + "</summary>\n";
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    return out;
}

std::vector<ArchiveProblem> check_exports(const std::string& dir) {
    std::vector<ArchiveProblem> problems;
    const std::string again = "\"factsheet archive reindex\" publishes it again";
    for (const char* name : {"index.json", "index.html", "feed.xml", "feed-en.xml", "feed-fr.xml"}) {
        std::string text;
        try {
            text = read_whole_file(dir + "/" + name);
        } catch (const Error&) {
            problems.push_back(
                {ArchiveProblem::Kind::unreadable_export, name, "missing or unreadable: " + again});
            continue;
        }
        LineMap lines(name, text);
        auto problem = [&](std::size_t offset, const std::string& what) {
            SourcePos pos = lines.at(offset);
            problems.push_back(
                {ArchiveProblem::Kind::unreadable_export, name, what + ": " + again, pos.line, pos.col});
        };
        bool json = std::string_view(name).substr(std::string_view(name).size() - 5) == ".json";
        if (std::optional<utf8::Unsafe> bad = utf8::find_unsafe(text, true)) {
            problem(bad->offset,
                    std::string("not valid ") + (json ? "JSON" : "XML") + ": " + utf8::describe(text, *bad));
            continue;
        }
        if (json) {
            try {
                nlohmann::json parsed = nlohmann::json::parse(text);
                if (parsed.is_discarded()) problem(0, "not valid JSON");
            } catch (const nlohmann::json::parse_error& e) {
                std::string detail = e.what();
                std::size_t at = detail.find(": ");
                if (at != std::string::npos) detail.erase(0, at + 2);
                problem(e.byte > 0 ? e.byte - 1 : 0, "not valid JSON: " + detail);
            }
            continue;
        }
        pugi::xml_document doc;
        pugi::xml_parse_result parsed =
            doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            Diagnostic d = parse_error(lines, parsed, "not well-formed XML").diagnostics().front();
            problems.push_back({ArchiveProblem::Kind::unreadable_export, name, d.message + ": " + again,
                                d.pos.line, d.pos.col});
        }
    }
    return problems;
}

}  // namespace archive_publish

}  // namespace factsheet

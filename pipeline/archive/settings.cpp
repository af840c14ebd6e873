// The archive's settings file, archive.json, and the addresses made from its base URL.
#include "archive/archive.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "archive/catalog.hpp"
#include "archive/disk.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet {

namespace {

constexpr const char* settings_name = "archive.json";

// What to give instead of a base URL that is refused.
constexpr const char* base_url_advice =
    "give the address the archive folder is published at, e.g. https://example.org/factsheets/";

// A byte a URL may carry as it is (RFC 3986: unreserved, sub-delims, ':', '@', '/', and '%'
// of an escape already made); anything else in a base URL is refused, not silently encoded.
bool url_byte(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::strchr("-._~!$&'()*+,;=:@/%", c) != nullptr && c != 0;
}

// The settings in archive.json's text; `name` is the file as messages name it.
ArchiveSettings parse_settings(std::string_view text, const std::string& name) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // what() repeats the position ("... parse error at line 1, column 4: <detail>"): keep the
        // detail, the position is given as file:line:col.
        std::string detail = e.what();
        std::size_t at = detail.find(": ");
        if (at != std::string::npos) detail.erase(0, at + 2);
        // `byte` counts the bytes read, the offending one included.
        throw Error(
            LineMap(name, text).at(e.byte > 0 ? e.byte - 1 : 0),
            "not valid JSON: " + detail +
                "; correct it, or remove the setting with \"factsheet archive config --no-base-url\"");
    }
    if (!json.is_object())
        throw Error(SourcePos{name, 1, 1},
                    "not a JSON object: the file holds {\"base_url\": \"https://...\"}, or is absent");
    ArchiveSettings settings;
    for (const auto& [key, value] : json.items()) {
        if (key != "base_url")
            throw Error(SourcePos{name, 0, 0},
                        "unknown setting \"" + key + "\": the only setting is \"base_url\"");
        if (!value.is_string())
            throw Error(
                SourcePos{name, 0, 0},
                "\"base_url\" is not a string: set it with \"factsheet archive config --base-url URL\"");
        settings.base_url = checked_base_url(value.get<std::string>(), name);
    }
    return settings;
}

}  // namespace

std::string checked_base_url(std::string_view url, const std::string& where) {
    std::string quoted = "\"" + std::string(url) + "\"";
    std::size_t scheme = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
    if (scheme == 0)
        throw Error(SourcePos{where, 0, 0},
                    quoted + " is not an http:// or https:// address: " + base_url_advice);
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= ' ' || byte == 0x7F)
            throw Error(SourcePos{where, 0, 0},
                        quoted + " contains a space or a control character: write a space as %20");
        if (byte >= 0x80)
            throw Error(SourcePos{where, 0, 0},
                        quoted + " contains a character that is not ASCII: percent-encode it");
        if (c == '?' || c == '#')
            throw Error(SourcePos{where, 0, 0}, quoted + " has a query or a fragment: " + base_url_advice);
        if (!url_byte(byte))
            throw Error(SourcePos{where, 0, 0}, quoted + " contains '" + std::string(1, c) +
                                                    "', which an address cannot hold: percent-encode it");
    }
    std::string_view authority = url.substr(scheme, url.find('/', scheme) - scheme);
    if (authority.empty() || authority.front() == ':' || authority.front() == '@' || authority.back() == '@')
        throw Error(SourcePos{where, 0, 0}, quoted + " has no host: " + base_url_advice);
    std::string out(url);
    if (out.back() != '/') out += '/';  // the files' paths are relative to the folder itself
    return out;
}

std::string file_url(const std::string& base_url, std::string_view path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out = base_url;
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                     (byte >= '0' && byte <= '9') || std::strchr("-._~/", c) != nullptr;
        if (plain && byte != 0) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

ArchiveSettings Archive::settings() const {
    std::string path = dir_ + "/" + settings_name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return {};
    return parse_settings(read_whole_file(path), path);
}

void Archive::configure(const ArchiveSettings& settings) {
    archive_disk::FolderLock lock(dir_);
    std::string path = dir_ + "/" + settings_name;
    if (settings.base_url.empty()) {
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw Error(SourcePos{path, 0, 0}, std::string("cannot remove: ") + std::strerror(errno));
        sync_folder(dir_);
    } else {
        nlohmann::ordered_json json = {{"base_url", checked_base_url(settings.base_url, path)}};
        archive_disk::replace_file(path, json.dump(2) + "\n");
    }
    archive_catalog::Catalog catalog(dir_ + "/catalog.sqlite", true);
    publish_locked(catalog);
}

}  // namespace factsheet

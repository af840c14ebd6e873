// The archive's machine-readable pages: index.json and the Atom feed. Private to the archive stage.
#pragma once

#include <string>
#include <vector>

#include "archive/archive.hpp"

namespace factsheet::archive_publish {

/// index.json: {"format", "version", "updated", "publications": [...]}, newest first; each
/// publication has its absolute "url" when the archive has a base URL.
std::string index_json(const std::vector<ArchivedFile>& newest_first, const std::string& base_url = "");

/// An Atom 1.0 feed (RFC 4287), one entry per file, newest first; its links are absolute under a
/// base URL, else relative to the feed. `lang` "en" or "fr": feed-en.xml or feed-fr.xml, the files in
/// that language and the combined editions, in that language's words; empty: feed.xml, every file.
std::string atom_feed(const std::vector<ArchivedFile>& newest_first, const std::string& base_url = "",
                      const std::string& lang = "");

/// The published files (index.json, index.html and every feed) read back: each must be there, be
/// UTF-8 text without control characters, and parse (JSON; XML for the feeds and the page, whose
/// template is written as XML). One problem per file that does not, at its line and column.
std::vector<ArchiveProblem> check_exports(const std::string& dir);

/// A urn:uuid: IRI made from a name (SHA-256 based, RFC 9562 version 8), stable for that name.
std::string name_uuid(const std::string& name);

}  // namespace factsheet::archive_publish

// The archive's machine-readable pages: index.json and the Atom feed. Private to the archive stage.
#pragma once

#include <string>
#include <vector>

#include "archive/archive.hpp"

namespace factsheet::archive_publish {

/// index.json: {"format", "version", "updated", "publications": [...]}, newest first.
std::string index_json(const std::vector<ArchivedFile>& newest_first);

/// feed.xml: an Atom 1.0 feed (RFC 4287) with one entry per file, newest first.
std::string atom_feed(const std::vector<ArchivedFile>& newest_first);

/// A urn:uuid: IRI made from a name (SHA-256 based, RFC 9562 version 8), stable for that name.
std::string name_uuid(const std::string& name);

}  // namespace factsheet::archive_publish

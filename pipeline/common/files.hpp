// Reading and writing whole files. Every write is atomic: the file appears whole or not at all.
#pragma once

#include <string>

namespace factsheet {

/// Reads a whole file; throws Error naming it and the reason when it cannot.
std::string read_whole_file(const std::string& path);

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk, then
/// renamed over the target. On failure the target is untouched and the temporary file removed;
/// throws Error naming the path and the reason (e.g. "no space left on device").
void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace factsheet

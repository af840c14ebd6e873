// Errors and diagnostics shared by every pipeline stage.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet {

/// A place in a file; line and column count from 1 (0 means unknown).
struct SourcePos {
    std::string file;
    int line = 0;
    int col = 0;
};

/// Formats a position as "file:line:col" (or "file" when the line is unknown).
std::string format_pos(const SourcePos& pos);

/// One problem found in an input, with where it is.
struct Diagnostic {
    SourcePos pos;
    std::string message;  // lowercase, no final period
};

/// Appends `more` to `to`, leaving out those already there (the same place and message).
void append_unique(std::vector<Diagnostic>& to, const std::vector<Diagnostic>& more);

/// Formats a diagnostic as "file:line:col: error: message".
std::string format_error(const Diagnostic& d);

/// Formats a diagnostic as "file:line:col: warning: message".
std::string format_warning(const Diagnostic& d);

/// The one exception type of the pipeline: a list of diagnostics (at least one).
class Error : public std::runtime_error {
public:
    /// A single problem at a place.
    Error(SourcePos pos, std::string message);
    /// Several problems found in one pass.
    explicit Error(std::vector<Diagnostic> diagnostics);

    /// Every problem, in the order found.
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics up to a cap, then counts the rest without keeping them.
class DiagnosticSink {
public:
    explicit DiagnosticSink(std::size_t cap = 50) : cap_(cap) {}
    void add(SourcePos pos, std::string message);
    bool empty() const { return total_ == 0; }
    std::size_t total() const { return total_; }
    const std::vector<Diagnostic>& kept() const { return kept_; }
    /// Throws Error with what was kept (plus a line counting the rest) when anything was added.
    void throw_if_any() const;

private:
    std::size_t cap_;
    std::size_t total_ = 0;
    std::vector<Diagnostic> kept_;
};

/// Maps byte offsets of a text to line and column (columns count code points, from 1). Built in
/// one pass over the text; each position then costs a binary search and at most a block's bytes,
/// whatever the length of its line, so that a file of one long line with thousands of errors is
/// not quadratic.
class LineMap {
public:
    LineMap(std::string file, std::string_view text);
    SourcePos at(std::size_t offset) const;
    const std::string& file() const { return file_; }

private:
    /// Code points before `offset` in the whole text.
    std::size_t code_points_before(std::size_t offset) const;

    std::string file_;
    std::string_view text_;
    std::vector<std::size_t> line_starts_;
    std::vector<std::size_t> block_code_points_;  // code points before each block of block_bytes
};

}  // namespace factsheet

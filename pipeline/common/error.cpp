#include "common/error.hpp"

#include <algorithm>
#include <cstring>

namespace factsheet {

std::string format_pos(const SourcePos& pos) {
    std::string out = pos.file;
    if (pos.line > 0) {
        out += ':' + std::to_string(pos.line);
        if (pos.col > 0) out += ':' + std::to_string(pos.col);
    }
    return out;
}

namespace {
// "file:line:col: " before a message, or nothing when the problem has no place.
std::string prefix(const SourcePos& pos) {
    std::string where = format_pos(pos);
    return where.empty() ? std::string() : where + ": ";
}
}  // namespace

std::string format_error(const Diagnostic& d) {
    return prefix(d.pos) + "error: " + d.message;
}

std::string format_warning(const Diagnostic& d) {
    return prefix(d.pos) + "warning: " + d.message;
}

namespace {
std::string join_errors(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) {
        if (!out.empty()) out += '\n';
        out += format_error(d);
    }
    return out;
}
}  // namespace

Error::Error(SourcePos pos, std::string message)
    : Error(std::vector<Diagnostic>{Diagnostic{std::move(pos), std::move(message)}}) {}

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_errors(diagnostics)), diagnostics_(std::move(diagnostics)) {}

void DiagnosticSink::add(SourcePos pos, std::string message) {
    ++total_;
    if (kept_.size() < cap_) kept_.push_back({std::move(pos), std::move(message)});
}

void DiagnosticSink::throw_if_any() const {
    if (total_ == 0) return;
    auto ds = kept_;
    if (total_ > kept_.size()) {
        SourcePos where{kept_.empty() ? std::string() : kept_.front().pos.file, 0, 0};
        ds.push_back({where, std::to_string(total_ - kept_.size()) +
                                 " more errors not shown; fix the ones above first"});
    }
    throw Error(std::move(ds));
}

namespace {
// Bytes between two checkpoints of LineMap's code-point counts: a position counts at most this
// many bytes, and the checkpoints take a sixteenth of the text's size in memory.
constexpr std::size_t block_bytes = 128;

bool starts_code_point(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
}
}  // namespace

LineMap::LineMap(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {
    // Block by block, each a loop without branches the compiler vectorizes; the lines by memchr.
    // (A test per byte was 13 instructions a byte: a third of a megabyte of a batch's every PDF.)
    block_code_points_.reserve(text.size() / block_bytes + 1);
    std::size_t code_points = 0;
    for (std::size_t start = 0; start < text.size(); start += block_bytes) {
        block_code_points_.push_back(code_points);
        const std::size_t end = std::min(start + block_bytes, text.size());
        std::size_t starts = 0;
        for (std::size_t i = start; i < end; ++i) starts += starts_code_point(text[i]) ? 1 : 0;
        code_points += starts;
    }
    if (text.size() % block_bytes == 0) block_code_points_.push_back(code_points);  // for the end
    line_starts_.push_back(0);
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (const char* at = begin; at != end;) {
        at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
        if (!at) break;
        line_starts_.push_back(static_cast<std::size_t>(++at - begin));
    }
}

std::size_t LineMap::code_points_before(std::size_t offset) const {
    std::size_t block = offset / block_bytes;
    std::size_t count = block_code_points_[block];
    for (std::size_t i = block * block_bytes; i < offset; ++i) count += starts_code_point(text_[i]) ? 1 : 0;
    return count;
}

SourcePos LineMap::at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
    std::size_t start = line_starts_[line - 1];
    // Count code points, not bytes: UTF-8 continuation bytes do not start a column.
    std::size_t col = 1 + code_points_before(offset) - code_points_before(start);
    return {file_, static_cast<int>(line), static_cast<int>(col)};
}

void append_unique(std::vector<Diagnostic>& to, const std::vector<Diagnostic>& more) {
    for (const Diagnostic& d : more) {
        bool known = false;
        for (const Diagnostic& t : to)
            known = known || (t.message == d.message && t.pos.file == d.pos.file &&
                              t.pos.line == d.pos.line && t.pos.col == d.pos.col);
        if (!known) to.push_back(d);
    }
}

}  // namespace factsheet

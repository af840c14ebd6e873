#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace factsheet {

namespace {

// Bars shorter than this say nothing useful: below it only the numbers are shown.
constexpr std::size_t min_bar_cells = 10;

// The shortest time a rate is measured over before it, and the time left, are shown: one step
// finished just after another (two workers ending together) would promise far too much.
constexpr double min_rate_seconds = 0.5;

const char* ansi_code(Colour colour) {
    switch (colour) {
        case Colour::error: return "\x1b[1;31m";
        case Colour::warning: return "\x1b[1;33m";
        case Colour::success: return "\x1b[32m";
        case Colour::skipped: return "\x1b[2m";
        case Colour::emphasis: return "\x1b[1m";
    }
    return "";
}

std::string one_decimal(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

}  // namespace

bool is_terminal(int fd) {
    return isatty(fd) == 1;
}

bool colour_wanted(bool terminal, const char* no_color) {
    return terminal && (no_color == nullptr || *no_color == '\0');
}

bool colour_wanted(int fd) {
    return colour_wanted(is_terminal(fd), std::getenv("NO_COLOR"));
}

std::string paint(std::string_view text, Colour colour, bool enabled) {
    if (!enabled) return std::string(text);
    return std::string(ansi_code(colour)) + std::string(text) + "\x1b[0m";
}

std::string paint_diagnostic(std::string_view line, bool enabled) {
    if (!enabled) return std::string(line);
    for (auto [word, colour] : {std::pair{std::string_view(": error:"), Colour::error},
                                std::pair{std::string_view(": warning:"), Colour::warning}}) {
        std::size_t at = line.find(word);
        if (at == std::string_view::npos) continue;
        // Colour only the severity word, keep the position and message plain to read.
        return std::string(line.substr(0, at + 2)) + paint(word.substr(2, word.size() - 3), colour, true) +
               std::string(line.substr(at + word.size() - 1));
    }
    return std::string(line);
}

std::string format_seconds(double seconds) {
    if (seconds < 0) seconds = 0;
    char buffer[48];
    if (seconds < 10) {
        std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
    } else if (seconds < 60) {
        std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
    } else {
        long whole = std::lround(seconds);
        std::snprintf(buffer, sizeof buffer, "%ld min %02ld s", whole / 60, whole % 60);
    }
    return buffer;
}

std::string progress_line(std::size_t done, std::size_t total, double rate, std::size_t width) {
    std::string tail(" ");
    tail += std::to_string(done);
    tail += '/';
    tail += std::to_string(total);
    if (rate > 0) {
        tail += "  " + one_decimal(rate) + "/s";
        if (done < total) tail += "  " + format_seconds(static_cast<double>(total - done) / rate) + " left";
    }
    if (tail.size() + 2 + min_bar_cells > width) return tail.substr(1);
    // The tail is padded to a width that fits its longest form, so the bar does not jump about as
    // the rate and the time left change length.
    std::size_t longest_tail = 2 * std::to_string(total).size() + 31;
    if (tail.size() < longest_tail && longest_tail + 2 + min_bar_cells <= width)
        tail.resize(longest_tail, ' ');
    std::size_t cells = width - tail.size() - 2;
    std::size_t filled = total == 0 ? cells : cells * std::min(done, total) / total;
    std::string line(1, '[');
    line.append(filled, '#');
    line.append(cells - filled, '.');
    line += ']';
    line += tail;
    return line;
}

std::size_t terminal_width(int fd) {
    winsize size{};
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

ProgressBar::ProgressBar(std::ostream& out, std::size_t total, std::size_t width)
    : out_(out), total_(total), width_(width), last_draw_() {}

void ProgressBar::update(std::size_t done) {
    done_ = done;
    auto now = std::chrono::steady_clock::now();
    if (!started_) {
        started_ = true;
        first_step_ = now;
        first_done_ = done;
    }
    if (done_ < total_ && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    draw();
}

void ProgressBar::draw() {
    auto now = std::chrono::steady_clock::now();
    double measured = started_ ? std::chrono::duration<double>(now - first_step_).count() : 0;
    double rate = done_ > first_done_ && measured >= min_rate_seconds
                      ? static_cast<double>(done_ - first_done_) / measured
                      : 0;
    // One column is kept free: writing the last column makes some terminals wrap the line.
    out_ << '\r' << progress_line(done_, total_, rate, width_ > 1 ? width_ - 1 : 0) << "\x1b[K" << std::flush;
    drawn_ = true;
    last_draw_ = now;
}

void ProgressBar::clear() {
    if (!drawn_) return;
    out_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
}

void ProgressBar::finish() {
    clear();
}

}  // namespace factsheet

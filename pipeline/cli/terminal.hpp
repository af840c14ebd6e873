// What the command line shows a person at a terminal: colour (only on a terminal, never when
// NO_COLOR is set, see https://no-color.org) and a progress bar. Nothing here includes CLI11.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace factsheet {

/// Whether a file descriptor is a terminal.
bool is_terminal(int fd);

/// Whether to colour output: only on a terminal, and never when NO_COLOR is set to a non-empty
/// value. `no_color` is the variable's value, or nullptr when it is not set.
bool colour_wanted(bool terminal, const char* no_color);

/// colour_wanted for a file descriptor of this process and its environment.
bool colour_wanted(int fd);

/// The colours the command line uses, each with one meaning.
enum class Colour { error, warning, success, skipped, emphasis };

/// `text` between the colour's ANSI escape and a reset, or `text` unchanged when `enabled` is false.
std::string paint(std::string_view text, Colour colour, bool enabled);

/// Colours the severity word of a formatted diagnostic ("file:1:2: error: ...").
std::string paint_diagnostic(std::string_view line, bool enabled);

/// A duration for people: "0.42 s", "12.3 s", "2 min 05 s".
std::string format_seconds(double seconds);

/// One line of a progress bar, at most `width` columns:
/// "[#########...........] 45/100  12.3/s  4.5 s left". `rate` in steps a second; 0 while it is not
/// known yet, and then neither it nor the time left is shown.
std::string progress_line(std::size_t done, std::size_t total, double rate, std::size_t width);

/// The width of the terminal on `fd` in columns, or 80 when it cannot be told.
std::size_t terminal_width(int fd);

/// A progress bar drawn in place on one terminal line. Redraws at most every 100 ms (except the
/// last step) so a fast batch is not slowed by its own display. The rate, and the time left, are
/// measured from the first step on, not from the start: the time before it (loading the layout,
/// hashing what the factsheets depend on) says nothing of the steps to come, so neither is shown
/// before a second step and half a second after the first. Not thread-safe: callers lock.
class ProgressBar {
public:
    /// A bar for `total` steps drawn on `out`, `width` columns wide.
    ProgressBar(std::ostream& out, std::size_t total, std::size_t width);

    /// Records that `done` steps are finished and redraws when due.
    void update(std::size_t done);

    /// Erases the bar so a message can be printed; the next update draws it again.
    void clear();

    /// Erases the bar for good.
    void finish();

private:
    void draw();

    std::ostream& out_;
    std::size_t total_;
    std::size_t width_;
    std::size_t done_ = 0;
    bool drawn_ = false;
    std::size_t first_done_ = 0;                        // steps done at the first update
    std::chrono::steady_clock::time_point first_step_;  // when the first update came
    bool started_ = false;                              // whether it has come
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace factsheet

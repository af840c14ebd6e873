// Synthetic sources for the benchmarks, made from input/mali.xml: other ids, other figures, the
// country named "Synthetic NNNN" so a page made from one can never pass for a real factsheet, and
// optionally every paragraph repeated to scale the text.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace factsheet::bench {

/// Replaces the one occurrence of `from` in `text`; throws when it is missing (the Mali source
/// changed: update the generator).
inline void replace_once(std::string& text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("input/mali.xml has no " + from);
    text.replace(at, from.size(), to);
}

/// Repeats every <p>...</p> of the source `times` times, in place.
inline void repeat_paragraphs(std::string& text, int times) {
    std::size_t pos = 0;
    while ((pos = text.find("<p>", pos)) != std::string::npos) {
        std::size_t end = text.find("</p>", pos);
        if (end == std::string::npos) throw std::runtime_error("unclosed <p> in input/mali.xml");
        end += 4;
        std::string block = text.substr(pos, end - pos);
        std::string copies = block;
        for (int i = 1; i < times; ++i) copies += "\n    " + block;
        text.replace(pos, end - pos, copies);
        pos += copies.size();
    }
}

/// A synthetic source number `index` (ids "synthetic-0001"...), its text `scale` times Mali's.
/// Figures vary with the index through a fixed pseudo-random sequence, so runs are repeatable.
inline std::string synthetic_source(std::string mali, int index, int scale) {
    char id[32], name[32];
    std::snprintf(id, sizeof id, "synthetic-%04d", index);
    std::snprintf(name, sizeof name, "%04d", index);
    std::uint64_t h = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(index + 1);
    auto next = [&h](std::uint64_t range) {
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
        return h % range;
    };
    std::uint64_t pin = 20000 + next(9000000);
    std::uint64_t targeted = pin * (40 + next(55)) / 100;
    std::uint64_t required = 1000000 + next(900000000);
    std::uint64_t funded = required * (5 + next(90)) / 100;

    replace_once(
        mali, "<operation id=\"mali\"",
        "<!-- SYNTHETIC: made by the benchmark from input/mali.xml; its id and figures are invented -->\n"
        "<operation id=\"" +
            std::string(id) + "\"");
    replace_once(mali, "<country code=\"ML\"><en>Mali</en><fr>Mali</fr></country>",
                 "<country code=\"ML\"><en>Synthetic " + std::string(name) + "</en><fr>Synthétique " + name +
                     "</fr></country>");
    replace_once(mali, "value=\"3900000\"", "value=\"" + std::to_string(pin) + "\"");
    replace_once(mali, "value=\"3200000\"", "value=\"" + std::to_string(targeted) + "\"");
    replace_once(mali, "value=\"102320000\"", "value=\"" + std::to_string(required) + "\"");
    replace_once(mali, "value=\"26240000\"", "value=\"" + std::to_string(funded) + "\"");
    if (scale > 1) repeat_paragraphs(mali, scale);
    return mali;
}

}  // namespace factsheet::bench

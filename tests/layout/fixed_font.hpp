// A font with fixed, round metrics, so layout tests can assert exact positions and breaks.
#pragma once

#include <string>

#include "layout/fonts.hpp"

namespace factsheet::test {

/// Every character is 500/1000 em wide (5 pt at 10 pt), except the space at 250 (2.5 pt) and
/// the hyphen at 300; ascent 800, descent -200. It lacks U+0645 (Arabic meem) and emoji. It kerns
/// two pairs only, "xz" by -100 and "zx" by +60, which no other test writes.
class FixedFont : public FontMetrics {
public:
    const std::string& path() const override { return path_; }
    bool has_glyph(char32_t cp) const override { return cp != 0x0645 && cp < 0x1F000; }
    double advance(char32_t cp) const override { return cp == ' ' ? 250 : cp == '-' ? 300 : 500; }
    double ascent() const override { return 800; }
    double descent() const override { return -200; }
    int kerning(char32_t left, char32_t right) const override {
        if (left == 'x' && right == 'z') return -100;
        if (left == 'z' && right == 'x') return 60;
        return 0;
    }

private:
    std::string path_ = "fixed.ttf";
};

}  // namespace factsheet::test

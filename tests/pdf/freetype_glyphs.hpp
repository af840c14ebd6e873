// Test helper: glyphs as FreeType loads them, to compare fonts independently of the code that
// wrote them.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace factsheet::test {

class FreeType {
public:
    FreeType() { EXPECT_EQ(FT_Init_FreeType(&library_), 0); }
    ~FreeType() { FT_Done_FreeType(library_); }
    FreeType(const FreeType&) = delete;
    FreeType& operator=(const FreeType&) = delete;
    FT_Library get() const { return library_; }

private:
    FT_Library library_ = nullptr;
};

/// A FreeType face over bytes the caller keeps alive.
class Face {
public:
    Face(const FreeType& ft, const std::string& bytes) {
        error_ = FT_New_Memory_Face(ft.get(), reinterpret_cast<const FT_Byte*>(bytes.data()),
                                    static_cast<FT_Long>(bytes.size()), 0, &face_);
    }
    ~Face() {
        if (face_) FT_Done_Face(face_);
    }
    Face(const Face&) = delete;
    Face& operator=(const Face&) = delete;
    FT_Error error() const { return error_; }
    FT_Face get() const { return face_; }

private:
    FT_Face face_ = nullptr;
    FT_Error error_ = 0;
};

/// What FreeType draws for a glyph, in font units.
struct Shape {
    FT_Pos advance = 0;
    FT_Fixed linear_advance = 0;
    std::vector<std::pair<FT_Pos, FT_Pos>> points;
    std::vector<int> tags;
    std::vector<int> contours;
    bool operator==(const Shape&) const = default;
};

// Readable failures: the advance and the outline's size rather than the struct's bytes.
inline void PrintTo(const Shape& s, std::ostream* os) {
    *os << "{advance " << s.advance << ", " << s.points.size() << " points, " << s.contours.size()
        << " contours}";
}

inline Shape shape(FT_Face face, unsigned glyph, FT_Int32 flags = FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) {
    Shape s;
    EXPECT_EQ(FT_Load_Glyph(face, glyph, flags), 0) << "glyph " << glyph;
    const FT_GlyphSlot slot = face->glyph;
    s.advance = slot->metrics.horiAdvance;
    s.linear_advance = slot->linearHoriAdvance;
    const FT_Outline& o = slot->outline;
    for (int i = 0; i < o.n_points; ++i) {
        s.points.emplace_back(o.points[i].x, o.points[i].y);
        s.tags.push_back(static_cast<int>(o.tags[i]));
    }
    for (int i = 0; i < o.n_contours; ++i) s.contours.push_back(static_cast<int>(o.contours[i]));
    return s;
}

}  // namespace factsheet::test

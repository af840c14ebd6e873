#include "pdf/drawings.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "pdf/deflate.hpp"
#include "pdf/haru.hpp"

namespace factsheet::pdf_detail {

void append_number(std::string& out, double v, int places) {
    long long scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    long long n = std::llround(v * static_cast<double>(scale));
    if (n < 0) {
        out += '-';
        n = -n;
    }
    out += std::to_string(n / scale);
    long long rest = n % scale;
    if (rest == 0) return;
    out += '.';
    for (long long digit = scale / 10; rest != 0; digit /= 10) {
        out += static_cast<char>('0' + rest / digit);
        rest %= digit;
    }
}

namespace {

void require_finite(double v, const ItemRef& where) {
    if (!std::isfinite(v))
        throw Error(render_pos(), where.str() + ": a coordinate, colour or width is not a finite number");
}

// Colours to four decimals: a designer's #RRGGBB survives the round trip (1/255 > 0.0001).
void append_color(std::string& out, const Color& c, const char* op, const ItemRef& where) {
    for (double v : {c.r, c.g, c.b}) {
        require_finite(v, where);
        append_number(out, v, 4);
        out += ' ';
    }
    out += op;
    out += '\012';
}

// FNV-1a's mixing, a 64-bit word at a time, over the drawing's numbers and flags: equal drawings
// hash alike (a collision only costs a comparison).
struct Hasher {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void word(std::uint64_t w) {
        h ^= w;
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    void bytes(const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        std::uint64_t w = 0;
        for (; n >= sizeof w; n -= sizeof w, b += sizeof w) {
            std::memcpy(&w, b, sizeof w);
            word(w);
        }
        w = 0;
        std::memcpy(&w, b, n);
        word(w);
    }
    void number(double v) { bytes(&v, sizeof v); }
    void color(const Color& c) {
        number(c.r);
        number(c.g);
        number(c.b);
    }
};

std::uint64_t hash_of(const Drawing& d) {
    Hasher h;
    h.number(d.width);
    h.number(d.height);
    for (const PathItem& p : d.paths) {
        unsigned char flags = p.filled ? 1 : 0;
        h.bytes(&flags, 1);
        h.color(p.fill);
        h.number(p.stroke_width);
        h.color(p.stroke);
        std::size_t rings = p.rings.size();
        h.bytes(&rings, sizeof rings);
        for (const auto& ring : p.rings) {
            std::size_t n = ring.size();
            h.bytes(&n, sizeof n);
            h.bytes(ring.data(), n * sizeof(Point));
        }
    }
    return h.h;
}

bool same_points(const std::vector<Point>& a, const std::vector<Point>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].x != b[i].x || a[i].y != b[i].y) return false;
    return true;
}

}  // namespace

bool same_drawing(const Drawing& a, const Drawing& b) {
    if (a.width != b.width || a.height != b.height || a.paths.size() != b.paths.size()) return false;
    for (std::size_t i = 0; i < a.paths.size(); ++i) {
        const PathItem &p = a.paths[i], &q = b.paths[i];
        if (p.filled != q.filled || !(p.fill == q.fill) || p.stroke_width != q.stroke_width ||
            !(p.stroke == q.stroke) || p.rings.size() != q.rings.size())
            return false;
        for (std::size_t r = 0; r < p.rings.size(); ++r)
            if (!same_points(p.rings[r], q.rings[r])) return false;
    }
    return true;
}

namespace {

std::string content_of(const Drawing& d, const ItemRef& where) {
    std::string out;
    for (const PathItem& p : d.paths) {
        bool stroked = p.stroke_width > 0;
        if ((!p.filled && !stroked) || p.rings.empty()) continue;
        if (p.filled) append_color(out, p.fill, "rg", where);
        if (stroked) {
            append_color(out, p.stroke, "RG", where);
            require_finite(p.stroke_width, where);
            append_number(out, p.stroke_width, 4);
            out += " w\012";
        }
        append_path(out, p, d.height, where);
    }
    return out;
}

// The process's packed drawings, by hash of their content. A batch draws a map per country and a
// code per web page: the cap keeps a long batch's memory flat.
struct Cache {
    std::mutex mutex;
    std::unordered_multimap<std::uint64_t, std::shared_ptr<const PackedDrawing>> packed;
    std::size_t bytes = 0;
    static constexpr std::size_t kMaxEntries = 64;
    static constexpr std::size_t kMaxBytes = std::size_t{8} << 20;
};

Cache& cache() {
    static Cache* shared = new Cache;  // never destroyed: batch threads may outlive static destructors
    return *shared;
}

}  // namespace

void append_path(std::string& out, const PathItem& path, double height, const ItemRef& where) {
    bool stroked = path.stroke_width > 0;
    if ((!path.filled && !stroked) || path.rings.empty()) return;
    std::size_t start = out.size();
    for (const std::vector<Point>& ring : path.rings) {
        if (ring.size() < 2) continue;
        for (std::size_t i = 0; i < ring.size(); ++i) {
            require_finite(ring[i].x, where);
            require_finite(ring[i].y, where);
            append_number(out, ring[i].x);
            out += ' ';
            append_number(out, height - ring[i].y);
            out += i == 0 ? " m\012" : " l\012";
        }
        out += "h\012";
    }
    if (out.size() == start) return;
    out += path.filled && stroked ? "B*\012" : path.filled ? "f*\012" : "S\012";
}

std::shared_ptr<const PackedDrawing> pack_drawing(const std::shared_ptr<const Drawing>& drawing,
                                                  Deflater& deflater, const ItemRef& where) {
    std::uint64_t key = hash_of(*drawing);
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        auto [first, last] = c.packed.equal_range(key);
        for (auto it = first; it != last; ++it)
            if (it->second->drawing == drawing || same_drawing(*it->second->drawing, *drawing))
                return it->second;
    }
    auto made = std::make_shared<PackedDrawing>();
    made->drawing = drawing;
    made->deflated = deflater.compress(content_of(*drawing, where));
    std::lock_guard<std::mutex> lock(c.mutex);
    // Another thread may have packed an equal drawing meanwhile: one entry per content.
    auto [first, last] = c.packed.equal_range(key);
    for (auto it = first; it != last; ++it)
        if (same_drawing(*it->second->drawing, *drawing)) return it->second;
    if (c.packed.size() >= Cache::kMaxEntries || c.bytes + made->deflated.size() > Cache::kMaxBytes) {
        c.packed.clear();
        c.bytes = 0;
    }
    c.bytes += made->deflated.size();
    c.packed.emplace(key, made);
    return made;
}

}  // namespace factsheet::pdf_detail

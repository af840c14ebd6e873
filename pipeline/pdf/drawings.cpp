#include "pdf/drawings.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/packed.hpp"
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

void append_real(std::string& out, HPDF_REAL v) {
    if (v > HPDF_LIMIT_MAX_REAL)
        v = HPDF_LIMIT_MAX_REAL;
    else if (v < HPDF_LIMIT_MIN_REAL)
        v = HPDF_LIMIT_MIN_REAL;
    if (v < 0) {
        out += '-';
        v = -v;
    }
    // libharu's arithmetic, types and all: the integer part rounded up from 5e-6 below in double
    // precision; the fraction in single precision, scaled and cut to an integer, of which the last
    // five digits are written.
    const auto whole = static_cast<std::int32_t>(v + 0.000005);
    auto fraction = static_cast<std::int32_t>(
        static_cast<HPDF_REAL>(v - static_cast<HPDF_REAL>(whole) + 0.000005) * 100000.0F);
    char text[24];
    char* end = text + sizeof text;
    char* at = end;
    for (int i = 0; i < 5; ++i) {
        *--at = static_cast<char>(static_cast<char>(fraction % 10) + '0');
        fraction /= 10;
    }
    *--at = '.';
    std::int32_t rest = whole;
    if (rest <= 0) *--at = '0';
    for (; rest > 0; rest /= 10) *--at = static_cast<char>(static_cast<char>(rest % 10) + '0');
    // Trailing zeros go, and the point with them when nothing follows it.
    while (end[-1] == '0') --end;
    if (end[-1] == '.') --end;
    out.append(at, static_cast<std::size_t>(end - at));
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

// The drawing in bytes, all that same_drawing() compares: a kept form's entry holds it whole, and
// is taken only for a drawing whose bytes are these, whatever its file name's hash.
std::string drawing_bytes(const Drawing& d) {
    std::string out;
    auto color = [&out](const Color& c) {
        put(out, c.r);
        put(out, c.g);
        put(out, c.b);
    };
    put(out, d.width);
    put(out, d.height);
    put(out, static_cast<std::uint64_t>(d.paths.size()));
    for (const PathItem& p : d.paths) {
        put(out, static_cast<std::uint8_t>(p.filled ? 1 : 0));
        color(p.fill);
        put(out, p.stroke_width);
        color(p.stroke);
        put(out, static_cast<std::uint64_t>(p.rings.size()));
        for (const std::vector<Point>& ring : p.rings) {
            put(out, static_cast<std::uint64_t>(ring.size()));
            for (const Point& point : ring) {
                put(out, point.x);
                put(out, point.y);
            }
        }
    }
    return out;
}

// A kept form's entry: this key line, then the drawing's bytes and the compressed content (each
// after its length), then the CRC-32 of both. None when the program cannot be told apart.
std::string form_key(int level) {
    std::string program = file_identity("/proc/self/exe");
    if (program.empty()) return {};
    return "factsheet form 1 program " + program + " deflate " + std::to_string(level) + "\n";
}

std::string form_entry_path(const std::string& cache_folder, const std::string& key, const Drawing& d) {
    char name[34];
    std::snprintf(name, sizeof name, "%016llx-%016llx", static_cast<unsigned long long>(hash_of(d)),
                  static_cast<unsigned long long>(fnv1a(key)));
    return cache_folder + "/forms/" + name;
}

// The largest entry read: a map's drawing is some hundreds of kilobytes.
constexpr std::size_t max_form_entry_bytes = 64 * 1024 * 1024;

}  // namespace

std::optional<std::string> find_kept_form(const std::string& cache_folder, const Drawing& drawing,
                                          int level) {
    if (cache_folder.empty()) return std::nullopt;
    std::string key = form_key(level);
    if (key.empty()) return std::nullopt;
    std::string path = form_entry_path(cache_folder, key, drawing);
    std::optional<CheckedEntry> entry = read_checked_cache_entry(path, key, max_form_entry_bytes);
    if (!entry) return std::nullopt;
    PackedReader in(entry->body());
    std::uint64_t size = 0;
    std::string_view kept_drawing, deflated;
    if (!in.get(size) || !in.take(static_cast<std::size_t>(size), kept_drawing) || !in.get(size) ||
        !in.take(static_cast<std::size_t>(size), deflated) || !in.done() ||
        kept_drawing != drawing_bytes(drawing))
        return std::nullopt;
    return std::string(deflated);
}

void keep_form(const std::string& cache_folder, const Drawing& drawing, int level,
               std::string_view deflated) {
    if (cache_folder.empty()) return;
    std::string key = form_key(level);
    if (key.empty()) return;
    std::string body, bytes = drawing_bytes(drawing);
    put(body, static_cast<std::uint64_t>(bytes.size()));
    body += bytes;
    put(body, static_cast<std::uint64_t>(deflated.size()));
    body += deflated;
    write_checked_cache_entry(form_entry_path(cache_folder, key, drawing), key, body);
}

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
                                                  Deflater& deflater, const ItemRef& where,
                                                  const std::string& cache_folder) {
    Cache& c = cache();
    {
        // The very drawing packed before (the layout keeps the ones it draws again, QR codes and
        // maps): found by its address among the few entries, before hashing all its points.
        std::lock_guard<std::mutex> lock(c.mutex);
        for (const auto& entry : c.packed)
            if (entry.second->drawing == drawing) return entry.second;
    }
    std::uint64_t key = hash_of(*drawing);
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        auto [first, last] = c.packed.equal_range(key);
        for (auto it = first; it != last; ++it)
            if (it->second->drawing == drawing || same_drawing(*it->second->drawing, *drawing))
                return it->second;
    }
    auto made = std::make_shared<PackedDrawing>();
    made->drawing = drawing;
    // Kept by an earlier run: writing a map's paths and compressing them was a tenth of a cold build.
    if (std::optional<std::string> kept = find_kept_form(cache_folder, *drawing, deflater.level())) {
        made->deflated = std::move(*kept);
    } else {
        made->deflated = deflater.compress(content_of(*drawing, where));
        keep_form(cache_folder, *drawing, deflater.level(), made->deflated);
    }
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

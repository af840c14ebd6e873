// Private to the pdf stage: the layout's drawings (a locator map's shapes, a QR code) as form
// XObjects. A drawing's content is written and compressed once for each distinct drawing and kept
// for the process: both editions of a source, and a batch's sources of one country, share the bytes.
#pragma once

#include <hpdf.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/files.hpp"
#include "layout/page.hpp"
#include "pdf/fonts.hpp"

namespace factsheet::pdf_detail {

class Deflater;

/// A number to `places` decimals, without trailing zeros: "12.5", "-3", "0.07" (places 2).
void append_number(std::string& out, double v, int places = 2);

/// A number as libharu's operators write it (HPDF_FToA of libharu 2.3.0), byte for byte: clamped
/// to +-32767, cut to five decimals in single precision, without trailing zeros or a bare point
/// ("-0" for a tiny negative, as libharu writes it). Written here rather than called: HPDF_FToA
/// fills a buffer from its end and copies it, a quarter of the instructions of drawing a
/// factsheet's text, the fonts' creation left out (callgrind). `v` is finite.
void append_real(std::string& out, HPDF_REAL v);

/// The operators of a path of straight segments in a frame `height` high whose origin is at
/// (dx, dy) on the page (y down): each ring moved to and closed, then painted with the even-odd
/// rule (a ring inside another, a lake or an enclave, is a hole, whichever way it turns).
/// Coordinates to a hundredth of a point, as the map stage rounds; colours and widths are the
/// caller's. Appends nothing for a path with nothing to paint. Throws Error at `where` for a
/// coordinate that is not a finite number.
void append_path(std::string& out, const PathItem& path, double height, const ItemRef& where);

/// Whether two drawings are equal: the same frame, and the same paths with the same colours,
/// widths and points.
bool same_drawing(const Drawing& a, const Drawing& b);

/// A drawing's content stream, compressed, with the drawing it was made from.
struct PackedDrawing {
    std::shared_ptr<const Drawing> drawing;
    std::string deflated;
};

/// The packed content of `drawing`: from the process's cache when an equal drawing (the same shapes,
/// colours and frame) was packed before, else from `cache_folder`/forms when this program packed
/// one in an earlier run (empty: no such cache), else written (each path's colours and width,
/// then the path, in the drawing's own frame: origin bottom left, y up) and compressed with
/// `deflater`, and kept in the folder. Safe to call from several threads. Throws Error at `where`
/// for a number that is not finite.
std::shared_ptr<const PackedDrawing> pack_drawing(const std::shared_ptr<const Drawing>& drawing,
                                                  Deflater& deflater, const ItemRef& where,
                                                  const std::string& cache_folder = default_cache_folder());

/// The compressed content of a drawing equal to `drawing` that this program compressed at `level`
/// and kept in `cache_folder`/forms; none when there is none, or the entry does not read back
/// whole (its CRC-32, and the whole drawing it holds, are checked).
std::optional<std::string> find_kept_form(const std::string& cache_folder, const Drawing& drawing, int level);

/// Keeps `deflated`, the compressed content of `drawing` at `level`, in `cache_folder`/forms; a
/// folder that cannot be written is passed by.
void keep_form(const std::string& cache_folder, const Drawing& drawing, int level, std::string_view deflated);

}  // namespace factsheet::pdf_detail

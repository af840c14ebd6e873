// Private to the pdf stage: the layout's drawings (a locator map's shapes, a QR code) as form
// XObjects. A drawing's content is written and compressed once for each distinct drawing and kept
// for the process: both editions of a source, and a batch's sources of one country, share the bytes.
#pragma once

#include <memory>
#include <string>

#include "layout/page.hpp"
#include "pdf/fonts.hpp"

namespace factsheet::pdf_detail {

class Deflater;

/// A number to `places` decimals, without trailing zeros: "12.5", "-3", "0.07" (places 2).
void append_number(std::string& out, double v, int places = 2);

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
/// colours and frame) was packed before, else written (each path's colours and width, then the
/// path, in the drawing's own frame: origin bottom left, y up) and compressed with `deflater`.
/// Safe to call from several threads. Throws Error at `where` for a number that is not finite.
std::shared_ptr<const PackedDrawing> pack_drawing(const std::shared_ptr<const Drawing>& drawing,
                                                  Deflater& deflater, const ItemRef& where);

}  // namespace factsheet::pdf_detail

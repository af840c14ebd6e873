// Inside the layout stage: the drawings of pictures (images, locator maps, QR codes) in a frame
// whose top-left corner is (0, 0). Flow places the frame and tags what is drawn.
#pragma once

#include <memory>
#include <vector>

#include "image/image.hpp"
#include "image/qr.hpp"
#include "layout/fonts.hpp"
#include "layout/page.hpp"
#include "layout/styles.hpp"
#include "map/map.hpp"

namespace factsheet::layout_detail {

/// Where an image of `pixels_wide` x `pixels_high` goes in a frame of `width` x `height` points:
/// `contain` keeps it whole inside the frame, placed by `align` across and centred down;
/// otherwise it covers the frame, centred, and the frame clips it. `image` is left for the caller.
ImageItem place_image(int pixels_wide, int pixels_high, double width, double height, bool contain,
                      Align align);

/// A locator map in a frame of its size: the style's `background` under it, then one Drawing of
/// the neighbours in `neighbour-colour`, the country in `colour`, borders in `border` at
/// `border-width` and each place a dot in `marker-colour`; each place's name beside its dot in the
/// style's font and size (white on the country, in `marker-colour` elsewhere), then the style's
/// `border` around the frame when it has a width.
std::vector<PageItem> draw_map(const LocatorMap& map, const Style& style, const FontMetrics& font,
                               int font_index);

/// A QR code `width` wide, its quiet zone (four modules) included: a white square, then the dark
/// modules in `dark` as one path of rectangles.
std::shared_ptr<const Drawing> qr_drawing(const QrCode& code, double width, const Color& dark);

}  // namespace factsheet::layout_detail

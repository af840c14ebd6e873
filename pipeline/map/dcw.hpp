// Private to the map stage: the Digital Chart of the World as GMT's dcw-gmt.nc stores it (DCW-GMT
// 2.1.1; the layout is the one gmt_dcw.c in GenericMappingTools/gmt reads).
//
// For a country XX the file holds two variables of 16-bit unsigned integers, XX_lon and XX_lat, of
// the same length, with attributes min, max and scale: a coordinate is raw / scale + min. The
// arrays hold rings one after the other, each introduced by a marker: lon = 65535, with lat = 1
// when the ring is a hole (an enclave: Lesotho in South Africa, San Marino and the Vatican in
// Italy) and 0 otherwise. A ring mostly repeats its first point at its end, not always (three
// rings, of GB, HR and PG, do not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "map/hdf5.hpp"

namespace factsheet::map_detail {

/// A country of dcw-countries.txt.
struct CountryEntry {
    std::string code;  // ISO 3166 alpha-2: "ML"
    std::string name;  // "Mali"
};

/// Reads dcw-countries.txt: lines "continent code name" ("AF ML Mali"), '#' starting a comment.
/// Throws Error naming the file (and the line, when one is malformed).
std::vector<CountryEntry> read_country_list(const std::string& path);

/// How one coordinate of a country is stored.
struct StoredAxis {
    double min = 0;
    double max = 0;
    double step = 1;  // 1 / the scale attribute

    /// The coordinate a raw value stands for, in degrees.
    double value(std::uint16_t raw) const { return raw * step + min; }
};

/// Where a country's points lie, from its variables' attributes. A country's longitudes are
/// continuous, which puts some past 180 (Fiji 176.9..185.0, Russia 19.8..191.0) and gives others
/// from 0 to 360 (Senegal 342.5..348.6, Morocco 346.8..359.0): compare them modulo 360.
struct CountryAxes {
    StoredAxis lon;
    StoredAxis lat;
};

/// Reads the min, max and scale attributes of a country's two variables. Throws DataError when
/// they are missing or make no sense (not finite, scale not positive, a latitude past a pole).
CountryAxes read_axes(const Hdf5File& file, const std::string& code);

/// One ring of an Outline: its points are lon[first .. first + count) and lat[...] alike.
struct OutlineRing {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    // The ring's extent in raw values.
    std::uint16_t lon0 = 0, lon1 = 0, lat0 = 0, lat1 = 0;
};

/// A country's outline, decoded: its rings of raw values (see StoredAxis), holes among them.
///
/// Thinned as it is decoded (Reumann and Witkam 1974): a point within one raw unit of the line
/// through the point last kept and the one after it, further along it, is dropped, as long as the
/// edge that replaces it spans at most a quarter of a degree. A raw unit is 1/65535 of the
/// country's extent (China: 100 m), below anything a printed map shows; the detailed outlines
/// keep a sixth to a quarter of their points (China 125,000 of 746,000, the US 279,000 of 1.9
/// million), the others nine tenths. The quarter degree keeps the edges short enough to stay
/// straight once projected: the border along the 49th parallel stays a curve.
struct Outline {
    std::vector<std::uint16_t> lon;
    std::vector<std::uint16_t> lat;
    std::vector<OutlineRing> rings;  // each of 3 points at least

    /// Bytes held, for the atlas's cache.
    std::size_t bytes() const {
        return sizeof(*this) + (lon.capacity() + lat.capacity()) * sizeof(std::uint16_t) +
               rings.capacity() * sizeof(OutlineRing);
    }
};

/// Reads a country's two variables and decodes them, a few KB at a time however long they are.
/// Values before the first marker belong to no ring and are skipped, as gmt_dcw.c does. Throws
/// DataError when the variables are missing, differ in length or hold damaged data.
Outline read_outline(const Hdf5File& file, const std::string& code, const CountryAxes& axes);

}  // namespace factsheet::map_detail

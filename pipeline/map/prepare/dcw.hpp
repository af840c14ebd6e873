// Private to the map pack's builder: the Digital Chart of the World as GMT's dcw-gmt.nc stores it (DCW-GMT
// 2.1.1; the layout is the one gmt_dcw.c in GenericMappingTools/gmt reads).
//
// For a country XX the file holds two variables of 16-bit unsigned integers, XX_lon and XX_lat, of
// the same length, with attributes min, max and scale: a coordinate is raw / scale + min. The
// arrays hold rings one after the other, each introduced by a marker: lon = 65535, with lat = 1
// when the ring is a hole (an enclave: Lesotho in South Africa, San Marino and the Vatican in
// Italy) and 0 otherwise. A ring mostly repeats its first point at its end, not always (three
// rings, of GB, HR and PG, do not).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "map/pack.hpp"
#include "map/prepare/hdf5.hpp"

namespace factsheet::map_detail {

/// A country of dcw-countries.txt.
struct CountryEntry {
    std::string code;  // ISO 3166 alpha-2: "ML"
    std::string name;  // "Mali"
};

/// Reads dcw-countries.txt: lines "continent code name" ("AF ML Mali"), '#' starting a comment.
/// Throws Error naming the file (and the line, when one is malformed).
std::vector<CountryEntry> read_country_list(const std::string& path);

/// The min, max and scale attributes of a country's two variables, and the axes they make.
struct CountryAttributes {
    double lon_min = 0, lon_max = 0, lon_scale = 1;
    double lat_min = 0, lat_max = 0, lat_scale = 1;
    CountryAxes axes;
};

/// Reads the min, max and scale attributes of a country's two variables. Throws DataError when
/// they are missing or make no sense (not finite, scale not positive, a latitude past a pole).
CountryAttributes read_axes(const Hdf5File& file, const std::string& code);

/// A country's outline, decoded: its rings of raw values (see StoredAxis), holes among them.
///
/// Thinned as it is decoded (Reumann and Witkam 1974): a point within one raw unit of the line
/// through the point last kept and the one after it, further along it, is dropped, as long as the
/// edge that replaces it spans at most a quarter of a degree. A raw unit is 1/65535 of the
/// country's extent (China: 100 m), below anything a printed map shows; the detailed outlines
/// keep a sixth to a quarter of their points (China 125,000 of 746,000, the US 279,000 of 1.9
/// million), the others nine tenths. The quarter degree keeps the edges short enough to stay
/// straight once projected: the border along the 49th parallel stays a curve.
struct DecodedOutline {
    std::vector<std::uint16_t> lon;
    std::vector<std::uint16_t> lat;
    std::vector<OutlineRing> rings;  // each of 3 points at least

    Outline view() const { return {lon, lat, rings}; }
};

/// Reads a country's two variables and decodes them, a few KB at a time however long they are.
/// Values before the first marker belong to no ring and are skipped, as gmt_dcw.c does. Throws
/// DataError when the variables are missing, differ in length or hold damaged data.
DecodedOutline read_outline(const Hdf5File& file, const std::string& code, const CountryAxes& axes);

}  // namespace factsheet::map_detail

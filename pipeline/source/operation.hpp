// The operation as read from its XML source: plain data, both languages side by side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/language.hpp"  // Lang, lang_code

namespace factsheet {

/// A human-readable text in English and French, with where it was written. A language the
/// source leaves out (or writes empty) is an empty string here, and listed in
/// Operation::missing_texts.
struct Text {
    std::string en;
    std::string fr;
    SourcePos pos;

    /// The text in one language.
    const std::string& in(Lang lang) const { return lang == Lang::en ? en : fr; }

    /// Whether the source gives the text in that language.
    bool has(Lang lang) const { return !in(lang).empty(); }
};

/// A text the source lacks in one language: its <en> or <fr> is absent or empty. Only the
/// editions in that language need it; a draft shows the other language's text instead.
struct MissingText {
    Lang lang = Lang::fr;
    /// What is missing, where: the text element for an absent language, the empty <en> or <fr>
    /// for an empty one ("<label> of figure \"pin\" has no French text (<fr>)").
    Diagnostic problem;
    bool has_other = false;  // the other language has the text, so a draft can stand it in
};

/// What kind of organisation it is, as humanitarian coordination classes them.
enum class OrganisationType { un_agency, ingo, nngo, government, other };

/// An organisation named in the source (UNHCR, DRC...).
struct Organisation {
    std::string id;
    Text acronym;                          // "UNHCR" / "HCR"
    Text name;                             // "United Nations High Commissioner for Refugees" / ...
    std::optional<OrganisationType> type;  // when the source gives one
    std::string logo;  // its logo (PNG or JPEG), the path resolved against the source's folder; may be empty
    SourcePos logo_pos;
    SourcePos pos;
};

/// What kind of coordination body an <area> is, in the order factsheets group them.
enum class AreaKind { aor, working_group, task_force, sub_national, hub };

/// A coordination body of the cluster: an Area of Responsibility, a working group...
struct Area {
    std::string id;
    AreaKind kind = AreaKind::aor;
    Text name;                         // "Gender-Based Violence"
    std::optional<Text> acronym;       // "GBV" / "VBG", when the source gives one
    std::vector<std::string> lead;     // ids of the leading organisations, in source order
    std::vector<std::string> co_lead;  // ids of the co-leading organisations
    SourcePos pos;
};

/// What a key figure counts.
enum class FigureKind { people, money, percentage, count };

/// A key figure: a number, never a pre-formatted string.
struct Figure {
    std::string id;  // "pin", "targeted", "requirements", "funded"
    FigureKind kind = FigureKind::people;
    /// People, whole currency units or a count; for a percentage, value / 10^decimals percent
    /// (385 with one decimal is 38.5 %).
    std::int64_t value = 0;
    int decimals = 0;          // digits the source wrote after the decimal point: 0, or 1 for a percentage
    bool approximate = false;  // approximate="yes": printed "about 2.20M"
    std::string currency;      // ISO 4217 ("USD") for money, empty otherwise
    std::optional<int> year;   // the year the figure refers to, when given
    Text label;                // "People in Need" / "Personnes dans le besoin"
    SourcePos pos;
};

/// A member of the cluster team: only the name is required.
struct Member {
    std::string name;
    std::optional<Text> role;  // "Coordinator" / "Coordinatrice"
    std::string organisation;  // id of an Organisation, or empty
    std::string email;         // may be empty
    std::string phone;         // as written ("+223 20 22 55 80"), may be empty
    SourcePos pos;
};

/// A publication the source itself names (until the archive provides them).
struct Publication {
    Text title;
    std::string date;  // ISO 8601 (YYYY-MM-DD)
    std::string url;   // may be empty
    SourcePos pos;
    // An archived publication that exists only in the other language: its title is in that
    // language ("en", "fr"), and `note` says so in the edition's (" · Edition 3 (French)").
    std::string title_lang;
    std::string note;
};

/// A place marked on the locator map (the capital, a hub).
struct Place {
    Text name;
    double lon = 0, lat = 0;  // decimal degrees east and north
    SourcePos pos;
};

/// One field operation, as its source describes it.
struct Operation {
    int format = 1;            // the source format it is written in (format="2")
    std::string id;            // "mali": lowercase letters, digits and '-'
    Text country;              // "Mali"
    std::string country_code;  // ISO 3166 alpha-2 ("ML") for the locator map; may be empty
    SourcePos country_code_pos;
    std::string web;  // the operation's web page (https://...), for the QR code; may be empty
    SourcePos web_pos;
    std::vector<Place> places;                 // dots on the locator map
    Text cluster;                              // "Protection Cluster" / "Cluster Protection"
    std::string as_of;                         // ISO 8601 date the information is as of
    Text source;                               // attribution printed in the footer
    std::vector<Text> intro;                   // the intro paragraphs
    std::vector<Text> protection_issues;       // the protection-issues paragraphs
    std::vector<Text> cluster_operation;       // the cluster-operation paragraphs
    std::vector<Area> areas;                   // coordination bodies, in source order
    std::string lead;                          // id of the lead organisation
    std::vector<std::string> co_coordinators;  // ids of the co-coordinating organisations
    std::vector<Organisation> organisations;
    std::vector<Figure> figures;  // in display order
    // The figures of the funding requirements and of the funds received: both set or both empty.
    std::string funding_required;  // id of the figure with the requirements
    std::string funding_received;  // id of the figure with what was funded
    std::vector<Member> team;
    std::vector<Publication> publications;
    /// Hyphenation exceptions, as TeX's \hyphenation: "Tom-bouc-tou" allows breaks only there,
    /// a word without hyphens ("Ouagadougou") is never hyphenated. Proper names go here.
    std::vector<std::string> hyphenation;
    std::string file;  // path of the source it was read from
    /// What the source says that is allowed but cannot be shown as written (a funding pair with
    /// one half missing); the commands print them with the editions' warnings.
    std::vector<Diagnostic> warnings;
    /// The texts it lacks in a language that the editions it was read for can do without, in
    /// document order (see EditionPlan).
    std::vector<MissingText> missing_texts;
};

}  // namespace factsheet

// The operation as read from its XML source: plain data, both languages side by side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace factsheet {

/// The two editions the project publishes.
enum class Lang { en, fr };

/// "en" or "fr".
const char* lang_code(Lang lang);

/// A human-readable text in English and French, with where it was written.
struct Text {
    std::string en;
    std::string fr;
    SourcePos pos;

    /// The text in one language.
    const std::string& in(Lang lang) const { return lang == Lang::en ? en : fr; }
};

/// An organisation named in the source (UNHCR, DRC...).
struct Organisation {
    std::string id;
    Text acronym;  // "UNHCR" / "HCR"
    Text name;     // "United Nations High Commissioner for Refugees" / "Haut-Commissariat ..."
    SourcePos pos;
};

/// An Area of Responsibility of the cluster.
struct Area {
    std::string id;
    Text name;     // "Gender-Based Violence"
    Text acronym;  // "GBV" / "VBG"
    SourcePos pos;
};

/// What a key figure counts.
enum class FigureKind { people, money };

/// A key figure: a number, never a pre-formatted string.
struct Figure {
    std::string id;  // "pin", "targeted", "requirements", "funded"
    FigureKind kind = FigureKind::people;
    std::int64_t value = 0;   // people, or whole currency units
    std::string currency;     // ISO 4217 ("USD") for money, empty for people
    std::optional<int> year;  // the year the figure refers to, when given
    Text label;               // "People in Need" / "Personnes dans le besoin"
    SourcePos pos;
};

/// A member of the cluster team.
struct Member {
    std::string name;
    Text role;
    std::string organisation;  // id of an Organisation
    std::string email;
    SourcePos pos;
};

/// A publication the source itself names (until the archive provides them).
struct Publication {
    Text title;
    std::string date;  // ISO 8601 (YYYY-MM-DD)
    std::string url;   // may be empty
    SourcePos pos;
};

/// One field operation, as its source describes it.
struct Operation {
    std::string id;                       // "mali": lowercase letters, digits and '-'
    Text country;                         // "Mali"
    Text cluster;                         // "Protection Cluster" / "Cluster Protection"
    std::string as_of;                    // ISO 8601 date the information is as of
    Text source;                          // attribution printed in the footer
    std::vector<Text> intro;              // the intro paragraphs
    std::vector<Text> protection_issues;  // the protection-issues paragraphs
    std::vector<Text> cluster_operation;  // the cluster-operation paragraphs
    std::vector<Area> areas;              // Areas of Responsibility
    std::string lead;                     // id of the lead organisation
    std::string co_coordinator;           // id of the co-coordinating organisation
    std::vector<Organisation> organisations;
    std::vector<Figure> figures;   // in display order
    std::string funding_required;  // id of the figure with the requirements
    std::string funding_received;  // id of the figure with what was funded
    std::vector<Member> team;
    std::vector<Publication> publications;
    /// Hyphenation exceptions, as TeX's \hyphenation: "Tom-bouc-tou" allows breaks only there,
    /// a word without hyphens ("Ouagadougou") is never hyphenated. Proper names go here.
    std::vector<std::string> hyphenation;
    std::string file;  // path of the source it was read from
};

}  // namespace factsheet

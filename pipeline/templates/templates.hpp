// Stage 3: expands a layout's Mustache template over a localized view into layout markup.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/xml.hpp"  // escape_xml
#include "locale/view.hpp"

namespace factsheet {

/// The colour a layout sets a draft's stand-in texts in (see resolve_fallbacks): a <colour> of
/// its styles file.
inline constexpr std::string_view fallback_colour = "draft-fallback";

/// Turns the texts marked by fallback_text in expanded markup into markup: in the markup's text,
/// <span lang="en" colour="draft-fallback">...</span>, so that the layout sets it apart and the
/// PDF's structure says its language; in an attribute value, a comment, CDATA or a processing
/// instruction, where no element can go, the text alone. Marks that do not enclose a text so are
/// dropped, and what they hold is kept as text.
std::string resolve_fallbacks(std::string_view markup);

/// A parsed Mustache template (kainjow), parsed once and rendered many times. Values are
/// XML-escaped; triple mustaches ({{{x}}}) insert them raw. Texts marked by fallback_text come
/// out as resolve_fallbacks says.
class Template {
public:
    /// Parses `text`; `file` names it in errors. Throws Error at the template's line:col when
    /// the template is malformed (unclosed section, unclosed tag...).
    Template(const std::string& text, const std::string& file);
    ~Template();
    Template(Template&&) noexcept;
    Template& operator=(Template&&) noexcept;

    /// Reads and parses a template file.
    static Template load(const std::string& path);

    /// Expands the template over `view`. Not safe to call from two threads on one Template.
    std::string render(const View& view) const;

    /// The file the template came from.
    const std::string& file() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace factsheet

// Stage 3: expands a layout's Mustache template over a localized view into layout markup.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/xml.hpp"  // escape_xml
#include "locale/view.hpp"

namespace factsheet {

/// A parsed Mustache template (kainjow), parsed once and rendered many times. Values are
/// XML-escaped; triple mustaches ({{{x}}}) insert them raw.
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

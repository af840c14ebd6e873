// Reading a parsed XML tree while collecting every problem with its line and column.
#pragma once

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "source/operation.hpp"
#include "source/source.hpp"

namespace factsheet::detail {

/// How often a child element may appear.
enum class Occurs { one, optional, one_or_more, any };

/// A child an element may contain.
struct ChildRule {
    std::string_view name;
    Occurs occurs;
};

/// What an element may hold: its attributes and its children (text is never allowed directly).
struct Shape {
    std::string_view element;
    std::vector<std::string_view> attributes;
    std::vector<ChildRule> children;
};

/// The shape of a bilingual text element (<label>, <p>...): exactly one <en> and one <fr>.
const Shape& text_shape();

/// Walks a pugixml tree parsed from `text`, which must outlive the reader.
class XmlReader {
public:
    /// `file` names the source in diagnostics; `grammar` lists every element shape, so that a
    /// misplaced element can be told where it belongs.
    XmlReader(std::string_view text, const std::string& file, std::vector<const Shape*> grammar);

    /// Where a node starts: the '<' of an element, the first non-blank character of text.
    SourcePos pos(pugi::xml_node node) const;

    /// Where an attribute's name is written in its element's start tag (the element when absent).
    SourcePos attribute_pos(pugi::xml_node element, std::string_view name) const;

    /// Records a problem; reading goes on.
    void error(SourcePos pos, std::string message);

    /// Records a text missing in one language (its <en> or <fr> absent or empty), which only the
    /// editions in that language need.
    void missing(SourcePos pos, Lang lang, std::string message);

    /// Reports unknown attributes and children, text written directly in the element, missing
    /// required children and repeated single ones. `subject` names the element in messages
    /// ("figure \"pin\"").
    void check_shape(pugi::xml_node node, const Shape& shape, const std::string& subject);

    /// An attribute's value with its whitespace collapsed, or nothing when it is absent.
    std::optional<std::string> attribute(pugi::xml_node node, const char* name) const;

    /// Like attribute(), but reports a missing attribute.
    std::optional<std::string> required_attribute(pugi::xml_node node, const char* name,
                                                  const std::string& subject);

    /// Reads a bilingual text element, recording a missing or empty language (missing()) and
    /// reporting a language longer than `max_chars` characters. An absent node (already reported
    /// by check_shape) gives an empty Text.
    Text text(pugi::xml_node node, const std::string& subject, std::size_t max_chars);

    /// The same for a text element that may carry the attributes `shape` lists (its children must
    /// be text_shape()'s); the caller reads them.
    Text text(pugi::xml_node node, const std::string& subject, std::size_t max_chars, const Shape& shape);

    /// Reads an element that holds plain text only (<en>, <email>), whitespace collapsed, and
    /// reports it when longer than `max_chars` characters. It takes no attributes, but an <en> or
    /// <fr> may carry a translation fingerprint, from="3f2a9c1e" (8 lowercase hex digits).
    std::string plain_text(pugi::xml_node node, const std::string& subject, std::size_t max_chars);

    /// Throws Error with every problem recorded, in document order, when there is any besides
    /// texts missing that no edition of `plan` needs; returns those, in document order.
    std::vector<MissingText> finish(const EditionPlan& plan);

private:
    /// The elements that may contain `name`, for messages.
    std::vector<std::string_view> parents_of(std::string_view name) const;

    /// Where each attribute name of the start tag at `offset` is written, scanned once per tag.
    const std::unordered_map<std::string_view, std::size_t>& attribute_offsets(std::size_t offset) const;

    std::string_view text_;
    LineMap lines_;
    std::vector<const Shape*> grammar_;
    // The start tag last scanned by attribute_offsets: an element with thousands of attributes
    // is scanned once, not once per attribute.
    mutable std::size_t scanned_tag_ = static_cast<std::size_t>(-1);
    mutable std::unordered_map<std::string_view, std::size_t> scanned_attributes_;
    // A problem, or a text missing in a language (`missing` set), in the order found.
    struct Problem {
        Diagnostic diagnostic;
        std::optional<Lang> missing;
        bool has_other = false;  // a missing text: the other language has it
    };
    std::vector<Problem> problems_;
};

/// "<a>, <b> or <c>": element names for messages.
std::string list_elements(const std::vector<std::string_view>& names);

}  // namespace factsheet::detail

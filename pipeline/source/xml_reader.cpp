#include "source/xml_reader.hpp"

#include "common/xml.hpp"

#include <algorithm>

#include "source/source.hpp"
#include "source/syntax.hpp"

namespace factsheet::detail {

namespace {

bool is_tag_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// "a, b or c": names joined for a message, each wrapped by `wrap`.
template <typename Wrap>
std::string join_or(const std::vector<std::string_view>& names, Wrap wrap) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
        out += wrap(names[i]);
    }
    return out;
}

std::string element_name(std::string_view name) {
    return "<" + std::string(name) + ">";
}

// The beginning of a stray text, enough to recognise it in a message.
std::string excerpt(std::string_view text) {
    constexpr std::size_t max_chars = 30;
    std::string collapsed = collapse_whitespace(text);
    if (collapsed.size() <= max_chars) return collapsed;
    std::size_t cut = max_chars;
    // Never cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(collapsed[cut]) & 0xC0) == 0x80) --cut;
    return collapsed.substr(0, cut) + "...";
}

// The fingerprint factsheet xliff import writes: 8 lowercase hexadecimal digits.
bool is_fingerprint(std::string_view value) {
    return value.size() == 8 && value.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool is_text_node(pugi::xml_node node) {
    return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

}  // namespace

const Shape& text_shape() {
    static const Shape shape{"", {}, {{"en", Occurs::one}, {"fr", Occurs::one}}};
    return shape;
}

std::string list_elements(const std::vector<std::string_view>& names) {
    return join_or(names, element_name);
}

XmlReader::XmlReader(std::string_view text, const std::string& file, std::vector<const Shape*> grammar)
    : text_(text), lines_(file, text), grammar_(std::move(grammar)) {}

SourcePos XmlReader::pos(pugi::xml_node node) const {
    if (node.offset_debug() < 0) return {lines_.file(), 0, 0};
    return node_pos(lines_, node, text_);
}

SourcePos XmlReader::attribute_pos(pugi::xml_node element, std::string_view name) const {
    std::ptrdiff_t offset = element.offset_debug();
    if (offset < 0) return pos(element);
    const auto& names = attribute_offsets(static_cast<std::size_t>(offset));
    auto found = names.find(name);
    return found == names.end() ? pos(element) : lines_.at(found->second);
}

const std::unordered_map<std::string_view, std::size_t>& XmlReader::attribute_offsets(
    std::size_t offset) const {
    if (offset == scanned_tag_) return scanned_attributes_;
    scanned_tag_ = offset;
    scanned_attributes_.clear();
    // pugixml keeps no offsets for attributes: walk the start tag's text instead, honouring quotes
    // so that a value containing "name=" or '>' cannot mislead the scan. The first of two
    // attributes of one name is kept (a well-formed file has none).
    std::size_t i = offset;
    auto at_end = [&] { return i >= text_.size(); };
    while (!at_end() && !is_tag_space(text_[i]) && text_[i] != '>' && text_[i] != '/') ++i;
    while (true) {
        while (!at_end() && is_tag_space(text_[i])) ++i;
        if (at_end() || text_[i] == '>' || text_[i] == '/') break;
        std::size_t name_start = i;
        while (!at_end() && !is_tag_space(text_[i]) && text_[i] != '=' && text_[i] != '>') ++i;
        scanned_attributes_.emplace(text_.substr(name_start, i - name_start), name_start);
        while (!at_end() && is_tag_space(text_[i])) ++i;
        if (at_end() || text_[i] != '=') break;
        ++i;
        while (!at_end() && is_tag_space(text_[i])) ++i;
        if (at_end() || (text_[i] != '"' && text_[i] != '\'')) break;
        std::size_t close = text_.find(text_[i], i + 1);
        if (close == std::string_view::npos) break;
        i = close + 1;
    }
    return scanned_attributes_;
}

void XmlReader::error(SourcePos where, std::string message) {
    problems_.push_back({{std::move(where), std::move(message)}, std::nullopt});
}

void XmlReader::missing(SourcePos where, Lang lang, std::string message) {
    problems_.push_back({{std::move(where), std::move(message)}, lang});
}

std::vector<std::string_view> XmlReader::parents_of(std::string_view name) const {
    std::vector<std::string_view> parents;
    for (const Shape* shape : grammar_)
        for (const ChildRule& child : shape->children)
            if (child.name == name && !shape->element.empty()) parents.push_back(shape->element);
    return parents;
}

void XmlReader::check_shape(pugi::xml_node node, const Shape& shape, const std::string& subject) {
    std::string name = node.name();
    for (pugi::xml_attribute attr : node.attributes()) {
        std::string_view attr_name = attr.name();
        if (std::size_t chars = count_chars(collapse_whitespace(attr.value())); chars > max_attribute_chars)
            error(attribute_pos(node, attr_name),
                  std::string(attr_name) + " of " + subject + " has " + std::to_string(chars) +
                      " characters; an attribute may have at most " + std::to_string(max_attribute_chars));
        if (std::find(shape.attributes.begin(), shape.attributes.end(), attr_name) != shape.attributes.end())
            continue;
        std::string allowed =
            shape.attributes.empty()
                ? "<" + name + "> takes no attributes"
                : "<" + name + "> may have " +
                      join_or(shape.attributes, [](std::string_view a) { return std::string(a); });
        error(attribute_pos(node, attr_name),
              "unknown attribute \"" + std::string(attr_name) + "\" on <" + name + ">; " + allowed);
    }

    std::vector<int> counts(shape.children.size(), 0);
    std::vector<std::string_view> allowed_children;
    for (const ChildRule& rule : shape.children) allowed_children.push_back(rule.name);
    bool reported_text = false;
    for (pugi::xml_node child : node.children()) {
        if (is_text_node(child)) {
            if (reported_text || collapse_whitespace(child.value()).empty()) continue;
            reported_text = true;
            bool bilingual = shape.children.size() == 2 && shape.children[0].name == "en" &&
                             shape.children[1].name == "fr";
            if (bilingual)
                error(pos(child), subject + " must hold its text in <en> and <fr>, not directly");
            else
                error(pos(child), "unexpected text \"" + excerpt(child.value()) + "\" directly in " +
                                      subject + "; " + element_name(name) + " may contain only " +
                                      list_elements(allowed_children));
            continue;
        }
        if (child.type() != pugi::node_element) continue;
        std::string_view child_name = child.name();
        auto rule = std::find_if(shape.children.begin(), shape.children.end(),
                                 [&](const ChildRule& r) { return r.name == child_name; });
        if (rule != shape.children.end()) {
            int& count = counts[static_cast<std::size_t>(rule - shape.children.begin())];
            ++count;
            bool single = rule->occurs == Occurs::one || rule->occurs == Occurs::optional;
            if (single && count == 2)
                error(pos(child),
                      subject + " has more than one " + element_name(child_name) + "; keep only one");
            continue;
        }
        std::string here = element_name(child_name);
        if (lang_from_code(child_name)) {
            error(pos(child), here + " cannot appear in " + element_name(name) +
                                  "; it belongs in a text element such as <label> or <p>");
        } else if (auto parents = parents_of(child_name); !parents.empty()) {
            error(pos(child), here + " cannot appear in " + element_name(name) + "; it belongs in " +
                                  list_elements(parents));
        } else {
            error(pos(child), "unknown element " + here + " in " + element_name(name) + "; " +
                                  element_name(name) + " may contain only " +
                                  list_elements(allowed_children));
        }
    }

    for (std::size_t i = 0; i < shape.children.size(); ++i) {
        const ChildRule& rule = shape.children[i];
        bool required = rule.occurs == Occurs::one || rule.occurs == Occurs::one_or_more;
        if (!required || counts[i] > 0) continue;
        // Text written directly in a text element was reported above, with its remedy.
        if (&shape == &text_shape() && reported_text) continue;
        if (std::optional<Lang> lang = lang_from_code(rule.name))
            missing(pos(node), *lang,
                    subject + " has no " + english_name(*lang) + " text (<" + std::string(rule.name) + ">)");
        else
            error(pos(node), subject + " has no " + element_name(rule.name));
    }
}

std::optional<std::string> XmlReader::attribute(pugi::xml_node node, const char* name) const {
    pugi::xml_attribute attr = node.attribute(name);
    if (!attr) return std::nullopt;
    return collapse_whitespace(attr.value());
}

std::optional<std::string> XmlReader::required_attribute(pugi::xml_node node, const char* name,
                                                         const std::string& subject) {
    auto value = attribute(node, name);
    if (!value) error(pos(node), subject + " has no " + name + " attribute; add " + name + "=\"...\"");
    return value;
}

Text XmlReader::text(pugi::xml_node node, const std::string& subject, std::size_t max_chars) {
    return text(node, subject, max_chars, text_shape());
}

Text XmlReader::text(pugi::xml_node node, const std::string& subject, std::size_t max_chars,
                     const Shape& shape) {
    Text result;
    if (!node) return result;
    result.pos = pos(node);
    std::size_t first = problems_.size();
    check_shape(node, shape, subject);
    for (Lang lang : {Lang::en, Lang::fr}) {
        std::string code = lang_code(lang);
        pugi::xml_node language = node.child(code.c_str());
        if (!language) continue;  // recorded by check_shape
        std::string value = plain_text(language, "<" + code + "> of " + subject, max_chars);
        if (value.empty())
            missing(pos(language), lang,
                    subject + " has an empty " + english_name(lang) + " text (<" + code + ">)");
        (lang == Lang::en ? result.en : result.fr) = std::move(value);
    }
    // Whether a draft can stand the other language in for what is missing here.
    for (std::size_t i = first; i < problems_.size(); ++i)
        if (problems_[i].missing) problems_[i].has_other = result.has(other_lang(*problems_[i].missing));
    return result;
}

std::string XmlReader::plain_text(pugi::xml_node node, const std::string& subject, std::size_t max_chars) {
    if (!node) return {};
    std::string name = node.name();
    bool language = lang_from_code(name).has_value();
    for (pugi::xml_attribute attr : node.attributes()) {
        // A language may carry from="3f2a9c1e": factsheet xliff import's fingerprint of the text
        // it was translated from (docs/translation.md).
        if (language && std::string_view(attr.name()) == "from") {
            if (!is_fingerprint(attr.value()))
                error(attribute_pos(node, "from"),
                      "from=\"" + excerpt(attr.value()) + "\" of " + subject +
                          " is not a fingerprint (8 digits 0-9 and letters a-f, as factsheet xliff import "
                          "writes it); remove it");
            continue;
        }
        error(attribute_pos(node, attr.name()),
              "unknown attribute \"" + std::string(attr.name()) + "\" on <" + name + ">; <" + name +
                  (language ? "> may have only from" : "> takes no attributes"));
    }
    std::string raw;
    for (pugi::xml_node child : node.children()) {
        if (is_text_node(child))
            raw += child.value();
        else if (child.type() == pugi::node_element)
            error(pos(child), subject + " may hold only text, not <" + std::string(child.name()) + ">");
    }
    std::string text = collapse_whitespace(raw);
    // Past this a text no longer fits the PDF's strings or its box (source.hpp).
    if (std::size_t chars = count_chars(text); chars > max_chars)
        error(pos(node), subject + " has " + std::to_string(chars) + " characters; at most " +
                             std::to_string(max_chars) + " are allowed");
    return text;
}

std::vector<MissingText> XmlReader::finish(const EditionPlan& plan) {
    // Checks run section by section and cross-references last: report in reading order instead.
    std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
        const SourcePos &p = a.diagnostic.pos, &q = b.diagnostic.pos;
        return p.line != q.line ? p.line < q.line : p.col < q.col;
    });
    DiagnosticSink sink;
    std::vector<MissingText> spared;
    for (Problem& problem : problems_) {
        if (problem.missing) {
            MissingText text{*problem.missing, std::move(problem.diagnostic), problem.has_other};
            if (!stops(text, plan)) {
                spared.push_back(std::move(text));
                continue;
            }
            problem.diagnostic = std::move(text.problem);
        }
        sink.add(std::move(problem.diagnostic.pos), std::move(problem.diagnostic.message));
    }
    problems_.clear();
    sink.throw_if_any();
    return spared;
}

}  // namespace factsheet::detail

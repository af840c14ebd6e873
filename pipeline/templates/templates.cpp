#include "templates/templates.hpp"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <map>
#include <mutex>
#include <regex>
#include <vector>

#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet {

namespace mustache = kainjow::mustache;

namespace {

// kainjow's set() and push_back() copy the value they are given, and its copies are deep: built
// bottom-up with them, each value was copied once for every level above it, and once more each
// time a list grew (its elements' moves may throw, so std::vector copies them). A list is filled
// in place instead, reserved, by moves; an object gets a boolean placeholder (nothing on the
// heap to copy) that the value is then moved over: 400 fewer allocations per factsheet, and
// render() 30% cheaper. The data get() and list_value() show is the data being built here, not
// const itself: only kainjow's accessors are.
mustache::data to_data(const View& view) {
    switch (view.kind) {
        case View::Kind::string: return mustache::data(view.str);
        case View::Kind::boolean: return mustache::data(view.flag);
        case View::Kind::list: {
            mustache::data list{mustache::data::type::list};
            auto& items = const_cast<mustache::list&>(list.list_value());
            // Room for the longer lists of later editions (bring_up_to_date): pointers only.
            items.reserve(std::max<std::size_t>(view.items.size() * 2, 8));
            for (const auto& item : view.items) items.push_back(to_data(item));
            return list;
        }
        case View::Kind::object: break;
    }
    mustache::data object{mustache::data::type::object};
    for (const auto& [key, value] : view.fields) {
        object.set(key, mustache::data(false));
        *const_cast<mustache::data*>(object.get(key)) = to_data(value);
    }
    return object;
}

// The data kainjow renders, kept from one render to the next and brought up to date in place:
// the views of a template's editions have the same fields, and mostly lists of the same
// lengths, so that their strings and objects are reused rather than made and freed again (two
// fifths of the instructions of a factsheet's rendering, callgrind). `Shape` mirrors what each value is: a
// string, a boolean, a list, or an object with its keys in order.
struct Shape {
    View::Kind kind = View::Kind::boolean;
    std::vector<std::string> keys;  // an object's
    std::vector<Shape> inside;      // an object's values, in the order of its keys; a list's items
};

Shape shape_of(const View& view) {
    Shape shape;
    shape.kind = view.kind;
    if (view.kind == View::Kind::list) {
        shape.inside.reserve(view.items.size());
        for (const View& item : view.items) shape.inside.push_back(shape_of(item));
    } else if (view.kind == View::Kind::object) {
        shape.keys.reserve(view.fields.size());
        shape.inside.reserve(view.fields.size());
        for (const auto& [key, value] : view.fields) {
            shape.keys.push_back(key);
            shape.inside.push_back(shape_of(value));
        }
    }
    return shape;
}

bool same_keys(const Shape& shape, const View& view) {
    if (shape.kind != View::Kind::object || shape.keys.size() != view.fields.size()) return false;
    auto key = shape.keys.begin();
    for (const auto& field : view.fields)
        if (*key++ != field.first) return false;
    return true;
}

// Makes `data` (of shape `shape`) hold `view`: in place where the shapes agree, anew where not.
void bring_up_to_date(mustache::data& data, Shape& shape, const View& view) {
    switch (view.kind) {
        case View::Kind::string:
            if (shape.kind == View::Kind::string) {
                const_cast<std::string&>(data.string_value()).assign(view.str);
                return;
            }
            break;
        case View::Kind::boolean: break;
        case View::Kind::list: {
            if (shape.kind != View::Kind::list) break;
            auto& items = const_cast<mustache::list&>(data.list_value());
            // A list grown past its room would be copied whole (kainjow's data moves may throw).
            if (view.items.size() > items.capacity()) break;
            if (items.size() > view.items.size()) {
                items.erase(items.begin() + static_cast<std::ptrdiff_t>(view.items.size()), items.end());
                shape.inside.resize(view.items.size());
            }
            for (std::size_t i = 0; i < view.items.size(); ++i) {
                if (i < items.size()) {
                    bring_up_to_date(items[i], shape.inside[i], view.items[i]);
                } else {
                    items.push_back(to_data(view.items[i]));
                    shape.inside.push_back(shape_of(view.items[i]));
                }
            }
            return;
        }
        case View::Kind::object:
            if (!same_keys(shape, view)) break;
            std::size_t k = 0;
            for (const auto& [key, value] : view.fields) {
                bring_up_to_date(*const_cast<mustache::data*>(data.get(key)), shape.inside[k], value);
                ++k;
            }
            return;
    }
    data = to_data(view);
    shape = shape_of(view);
}

// The names a template looks up, innermost section first, as kainjow's own context finds them,
// but without its splitting of a dotted name ("figures.pin") through a stringstream into new
// strings at every lookup: a fifth of a factsheet's rendering (callgrind). Each part is looked up
// through one reused string (kainjow's objects find by std::string).
class Scopes final : public mustache::basic_context<std::string> {
public:
    explicit Scopes(const mustache::data* root) { scopes_.push_back(root); }

    void push(const mustache::data* data) override { scopes_.push_back(data); }
    void pop() override { scopes_.pop_back(); }

    const mustache::data* get(const std::string& name) const override {
        if (name == ".") return scopes_.back();
        const auto dot = name.find('.');
        for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
            if (dot == std::string::npos) {
                if (const mustache::data* found = (*scope)->get(name)) return found;
                continue;
            }
            if (const mustache::data* found = follow(*scope, name)) return found;
        }
        return nullptr;
    }

    const mustache::data* get_partial(const std::string& name) const override {
        for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope)
            if (const mustache::data* found = (*scope)->get(name)) return found;
        return nullptr;
    }

private:
    // The parts of a dotted name from `data` on, as kainjow splits it: a name ending in a dot
    // has no empty last part ("a." is "a"), elsewhere an empty part is looked up as it is.
    const mustache::data* follow(const mustache::data* data, std::string_view name) const {
        while (data != nullptr && !name.empty()) {
            const auto dot = name.find('.');
            part_.assign(name.substr(0, dot));
            data = data->get(part_);
            name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
        }
        return data;
    }

    std::vector<const mustache::data*> scopes_;  // the innermost last
    mutable std::string part_;
};

// kainjow reports problems as English sentences ending in "at <offset>"; turn them into our
// lowercase message with the template's own line and column.
Error template_error(const std::string& file, const std::string& text, const std::string& message) {
    static const std::regex at_offset(R"(^(.*) at (\d+)$)");
    std::smatch m;
    std::string what = message;
    SourcePos pos{file, 0, 0};
    if (std::regex_match(message, m, at_offset)) {
        what = m[1].str();
        pos = LineMap(file, text).at(std::stoul(m[2].str()));
    }
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    return Error(pos, "invalid template: " + what + "; check the {{#...}} / {{/...}} pairs");
}

// A template is a few pages of markup (the factsheet layout's is under 20 KB); sections nest a few
// deep. Past these limits kainjow takes memory growing with the square of the nesting, or minutes:
// they are checked before the template reaches it (docs/layout-markup.md, "Limits").
constexpr std::size_t max_template_bytes = 1024 * 1024;
constexpr std::size_t max_section_depth = 100;
// The sections of the factsheet layout render their content a few hundred times for a full source.
constexpr double max_section_renderings = 1e6;
// The markup of the factsheet layout is about 40 KB for a full source.
constexpr std::size_t max_markup_bytes = 64 * 1024 * 1024;

// What kainjow writes, appended to a string (its render() takes anything with <<), up to
// max_markup_bytes: past it, TooLong unwinds through kainjow.
struct TooLong {};
struct Appender {
    std::string& out;
    Appender& operator<<(const std::string& piece) {
        if (out.size() + piece.size() > max_markup_bytes) throw TooLong{};
        out += piece;
        return *this;
    }
};

// Reads the tags of `text` as kainjow will, following {{=<% %>=}} delimiter changes, and refuses
// sections ({{#x}}, {{^x}}) nested deeper than max_section_depth, at the tag that goes too deep.
// Malformed tags are left to kainjow, which says what is wrong with them.
std::string_view trim_spaces(std::string_view s) {
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// A section of a template ({{#name}} or {{^name}}), as check_nesting finds it.
struct Section {
    std::string name;
    bool inverted = false;
    std::size_t offset = 0;  // of its opening tag
    int parent = -1;         // index of the section it is in, -1 at the top
};

std::vector<Section> check_nesting(const std::string& text, const std::string& file) {
    std::vector<Section> sections;
    int current = -1;
    std::string open = "{{", close = "}}";
    std::size_t depth = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = text.find(open, i);
        if (start == std::string::npos) break;
        std::size_t inner = start + open.size();
        std::string end = close;
        if (open == "{{" && close == "}}" && inner < text.size() && text[inner] == '{') {  // {{{raw}}}
            end = "}}}";
            ++inner;
        }
        std::size_t stop = text.find(end, inner);
        if (stop == std::string::npos) break;
        std::string_view tag = trim_spaces(std::string_view(text).substr(inner, stop - inner));
        i = stop + end.size();
        if (end == "}}}" || tag.empty()) continue;
        if (tag.front() == '#' || tag.front() == '^') {
            if (++depth > max_section_depth)
                throw Error(LineMap(file, text).at(start),
                            "invalid template: sections nested more than " +
                                std::to_string(max_section_depth) +
                                " deep; close some {{#...}} / {{^...}} before opening more");
            sections.push_back({std::string(trim_spaces(tag.substr(1))), tag.front() == '^', start, current});
            current = static_cast<int>(sections.size()) - 1;
        } else if (tag.front() == '/') {
            if (depth > 0) --depth;
            if (current >= 0) current = sections[static_cast<std::size_t>(current)].parent;
        } else if (tag.front() == '=') {
            // {{=<% %>=}}: two new delimiters, read as kainjow reads them; a malformed change is
            // left to kainjow to report.
            if (tag.size() < 5 || tag.back() != '=') break;
            std::string_view pair = trim_spaces(tag.substr(1, tag.size() - 2));
            std::size_t space = pair.find(' ');
            if (space == std::string_view::npos) break;
            std::size_t second = pair.find_first_not_of(' ', space + 1);
            if (second == std::string_view::npos || space == 0) break;
            open = std::string(pair.substr(0, space));
            close = std::string(pair.substr(second));
        }
    }
    return sections;
}

bool is_language_code(std::string_view code) {
    return !code.empty() && code.size() <= 8 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Where the expanded markup is: in text, a tag (and whether inside a quoted attribute value), a
// comment, a CDATA section or a processing instruction (or declaration).
enum class Context { text, tag, comment, cdata, instruction };

}  // namespace

std::string resolve_fallbacks(std::string_view markup) {
    if (markup.find(fallback_open) == std::string_view::npos &&
        markup.find(fallback_start) == std::string_view::npos &&
        markup.find(fallback_close) == std::string_view::npos)
        return std::string(markup);
    std::string out;
    out.reserve(markup.size() + 64);
    Context context = Context::text;
    char quote = 0;  // in a tag: the quote of the attribute value it is in, if any
    std::size_t i = 0;
    auto at = [&](std::string_view s) { return markup.substr(i, s.size()) == s; };
    while (i < markup.size()) {
        if (at(fallback_open)) {
            std::size_t start = markup.find(fallback_start, i + fallback_open.size());
            std::size_t close = start == std::string_view::npos ? start : markup.find(fallback_close, start);
            std::string_view lang;
            if (start != std::string_view::npos)
                lang = markup.substr(i + fallback_open.size(), start - i - fallback_open.size());
            bool has_lang = is_language_code(lang);
            std::size_t text_at = start + fallback_start.size();
            if (has_lang && close != std::string_view::npos && context == Context::text &&
                markup.substr(text_at, close - text_at).find('<') == std::string_view::npos) {
                out.append("<span lang=\"")
                    .append(lang)
                    .append("\" colour=\"")
                    .append(fallback_colour)
                    .append("\">")
                    .append(markup.substr(text_at, close - text_at))
                    .append("</span>");
                i = close + fallback_close.size();
                continue;
            }
            // Elsewhere the marks go and the text stays, read on as the rest of the markup is.
            i = has_lang ? text_at : i + fallback_open.size();
            continue;
        }
        if (at(fallback_start)) {
            i += fallback_start.size();  // a stray mark
            continue;
        }
        if (at(fallback_close)) {
            i += fallback_close.size();  // the end of a text left plain, or a stray mark
            continue;
        }
        char c = markup[i];
        switch (context) {
            case Context::text:
                if (c == '<')
                    context = at("<!--")             ? Context::comment
                              : at("<![CDATA[")      ? Context::cdata
                              : at("<?") || at("<!") ? Context::instruction
                                                     : Context::tag;
                break;
            case Context::tag:
                if (quote != 0 && c == quote)
                    quote = 0;
                else if (quote == 0 && (c == '"' || c == '\''))
                    quote = c;
                else if (quote == 0 && c == '>')
                    context = Context::text;
                break;
            case Context::comment:
                if (at("-->")) {
                    out.append("--");
                    i += 2;
                    c = markup[i];
                    context = Context::text;
                }
                break;
            case Context::cdata:
                if (at("]]>")) {
                    out.append("]]");
                    i += 2;
                    c = markup[i];
                    context = Context::text;
                }
                break;
            case Context::instruction:
                if (c == '>') context = Context::text;
                break;
        }
        out += c;
        ++i;
    }
    return out;
}

namespace {
std::vector<Section> check_size_and_nesting(const std::string& text, const std::string& file) {
    if (text.size() > max_template_bytes)
        throw Error(SourcePos{file, 0, 0}, "the template is " + std::to_string(text.size()) +
                                               " bytes; it may hold at most " +
                                               std::to_string(max_template_bytes) +
                                               " bytes (1 MiB): check that this is the right file");
    return check_nesting(text, file);
}

// The longest list of each field name anywhere in the view ("team" -> 6).
void list_lengths(const View& view, std::map<std::string, std::size_t, std::less<>>& lengths) {
    for (const auto& [key, value] : view.fields) {
        if (value.kind == View::Kind::list) {
            std::size_t& longest = lengths[key];
            longest = std::max(longest, value.items.size());
        }
        list_lengths(value, lengths);
    }
    for (const View& item : view.items) list_lengths(item, lengths);
}

// How many times, at most, the sections of a template render their content over `view`: a
// section over a list repeats its content once per item, so sections over lists nested in each
// other multiply ({{#team}}{{#team}}... is 6^depth for a team of 6, whatever the output). Bounded
// from above: each name counts as the longest list of that name anywhere in the view. Returns
// the outermost section past `budget`, if any.
const Section* find_runaway_section(const std::vector<Section>& sections, const View& view, double budget) {
    std::map<std::string, std::size_t, std::less<>> lengths;
    list_lengths(view, lengths);
    std::size_t any_list = 1;  // for "." and names the view lacks, taken at their worst
    for (const auto& [name, length] : lengths) any_list = std::max(any_list, length);
    std::vector<double> inside(sections.size(), 0);  // renderings of the sections within each
    std::vector<double> cost(sections.size(), 0);
    for (std::size_t k = sections.size(); k-- > 0;) {
        const Section& section = sections[k];
        std::string_view name = section.name;
        if (std::size_t dot = name.rfind('.'); dot != std::string_view::npos && name != ".")
            name.remove_prefix(dot + 1);
        auto found = lengths.find(name);
        double repeats = section.inverted ? 1.0
                         : name == "."    ? static_cast<double>(any_list)
                         : found != lengths.end()
                             ? static_cast<double>(std::max<std::size_t>(found->second, 1))
                             : 1.0;
        cost[k] = repeats * (1 + inside[k]);
        if (section.parent >= 0) inside[static_cast<std::size_t>(section.parent)] += cost[k];
    }
    double total = 0;
    for (std::size_t k = 0; k < sections.size(); ++k) {
        if (cost[k] > budget &&
            (sections[k].parent < 0 || cost[static_cast<std::size_t>(sections[k].parent)] <= budget))
            return &sections[k];
        if (sections[k].parent < 0) total += cost[k];
    }
    return total > budget && !sections.empty() ? &sections.front() : nullptr;
}
}  // namespace

struct Template::Impl {
    std::string file;
    std::string text;
    std::vector<Section> sections;
    mutable mustache::mustache tmpl;
    // The data of the last render, brought up to date for the next (one render at a time).
    mutable std::mutex rendering;
    mutable mustache::data kept{false};
    mutable Shape kept_shape;
    // The sections are checked first, so that kainjow never sees a template nested too deep.
    Impl(std::string f, const std::string& t, std::vector<Section> s)
        : file(std::move(f)), text(t), sections(std::move(s)), tmpl(t) {}
};

Template::Template(const std::string& text, const std::string& file)
    : impl_(std::make_unique<Impl>(file, text, check_size_and_nesting(text, file))) {
    if (!impl_->tmpl.is_valid()) throw template_error(file, text, impl_->tmpl.error_message());
    impl_->tmpl.set_custom_escape([](const std::string& s) { return escape_xml(s); });
}

Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

Template Template::load(const std::string& path) {
    return Template(read_regular_file(path, max_template_bytes,
                                      layout_file_errors(path, "the template", max_template_bytes,
                                                         [&](int) {
                                                             return Error(SourcePos{path, 0, 0},
                                                                          "cannot read template: check the "
                                                                          "layout folder");
                                                         })),
                    path);
}

std::string Template::render(const View& view) const {
    // Sections repeated inside repeated sections multiply: stop at max_markup_bytes rather than
    // fill the memory (kainjow's handler may throw; it unwinds through it).
    if (const Section* runaway = find_runaway_section(impl_->sections, view, max_section_renderings))
        throw Error(LineMap(impl_->file, impl_->text).at(runaway->offset),
                    "invalid template: section \"" + runaway->name + "\" and those inside it may render " +
                        "their content more than " +
                        std::to_string(static_cast<long>(max_section_renderings)) +
                        " times over this edition: a list section repeated inside another one? "
                        "({{#team}}...{{#team}})");
    std::string out;
    try {
        std::lock_guard lock(impl_->rendering);
        try {
            bring_up_to_date(impl_->kept, impl_->kept_shape, view);
        } catch (...) {  // out of memory halfway: the next render starts afresh
            impl_->kept = mustache::data(false);
            impl_->kept_shape = Shape{};
            throw;
        }
        Scopes scopes(&impl_->kept);
        Appender appender{out};
        impl_->tmpl.render(scopes, appender);
    } catch (const TooLong&) {
        throw Error(
            SourcePos{impl_->file, 0, 0},
            "the template writes more than " + std::to_string(max_markup_bytes / (1024 * 1024)) +
                " MiB of markup: a list section repeated inside another one? ({{#team}}...{{#team}})");
    }
    if (!impl_->tmpl.is_valid()) throw template_error(impl_->file, impl_->text, impl_->tmpl.error_message());
    return resolve_fallbacks(out);
}

const std::string& Template::file() const {
    return impl_->file;
}

}  // namespace factsheet

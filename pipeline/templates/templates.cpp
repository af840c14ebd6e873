#include "templates/templates.hpp"

#include <algorithm>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <regex>
#include <sstream>

#include "common/error.hpp"

namespace factsheet {

namespace mustache = kainjow::mustache;

namespace {

mustache::data to_data(const View& view) {
    switch (view.kind) {
        case View::Kind::string: return mustache::data(view.str);
        case View::Kind::boolean: return mustache::data(view.flag);
        case View::Kind::list: {
            mustache::data list{mustache::data::type::list};
            for (const auto& item : view.items) list.push_back(to_data(item));
            return list;
        }
        case View::Kind::object: break;
    }
    mustache::data object{mustache::data::type::object};
    for (const auto& [key, value] : view.fields) object.set(key, to_data(value));
    return object;
}

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

struct Template::Impl {
    std::string file;
    std::string text;
    mutable mustache::mustache tmpl;
    Impl(std::string f, const std::string& t) : file(std::move(f)), text(t), tmpl(t) {}
};

Template::Template(const std::string& text, const std::string& file)
    : impl_(std::make_unique<Impl>(file, text)) {
    if (!impl_->tmpl.is_valid()) throw template_error(file, text, impl_->tmpl.error_message());
    impl_->tmpl.set_custom_escape([](const std::string& s) { return escape_xml(s); });
}

Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

Template Template::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(SourcePos{path, 0, 0}, "cannot read template: check the layout folder");
    std::ostringstream ss;
    ss << in.rdbuf();
    return Template(ss.str(), path);
}

std::string Template::render(const View& view) const {
    std::string out = impl_->tmpl.render(to_data(view));
    if (!impl_->tmpl.is_valid()) throw template_error(impl_->file, impl_->text, impl_->tmpl.error_message());
    return resolve_fallbacks(out);
}

const std::string& Template::file() const {
    return impl_->file;
}

}  // namespace factsheet

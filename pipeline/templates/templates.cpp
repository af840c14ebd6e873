#include "templates/templates.hpp"

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

}  // namespace

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
    return out;
}

const std::string& Template::file() const {
    return impl_->file;
}

}  // namespace factsheet

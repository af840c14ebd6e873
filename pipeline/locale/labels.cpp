// Reads a layout's labels file: the fixed words of a layout in both languages.
#include <cctype>
#include <pugixml.hpp>
#include <string>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/xml.hpp"
#include "locale/locale.hpp"

namespace factsheet {

namespace {

// Labels files are a few kilobytes (the factsheet layout's is under 10 KB).
constexpr std::size_t max_labels_bytes = 1024 * 1024;

std::string read_labels_file(const std::string& path) {
    return read_regular_file(
        path, max_labels_bytes, layout_file_errors(path, "the labels file", max_labels_bytes, [&](int) {
            return Error(SourcePos{path},
                         "cannot read the labels file: check that it exists and is readable");
        }));
}

// The text of <en>/<fr>, with the XML's line breaks and indentation folded into single spaces.
std::string folded_text(const pugi::xml_node& node) {
    std::string raw;
    for (pugi::xml_node child : node.children())
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) raw += child.value();
    return collapse_whitespace(raw);
}

class LabelsReader {
public:
    LabelsReader(const std::string& path, std::string_view text) : text_(text), map_(path, text) {}

    Labels read(const pugi::xml_document& doc) {
        pugi::xml_node root = doc.document_element();
        if (std::string_view(root.name()) != "labels") {
            sink_.add(at(root), "the root element is <" + std::string(root.name()) +
                                    ">: a labels file starts with <labels>");
            sink_.throw_if_any();
        }
        for (pugi::xml_node node : root.children()) {
            if (node.type() == pugi::node_element && std::string_view(node.name()) == "label")
                read_label(node);
            else if (node.type() == pugi::node_element)
                sink_.add(at(node), "unknown element <" + std::string(node.name()) +
                                        "> in <labels>: only <label> is allowed");
            else if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata)
                sink_.add(at(node), "unexpected text in <labels>: put texts inside <en> or <fr>");
        }
        sink_.throw_if_any();
        return std::move(labels_);
    }

private:
    SourcePos at(const pugi::xml_node& node) const { return node_pos(map_, node, text_); }

    void read_label(const pugi::xml_node& node) {
        SourcePos pos = at(node);
        for (pugi::xml_attribute attr : node.attributes())
            if (std::string_view(attr.name()) != "key")
                sink_.add(pos, "unknown attribute \"" + std::string(attr.name()) +
                                   "\" on <label>: only key is allowed");
        std::string key = node.attribute("key").value();
        if (key.empty()) {
            sink_.add(pos, "<label> has no key: add key=\"...\"");
            return;
        }
        std::string name = "label \"" + key + "\"";
        Text text;
        text.pos = pos;
        bool has_en = false;
        bool has_fr = false;
        for (pugi::xml_node child : node.children()) {
            std::string_view element = child.name();
            if (child.type() != pugi::node_element) {
                if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
                    sink_.add(at(child), "unexpected text in " + name + ": put it inside <en> or <fr>");
                continue;
            }
            std::optional<Lang> lang = lang_from_code(element);
            if (!lang) {
                sink_.add(at(child), "unknown element <" + std::string(element) + "> in " + name +
                                         ": use <en> and <fr>");
                continue;
            }
            bool& seen = *lang == Lang::en ? has_en : has_fr;
            if (seen) {
                sink_.add(at(child), name + " has a second <" + std::string(element) + ">: keep one");
                continue;
            }
            seen = true;
            if (child.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; }))
                sink_.add(at(child), name + " <" + std::string(element) + "> holds markup: write plain text");
            std::string value = folded_text(child);
            if (value.empty())
                sink_.add(at(child), name + " has an empty <" + std::string(element) + ">: write the text");
            (*lang == Lang::en ? text.en : text.fr) = std::move(value);
        }
        if (!has_en) sink_.add(pos, name + " has no <en> text: add <en>...</en>");
        if (!has_fr) sink_.add(pos, name + " has no <fr> text: add <fr>...</fr>");

        auto [it, inserted] = labels_.emplace(key, text);
        if (!inserted)
            sink_.add(pos,
                      name + " is defined twice (first at " + format_pos(it->second.pos) + "): remove one");
    }

    std::string_view text_;
    LineMap map_;
    DiagnosticSink sink_;
    Labels labels_;
};

}  // namespace

Labels read_labels(const std::string& path) {
    std::string text = read_labels_file(path);
    pugi::xml_document doc;
    load_xml(doc, text, LineMap(path, text), "a labels file");
    return LabelsReader(path, text).read(doc);
}

}  // namespace factsheet

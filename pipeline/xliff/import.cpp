// factsheet xliff import: an XLIFF read and checked, its translations written into the source's
// bytes.

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "common/xml.hpp"
#include "source/source.hpp"
#include "source/syntax.hpp"
#include "source/xml_reader.hpp"
#include "xliff/scan.hpp"
#include "xliff/xliff.hpp"

namespace factsheet::xliff {

namespace {

std::string too_large_message(std::size_t size) {
    return "the XLIFF is " + std::to_string(size) + " bytes; an XLIFF may hold at most " +
           std::to_string(max_xliff_bytes) + " bytes (16 MiB): check that this is the right file";
}

std::string quoted(std::string_view s) {
    constexpr std::size_t max_bytes = 60;
    if (s.size() <= max_bytes) return "\"" + std::string(s) + "\"";
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return "\"" + std::string(s.substr(0, cut)) + "...\"";
}

std::string hex_code_point(long code_point) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04lX", static_cast<unsigned long>(code_point));
    return buffer;
}

std::string_view prefix_of(std::string_view name) {
    std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

std::string_view local_of(std::string_view name) {
    std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace a prefix ("" for the default one) is bound to where `node` is.
std::string_view namespace_of(pugi::xml_node node, std::string_view prefix) {
    std::string attribute = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
    for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent())
        if (pugi::xml_attribute a = n.attribute(attribute.c_str())) return a.value();
    return {};
}

// An element of XLIFF 1.2 named `local` ("trans-unit"), whatever prefix it is written with.
bool is_xliff(pugi::xml_node node, std::string_view local) {
    return node.type() == pugi::node_element && local_of(node.name()) == local &&
           namespace_of(node, prefix_of(node.name())) == xliff_namespace;
}

std::vector<pugi::xml_node> xliff_children(pugi::xml_node node, std::string_view local) {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node child : node.children())
        if (is_xliff(child, local)) out.push_back(child);
    return out;
}

// The attribute `local` of `node` in the factsheet namespace (fs:operation).
pugi::xml_attribute factsheet_attribute(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_attribute a : node.attributes()) {
        std::string_view name = a.name();
        std::string_view prefix = prefix_of(name);
        if (!prefix.empty() && prefix != "xmlns" && local_of(name) == local &&
            namespace_of(node, prefix) == factsheet_namespace)
            return a;
    }
    return {};
}

// "en" or "fr" for a language tag whose primary subtag is one of them ("fr-FR", "EN").
std::optional<Lang> language_of(std::string_view tag) {
    std::string primary(tag.substr(0, tag.find_first_of("-_")));
    for (char& c : primary)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return lang_from_code(primary);
}

// All the text inside an element, its descendants' included.
std::string all_text(pugi::xml_node node) {
    std::string out;
    for (pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            out += child.value();
        else if (child.type() == pugi::node_element)
            out += all_text(child);
    }
    return out;
}

// The first '<' of a text that starts something XML would read as markup: a tag, an end tag,
// a comment, CDATA or a processing instruction ("<b>", "</fr>", "<!", "<?"); "< 5" and "<5" do not.
std::optional<std::size_t> markup_in(std::string_view text) {
    for (std::size_t at = text.find('<'); at != std::string_view::npos; at = text.find('<', at + 1)) {
        if (at + 1 >= text.size()) break;
        char c = text[at + 1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c == '/' ||
            c == '!' || c == '?' || static_cast<unsigned char>(c) >= 0x80)
            return at;
    }
    return std::nullopt;
}

class XliffParser {
public:
    XliffParser(std::string_view bytes, const std::string& file)
        : bytes_(bytes), lines_(file, bytes), reader_(bytes, file, {}) {}

    Xliff parse() {
        Xliff x;
        x.file = lines_.file();
        pugi::xml_node root = load();
        if (!is_xliff(root, "xliff")) {
            std::string_view ns = namespace_of(root, prefix_of(root.name()));
            throw Error(reader_.pos(root),
                        ns == "urn:oasis:names:tc:xliff:document:2.0"
                            ? "this is XLIFF 2.0; factsheet reads XLIFF 1.2, as factsheet xliff export "
                              "writes it: save it as XLIFF 1.2"
                            : "<" + std::string(root.name()) +
                                  "> is not an XLIFF 1.2 document; its root must be <xliff xmlns=\"" +
                                  std::string(xliff_namespace) + "\">");
        }
        if (std::string_view version = root.attribute("version").value(); version != "1.2")
            error(reader_.attribute_pos(root, "version"),
                  "XLIFF version " + quoted(version) + " is not read; factsheet reads XLIFF 1.2");
        std::vector<pugi::xml_node> files = xliff_children(root, "file");
        if (files.size() != 1) {
            error(reader_.pos(files.empty() ? root : files[1]),
                  files.empty() ? std::string("the XLIFF has no <file>")
                                : "the XLIFF holds " + std::to_string(files.size()) +
                                      " <file> elements; import the texts of one source at a time");
            throw_if_any();
        }
        read_file(files[0], x);
        throw_if_any();
        return x;
    }

private:
    pugi::xml_node load() {
        if (bytes_.starts_with("\xFF\xFE") || bytes_.starts_with("\xFE\xFF") ||
            (bytes_.size() >= 2 && (bytes_[0] == '\0' || bytes_[1] == '\0')))
            throw Error(lines_.at(0), "the XLIFF is UTF-16 or UTF-32; save it as UTF-8");
        long code_point = 0;
        if (auto bad = detail::find_invalid_character(bytes_, code_point)) {
            if (code_point < 0)
                throw Error(lines_.at(*bad), "the text is not valid UTF-8 here; save the XLIFF as UTF-8");
            throw Error(lines_.at(*bad),
                        "character " + hex_code_point(code_point) + " is not allowed in XML; remove it");
        }
        pugi::xml_parse_result parsed = doc_.load_buffer(
            bytes_.data(), bytes_.size(), pugi::parse_default | pugi::parse_doctype | pugi::parse_declaration,
            pugi::encoding_utf8);
        if (!parsed) throw parse_error(lines_, parsed);
        for (pugi::xml_node node : doc_.children()) {
            if (node.type() == pugi::node_doctype)
                // A DOCTYPE can declare entities (billion laughs, external files): XLIFF needs none.
                throw Error(lines_.at(doctype_start(bytes_, node.offset_debug())),
                            "a DOCTYPE is not allowed in an XLIFF; remove the <!DOCTYPE ...> declaration");
            if (node.type() == pugi::node_declaration) {
                std::string encoding = collapse_whitespace(node.attribute("encoding").value());
                for (char& c : encoding)
                    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                if (!encoding.empty() && encoding != "utf-8")
                    throw Error(reader_.attribute_pos(node, "encoding"),
                                "encoding " + quoted(encoding) + " is not read; save the XLIFF as UTF-8");
            }
        }
        check_well_formed(bytes_, lines_, "an XLIFF");
        pugi::xml_node root = doc_.document_element();
        if (!root) throw Error(lines_.at(0), "the file holds no XML element");
        return root;
    }

    void read_file(pugi::xml_node file, Xliff& x) {
        SourcePos at = reader_.pos(file);
        auto required = [&](const char* name) -> std::optional<std::string> {
            pugi::xml_attribute a = file.attribute(name);
            if (!a) {
                error(at, std::string("<file> has no ") + name + " attribute");
                return std::nullopt;
            }
            return collapse_whitespace(a.value());
        };
        if (auto original = required("original")) x.original = *original;
        std::optional<Lang> langs[2];
        const char* names[2] = {"source-language", "target-language"};
        for (int i = 0; i < 2; ++i) {
            auto tag = required(names[i]);
            if (!tag) continue;
            langs[i] = language_of(*tag);
            if (!langs[i])
                error(reader_.attribute_pos(file, names[i]),
                      std::string(names[i]) + " " + quoted(*tag) +
                          " is not a language of the factsheets; they are en and fr");
        }
        if (langs[0] && langs[1] && *langs[0] == *langs[1])
            error(reader_.attribute_pos(file, "target-language"),
                  "source-language and target-language are both " + std::string(lang_code(*langs[0])) +
                      "; one is en, the other fr");
        if (langs[0]) x.source_lang = *langs[0];
        if (langs[1]) x.target_lang = *langs[1];
        if (pugi::xml_attribute operation = factsheet_attribute(file, "operation")) {
            x.operation = collapse_whitespace(operation.value());
            x.operation_pos = reader_.attribute_pos(file, operation.name());
        } else {
            error(at, "<file> does not say which operation its texts are of (fs:operation in namespace " +
                          std::string(factsheet_namespace) +
                          "); import an XLIFF made by factsheet xliff export");
        }
        if (pugi::xml_attribute hash = factsheet_attribute(file, "source-sha256"))
            x.source_sha256 = collapse_whitespace(hash.value());
        std::vector<pugi::xml_node> bodies = xliff_children(file, "body");
        if (bodies.size() != 1) {
            error(at, "<file> must hold one <body>");
            return;
        }
        read_units(bodies[0], x);
    }

    // The units of a <body> or <group>, groups within groups included, in document order.
    void read_units(pugi::xml_node parent, Xliff& x) {
        for (pugi::xml_node child : parent.children()) {
            if (is_xliff(child, "group"))
                read_units(child, x);
            else if (is_xliff(child, "trans-unit"))
                read_unit(child, x);
        }
    }

    void read_unit(pugi::xml_node node, Xliff& x) {
        Unit unit;
        unit.pos = reader_.pos(node);
        pugi::xml_attribute id = node.attribute("id");
        if (!id || std::string_view(id.value()).empty()) {
            error(unit.pos, "a <trans-unit> has no id; keep the ids the export wrote");
            return;
        }
        unit.id = id.value();
        auto [first, added] = ids_.emplace(unit.id, unit.pos);
        if (!added) {
            error(reader_.attribute_pos(node, "id"),
                  "unit id " + quoted(unit.id) + " is used twice: first at line " +
                      std::to_string(first->second.line) + ", column " + std::to_string(first->second.col) +
                      "; keep one unit per text");
            return;
        }
        std::vector<pugi::xml_node> sources = xliff_children(node, "source");
        if (sources.size() != 1) {
            error(unit.pos, "unit " + quoted(unit.id) + " must hold one <source>, the text it translates");
            return;
        }
        unit.source = collapse_whitespace(all_text(sources[0]));
        std::vector<pugi::xml_node> targets = xliff_children(node, "target");
        if (targets.size() > 1)
            error(reader_.pos(targets[1]), "unit " + quoted(unit.id) + " has two <target>");
        std::string approved = node.attribute("approved").value();
        unit.approved = approved == "yes";
        if (!targets.empty()) {
            pugi::xml_node target = targets[0];
            unit.target_pos = reader_.pos(target);
            unit.state = collapse_whitespace(target.attribute("state").value());
            if (auto text = target_text(target, unit.id)) unit.target = collapse_whitespace(*text);
        }
        x.units.push_back(std::move(unit));
    }

    // A target's text, or nothing (reported) when it holds markup: a factsheet text is plain.
    std::optional<std::string> target_text(pugi::xml_node target, const std::string& id) {
        std::string text;
        bool ok = true;
        for (pugi::xml_node child : target.children()) {
            if (child.type() == pugi::node_element) {
                error(reader_.pos(child), "the target of unit " + quoted(id) + " holds markup (<" +
                                              std::string(child.name()) +
                                              ">); a factsheet text holds only text: remove the markup");
                ok = false;
            } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                std::string_view value = child.value();
                if (auto at = markup_in(value)) {
                    std::size_t end = value.find('>', *at);
                    std::string_view tag = value.substr(
                        *at, end == std::string_view::npos ? std::string_view::npos : end - *at + 1);
                    error(reader_.pos(child), "the target of unit " + quoted(id) +
                                                  " holds text that reads as markup (" + quoted(tag) +
                                                  "); a factsheet text holds only text: remove it");
                    ok = false;
                }
                text += value;
            }
        }
        if (!ok) return std::nullopt;
        return text;
    }

    void error(SourcePos pos, std::string message) {
        problems_.push_back({std::move(pos), std::move(message)});
    }

    void throw_if_any() {
        if (problems_.empty()) return;
        std::stable_sort(problems_.begin(), problems_.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.col < b.pos.col;
        });
        DiagnosticSink sink;
        for (Diagnostic& d : problems_) sink.add(std::move(d.pos), std::move(d.message));
        sink.throw_if_any();
    }

    std::string_view bytes_;
    LineMap lines_;
    detail::XmlReader reader_;
    pugi::xml_document doc_;
    std::vector<Diagnostic> problems_;
    std::map<std::string, SourcePos> ids_;
};

// One change to make to a source text's language element.
struct Planned {
    const Unit* unit = nullptr;
    const SourceText* text = nullptr;
    UnitChange::Kind kind = UnitChange::updated;
    std::string fingerprint;                 // of the unit's <source>
    std::size_t new_start = 0, new_end = 0;  // the element in the new source
};

// A replacement of the source's bytes [start, end) by `text`; an insertion when start == end.
struct Edit {
    std::size_t start = 0, end = 0;
    std::string text;
    std::size_t planned = 0;       // whose edit it is
    bool whole_element = false;    // `text` holds the whole language element...
    std::size_t element_at = 0;    // ...from here
    std::size_t element_size = 0;  // ...for so many bytes
    std::size_t new_start = 0;     // where `text` starts in the new source
};

bool is_indentation(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::string read_xliff_file(const std::string& path) {
    return read_regular_file(
        path, max_xliff_bytes,
        FileErrors{[&](std::size_t size) {
                       return Error(SourcePos{path, 0, 0}, too_large_message(size));
                   },
                   [&](std::string_view kind) {
                       return Error(SourcePos{path, 0, 0},
                                    "cannot read the XLIFF: it is " + std::string(kind) +
                                        ", not a regular file: give the path of an XLIFF file");
                   },
                   [&](int e) {
                       return Error(SourcePos{path, 0, 0},
                                    std::string("cannot read the XLIFF: ") + std::strerror(e));
                   }});
}

Xliff parse_xliff(std::string_view bytes, const std::string& file) {
    if (bytes.size() > max_xliff_bytes) throw Error(SourcePos{file, 0, 0}, too_large_message(bytes.size()));
    return XliffParser(bytes, file).parse();
}

ImportResult import_xliff(const Xliff& x, const SourceTexts& source, const ImportOptions& options) {
    if (x.operation != source.operation_id)
        throw Error(x.operation_pos, "this XLIFF holds the texts of operation " + quoted(x.operation) +
                                         ", not of " + quoted(source.operation_id) + " (" + source.file +
                                         "); import it into the source it was exported from");
    Lang lang = x.target_lang;
    std::string language = english_name(lang);
    std::string code = lang_code(lang);
    std::vector<Diagnostic> problems;

    std::map<std::string, const SourceText*> texts;
    for (const SourceText& text : source.texts)
        if (!texts.emplace(text.id, &text).second)
            problems.push_back({text.pos, source.file + " has two texts " + quoted(text.id) +
                                              "; check it with factsheet validate first"});

    ImportResult result;
    result.bytes = source.bytes;
    result.source_changed = !x.source_sha256.empty() && x.source_sha256 != sha256_hex(source.bytes);
    std::vector<Planned> planned;
    for (const Unit& unit : x.units) {
        auto found = texts.find(unit.id);
        if (found == texts.end()) {
            problems.push_back({unit.pos, "unit id " + quoted(unit.id) + " is not a text of " + source.file +
                                              "; keep the ids the export wrote, or export the source again "
                                              "if it changed shape"});
            continue;
        }
        if (!unit.target || unit.target->empty() || unit.state == "needs-translation") {
            ++result.untranslated;
            continue;
        }
        const SourceText& text = *found->second;
        const LanguageElement& element = text.in(lang);
        Planned p;
        p.unit = &unit;
        p.text = &text;
        p.fingerprint = text_fingerprint(unit.source);
        if (!element.present || element.text.empty()) {
            p.kind = UnitChange::added;
            if (!text.in(other_lang(lang)).present) {
                problems.push_back({unit.pos, quoted(unit.id) + " has neither <en> nor <fr> in " +
                                                  source.file + " to put the translation beside; write the " +
                                                  english_name(other_lang(lang)) + " first"});
                continue;
            }
        } else if (element.text != *unit.target) {
            p.kind = UnitChange::updated;
        } else {
            // The same text: only a translator's word that it is still right renews the fingerprint.
            // The export marks stale texts needs-review-translation without approved="yes": a unit
            // back as translated (or approved) says the translation still stands. Only a final or
            // signed-off one says so of a text that never had a fingerprint, unless --confirm.
            bool reviewed = unit.state == "final" || unit.state == "signed-off";
            bool translated = reviewed || unit.state == "translated" || unit.approved;
            bool confirm = element.fingerprint ? translated && *element.fingerprint != p.fingerprint
                                               : reviewed || (options.confirm && translated);
            if (!confirm) {
                ++result.unchanged;
                continue;
            }
            p.kind = UnitChange::confirmed;
        }
        planned.push_back(std::move(p));
    }
    if (!problems.empty()) throw Error(std::move(problems));
    if (planned.empty()) return result;  // nothing to write, so nothing to check: the source stays as it is

    // The edits, each inside one language element or inserting one.
    std::vector<Edit> edits;
    std::string_view bytes = source.bytes;
    for (std::size_t i = 0; i < planned.size(); ++i) {
        const Planned& p = planned[i];
        const LanguageElement& e = p.text->in(lang);
        std::string element = "<" + code + " from=\"" + p.fingerprint + "\">" +
                              escape_xml_text(*p.unit->target) + "</" + code + ">";
        if (!e.present) {
            // Beside the other language, on a line of its own with the same indentation when it has one.
            const LanguageElement& beside = p.text->in(other_lang(lang));
            std::size_t line_start = bytes.rfind('\n', beside.start == 0 ? 0 : beside.start - 1);
            line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
            std::string_view indent = bytes.substr(line_start, beside.start - line_start);
            bool own_line = line_start > 0 && is_indentation(indent);
            std::string newline = line_start >= 2 && bytes[line_start - 2] == '\r' ? "\r\n" : "\n";
            Edit edit;
            edit.planned = i;
            edit.whole_element = true;
            edit.element_size = element.size();
            if (lang == Lang::fr) {  // after <en>
                edit.start = edit.end = beside.end;
                edit.text = own_line ? newline + std::string(indent) + element : element;
                edit.element_at = own_line ? newline.size() + indent.size() : 0;
            } else {  // before <fr>
                edit.start = edit.end = beside.start;
                edit.text = own_line ? element + newline + std::string(indent) : element;
            }
            edits.push_back(std::move(edit));
        } else if (e.self_closing) {
            edits.push_back({e.start, e.end, element, i, true, 0, element.size(), 0});
        } else {
            if (!e.fingerprint)
                edits.push_back(
                    {e.name_end, e.name_end, " from=\"" + p.fingerprint + "\"", i, false, 0, 0, 0});
            else if (*e.fingerprint != p.fingerprint)
                edits.push_back({e.from_start, e.from_end, p.fingerprint, i, false, 0, 0, 0});
            if (p.kind != UnitChange::confirmed)
                edits.push_back(
                    {e.content_start, e.content_end, escape_xml_text(*p.unit->target), i, false, 0, 0, 0});
        }
    }
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.start < b.start; });
    std::string out;
    std::size_t copied = 0;
    for (Edit& edit : edits) {
        out.append(bytes.substr(copied, edit.start - copied));
        edit.new_start = out.size();
        out += edit.text;
        copied = edit.end;
    }
    out.append(bytes.substr(copied));

    // Where an offset of the old source is in the new one (edits starting before it shift it).
    auto moved = [&](std::size_t offset) {
        std::ptrdiff_t shift = 0;
        for (const Edit& edit : edits)
            if (edit.start < offset)
                shift += static_cast<std::ptrdiff_t>(edit.text.size()) -
                         static_cast<std::ptrdiff_t>(edit.end - edit.start);
        return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(offset) + shift);
    };
    for (std::size_t i = 0; i < planned.size(); ++i) {
        Planned& p = planned[i];
        const LanguageElement& e = p.text->in(lang);
        auto whole = std::find_if(edits.begin(), edits.end(),
                                  [&](const Edit& edit) { return edit.planned == i && edit.whole_element; });
        if (whole != edits.end()) {
            p.new_start = whole->new_start + whole->element_at;
            p.new_end = p.new_start + whole->element_size;
        } else {
            p.new_start = moved(e.start);
            p.new_end = moved(e.end);
        }
    }

    // The new source must be one the reader takes; its problems are told at the units that caused them.
    try {
        if (options.validate)
            options.validate(out, source.file);
        else
            parse_operation(out, source.file);
    } catch (const Error& error) {
        LineMap old_lines(source.file, bytes);
        std::vector<Diagnostic> refused;
        for (const Diagnostic& d : error.diagnostics()) {
            if (d.pos.file != source.file || d.pos.line <= 0) {
                refused.push_back(d);
                continue;
            }
            std::size_t at = offset_at(out, d.pos.line, d.pos.col);
            auto culprit = std::find_if(planned.begin(), planned.end(), [&](const Planned& p) {
                return p.new_start <= at && at < p.new_end;
            });
            if (culprit != planned.end()) {
                refused.push_back(
                    {culprit->unit->target_pos,
                     "the " + language + " text of " + culprit->unit->id + " is refused: " + d.message});
                continue;
            }
            // Elsewhere: a problem the source had before, told where it is in the file as it stands.
            std::ptrdiff_t shift = 0;
            for (const Edit& edit : edits)
                if (edit.new_start + edit.text.size() <= at)
                    shift += static_cast<std::ptrdiff_t>(edit.text.size()) -
                             static_cast<std::ptrdiff_t>(edit.end - edit.start);
            refused.push_back(
                {old_lines.at(static_cast<std::size_t>(static_cast<std::ptrdiff_t>(at) - shift)), d.message});
        }
        throw Error(std::move(refused));
    }

    LineMap new_lines(source.file, out);
    std::string from = english_name(other_lang(lang));
    for (const Planned& p : planned) {
        SourcePos pos = new_lines.at(p.new_start);
        result.changes.push_back({p.kind, p.unit->id, pos});
        if (p.unit->source != p.text->in(other_lang(lang)).text)
            result.warnings.push_back(
                {pos, "the " + from + " of " + p.unit->id +
                          " is not the one in the XLIFF (it changed since the "
                          "export): its " +
                          language + " is recorded as translated from the XLIFF's " + from +
                          ", so factsheet translations reports it stale until it is reviewed"});
    }
    result.bytes = std::move(out);
    return result;
}

}  // namespace factsheet::xliff

// The PDF/A claim of an XMP packet (ISO 19005-1 6.7.11, the pdfaid schema).
#include <pugixml.hpp>

#include <map>

#include "archive/archive.hpp"

namespace factsheet {

namespace {

constexpr std::string_view pdfaid_namespace = "http://www.aiim.org/pdfa/ns/id/";

using Namespaces = std::map<std::string, std::string, std::less<>>;

struct Claim {
    std::string part, conformance;
};

std::string trimmed(std::string_view text) {
    std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1));
}

// The local name of `qualified` when its prefix is bound to the pdfaid namespace, else "".
// Unprefixed attributes are in no namespace (XML Namespaces 1.0, 6.2), so `element` says
// whether the default namespace applies.
std::string_view pdfaid_local(std::string_view qualified, const Namespaces& scope, bool element) {
    std::size_t colon = qualified.find(':');
    if (colon == std::string_view::npos && !element) return {};
    std::string_view prefix = colon == std::string_view::npos ? "" : qualified.substr(0, colon);
    auto it = scope.find(prefix);
    if (it == scope.end() || it->second != pdfaid_namespace) return {};
    return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

void take(Claim& claim, std::string_view local, std::string_view value) {
    if (local == "part") claim.part = trimmed(value);
    if (local == "conformance") claim.conformance = trimmed(value);
}

// XMP writes a property as an attribute of rdf:Description or as an element inside it (XMP
// Specification Part 1, 7.9.2); both are looked for, at any depth.
void scan(const pugi::xml_node& node, Namespaces scope, Claim& claim) {
    for (const pugi::xml_attribute& a : node.attributes()) {
        std::string_view name = a.name();
        if (name == "xmlns") scope[""] = a.value();
        if (name.substr(0, 6) == "xmlns:") scope[std::string(name.substr(6))] = a.value();
    }
    for (const pugi::xml_attribute& a : node.attributes())
        take(claim, pdfaid_local(a.name(), scope, false), a.value());
    for (const pugi::xml_node& child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        std::string_view local = pdfaid_local(child.name(), scope, true);
        if (!local.empty()) take(claim, local, child.child_value());
        scan(child, scope, claim);
    }
}

}  // namespace

std::string pdfa_claim(std::string_view xmp) {
    pugi::xml_document doc;
    if (!doc.load_buffer(xmp.data(), xmp.size(), pugi::parse_default)) return {};
    Claim claim;
    scan(doc, {}, claim);
    bool part = !claim.part.empty() && claim.part.size() <= 2 &&
                claim.part.find_first_not_of("0123456789") == std::string::npos;
    if (!part) return {};
    std::string out = "PDF/A-" + claim.part;
    // A, B, U (parts 1 to 3), E, F (part 4, which may also have none): one letter, written lowercase.
    char c = claim.conformance.size() == 1 ? claim.conformance[0] : '\0';
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) out += static_cast<char>(c | 0x20);
    return out;
}

}  // namespace factsheet

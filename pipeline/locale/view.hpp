// The localized view: plain data in one language, ready for template expansion.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace factsheet {

/// A value the templates can read: a string, a flag, a list or an object.
struct View {
    enum class Kind { string, boolean, list, object };
    Kind kind = Kind::object;
    std::string str;
    bool flag = false;
    std::vector<View> items;
    std::map<std::string, View> fields;

    View() = default;
    View(std::string s) : kind(Kind::string), str(std::move(s)) {}  // NOLINT: implicit by design
    View(const char* s) : kind(Kind::string), str(s) {}             // NOLINT
    static View boolean(bool b) {
        View v;
        v.kind = Kind::boolean;
        v.flag = b;
        return v;
    }
    static View list(std::vector<View> items = {}) {
        View v;
        v.kind = Kind::list;
        v.items = std::move(items);
        return v;
    }

    /// Sets a field of an object view and returns it, for chaining.
    View& set(const std::string& key, View value) {
        fields[key] = std::move(value);
        return *this;
    }
};

}  // namespace factsheet

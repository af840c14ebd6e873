#include "archive/json.hpp"

#include "common/utf8.hpp"

#include <cstdint>

#include "common/error.hpp"

namespace factsheet::archive_json {

std::string quote(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

const Value* Value::find(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

namespace {

class Parser {
public:
    Parser(std::string_view text, const std::string& name) : text_(text), lines_(name, text) {}

    Value document() {
        skip_space();
        Value v = value(0);
        skip_space();
        if (at_ < text_.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& message) const { throw Error(lines_.at(at_), message); }

    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }

    bool take(char c) {
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }

    void expect_word(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) fail("expected a JSON value");
        at_ += word.size();
    }

    Value value(int depth) {
        if (depth > 64) fail("JSON nested too deeply");
        if (at_ >= text_.size()) fail("unexpected end of JSON");
        Value v;
        char c = text_[at_];
        if (c == '{') {
            v.kind = Value::Kind::object;
            ++at_;
            skip_space();
            if (take('}')) return v;
            for (;;) {
                skip_space();
                if (at_ >= text_.size() || text_[at_] != '"') fail("expected a member name in quotes");
                std::string key = string();
                skip_space();
                if (!take(':')) fail("expected ':' after a member name");
                skip_space();
                v.members.emplace_back(std::move(key), value(depth + 1));
                skip_space();
                if (take('}')) return v;
                if (!take(',')) fail("expected ',' or '}' in an object");
            }
        }
        if (c == '[') {
            v.kind = Value::Kind::array;
            ++at_;
            skip_space();
            if (take(']')) return v;
            for (;;) {
                skip_space();
                v.items.push_back(value(depth + 1));
                skip_space();
                if (take(']')) return v;
                if (!take(',')) fail("expected ',' or ']' in an array");
            }
        }
        if (c == '"') {
            v.kind = Value::Kind::string;
            v.text = string();
            return v;
        }
        if (c == 't') { expect_word("true"); v.kind = Value::Kind::boolean; v.flag = true; return v; }
        if (c == 'f') { expect_word("false"); v.kind = Value::Kind::boolean; return v; }
        if (c == 'n') { expect_word("null"); return v; }
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        fail("expected a JSON value");
    }

    bool digit() const { return at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9'; }

    Value number() {
        std::size_t start = at_;
        take('-');
        if (!digit()) fail("malformed number");
        if (!take('0'))
            while (digit()) ++at_;
        if (take('.')) {
            if (!digit()) fail("malformed number");
            while (digit()) ++at_;
        }
        if (take('e') || take('E')) {
            if (!take('+')) take('-');
            if (!digit()) fail("malformed number");
            while (digit()) ++at_;
        }
        Value v;
        v.kind = Value::Kind::number;
        v.text = std::string(text_.substr(start, at_ - start));
        return v;
    }

    unsigned hex4() {
        if (at_ + 4 > text_.size()) fail("malformed \\u escape");
        unsigned code = 0;
        for (int i = 0; i < 4; ++i) {
            char h = text_[at_++];
            code <<= 4;
            if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
            else fail("malformed \\u escape");
        }
        return code;
    }

    std::string string() {
        ++at_;  // the opening quote
        std::string out;
        for (;;) {
            if (at_ >= text_.size()) fail("unterminated string");
            char c = text_[at_];
            if (c == '"') {
                ++at_;
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character inside a string");
            if (c != '\\') {
                out += c;
                ++at_;
                continue;
            }
            ++at_;
            if (at_ >= text_.size()) fail("unterminated string");
            char e = text_[at_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (!take('\\') || !take('u')) fail("unpaired surrogate in \\u escape");
                    std::uint32_t low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF) fail("unpaired surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail("unpaired surrogate in \\u escape");
                }
                utf8::append(out, cp);
                break;
            }
            default: fail("unknown escape in a string");
            }
        }
    }

    std::string_view text_;
    LineMap lines_;
    std::size_t at_ = 0;
};

}  // namespace

Value parse(std::string_view text, const std::string& name) {
    return Parser(text, name).document();
}

}  // namespace factsheet::archive_json

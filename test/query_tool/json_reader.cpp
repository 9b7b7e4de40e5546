// SPDX-License-Identifier: MIT
// Recursive-descent JSON reader and the tagged-value decoder the query tool tests compare with.
#include "json_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

#include "value_json.hpp"

namespace query_tool::test {

namespace {

[[noreturn]] void fail(std::string what) { throw std::runtime_error("JSON: " + what); }

class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    Json document() {
        Json j = value(0);
        skip_space();
        if (pos_ != text_.size()) fail("text after the value at offset " + std::to_string(pos_));
        return j;
    }

private:
    static constexpr int max_depth = 64;

    void skip_space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }
    char peek() {
        if (pos_ >= text_.size()) fail("unexpected end");
        return text_[pos_];
    }
    void expect(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) fail("expected '" + std::string(word) + "'");
        pos_ += word.size();
    }

    Json value(int depth) {
        if (depth > max_depth) fail("nested too deeply");
        skip_space();
        switch (peek()) {
            case 'n': expect("null"); return Json{nullptr};
            case 't': expect("true"); return Json{true};
            case 'f': expect("false"); return Json{false};
            case '"': return Json{string()};
            case '[': return array(depth);
            case '{': return object(depth);
            default: return Json{number()};
        }
    }

    Json array(int depth) {
        ++pos_;
        Json::Array items;
        skip_space();
        if (peek() == ']') {
            ++pos_;
            return Json{std::move(items)};
        }
        for (;;) {
            items.push_back(value(depth + 1));
            skip_space();
            const char c = peek();
            ++pos_;
            if (c == ']') return Json{std::move(items)};
            if (c != ',') fail("expected ',' or ']'");
        }
    }

    Json object(int depth) {
        ++pos_;
        Json::Object members;
        skip_space();
        if (peek() == '}') {
            ++pos_;
            return Json{std::move(members)};
        }
        for (;;) {
            skip_space();
            if (peek() != '"') fail("expected a member name");
            std::string key = string();
            skip_space();
            expect(":");
            members.emplace_back(std::move(key), value(depth + 1));
            skip_space();
            const char c = peek();
            ++pos_;
            if (c == '}') return Json{std::move(members)};
            if (c != ',') fail("expected ',' or '}'");
        }
    }

    Json::Number number() {
        const std::size_t start = pos_;
        auto digits = [&] {
            const std::size_t from = pos_;
            while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
            return pos_ - from;
        };
        if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
        const std::size_t int_start = pos_;
        const std::size_t int_digits = digits();
        if (int_digits == 0) fail("unexpected character at offset " + std::to_string(start));
        if (int_digits > 1 && text_[int_start] == '0') fail("leading zero");
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            if (digits() == 0) fail("no digits after '.'");
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (digits() == 0) fail("no digits in the exponent");
        }
        return Json::Number{std::string(text_.substr(start, pos_ - start))};
    }

    unsigned hex4() {
        if (pos_ + 4 > text_.size()) fail("short \\u escape");
        unsigned v = 0;
        const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, v, 16);
        if (ec != std::errc{} || end != text_.data() + pos_ + 4) fail("bad \\u escape");
        pos_ += 4;
        return v;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | cp >> 6);
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | cp >> 12);
            out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | cp >> 18);
            out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
            out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        ++pos_;   // the opening quote
        std::string out;
        for (;;) {
            const char c = peek();
            ++pos_;
            if (c == '"') break;
            if (static_cast<unsigned char>(c) < 0x20) fail("raw control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            const char e = peek();
            ++pos_;
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
                    unsigned cp = hex4();
                    if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        expect("\\u");
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) fail("lone high surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail(std::string("bad escape \\") + e);
            }
        }
        if (!is_valid_utf8(out)) fail("invalid UTF-8 in a string");
        return out;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

template <class T>
T parse_exact(std::string_view text) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) fail("not a number of the tagged kind: " + std::string(text));
    return v;
}

template <class F>
F parse_float(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<F>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<F>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<F>::infinity();
    return parse_exact<F>(text);
}

uvmysql::Value number_value(const std::string& text) {
    if (text.find_first_of(".eE") != std::string::npos) return uvmysql::Value(parse_exact<double>(text));
    // Plain integers are only written when |v| <= 2^53 - 1; anything else is a tagged string.
    const auto i = parse_exact<std::int64_t>(text);
    if (i > (std::int64_t{1} << 53) - 1 || i < -((std::int64_t{1} << 53) - 1)) fail("plain integer out of the exact range: " + text);
    return uvmysql::Value(i);
}

template <class T>
T parsed_or_fail(std::optional<T> v, std::string_view text) {
    if (!v) fail("bad temporal payload: " + std::string(text));
    return *v;
}

uvmysql::Value tagged_value(const Json::Object& object) {
    if (object.size() != 1) fail("a tagged value has exactly one member");
    const auto& [kind, payload] = object.front();
    if (kind == "list") {
        uvmysql::Value::List list;
        for (const Json& item : payload.array()) list.push_back(value_from_json(item));
        return uvmysql::Value(std::move(list));
    }
    const std::string& text = payload.string();
    if (kind == "int64") return uvmysql::Value(parse_exact<std::int64_t>(text));
    if (kind == "uint64") return uvmysql::Value(parse_exact<std::uint64_t>(text));
    if (kind == "float64") return uvmysql::Value(parse_float<double>(text));
    if (kind == "float32") return uvmysql::Value(parse_float<float>(text));
    if (kind == "text") return uvmysql::Value(base64_decode(text));
    if (kind == "bytes") return uvmysql::Value(uvmysql::Bytes(base64_decode(text)));
    if (kind == "decimal") return uvmysql::Value(uvmysql::Decimal(text));
    if (kind == "date") return uvmysql::Value(parsed_or_fail(uvmysql::Date::parse(text), text));
    if (kind == "datetime") return uvmysql::Value(parsed_or_fail(uvmysql::DateTime::parse(text), text));
    if (kind == "time") return uvmysql::Value(parsed_or_fail(uvmysql::Time::parse(text), text));
    fail("unknown tag '" + kind + "'");
}

}  // namespace

const Json::Array& Json::array() const {
    if (const auto* a = std::get_if<Array>(&value)) return *a;
    fail("not an array");
}
const Json::Object& Json::object() const {
    if (const auto* o = std::get_if<Object>(&value)) return *o;
    fail("not an object");
}
const std::string& Json::string() const {
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    fail("not a string");
}
const Json& Json::at(std::string_view key) const {
    for (const auto& [k, v] : object()) {
        if (k == key) return v;
    }
    fail("no member '" + std::string(key) + "'");
}

Json parse_json(std::string_view text) { return Reader(text).document(); }

uvmysql::Value value_from_json(const Json& json) {
    return std::visit(
        [](const auto& v) -> uvmysql::Value {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return uvmysql::Value();
            if constexpr (std::is_same_v<T, bool>) return uvmysql::Value(v);
            if constexpr (std::is_same_v<T, Json::Number>) return number_value(v.text);
            if constexpr (std::is_same_v<T, std::string>) return uvmysql::Value(v);
            if constexpr (std::is_same_v<T, Json::Array>) fail("a bare array is not a value");
            if constexpr (std::is_same_v<T, Json::Object>) return tagged_value(v);
        },
        json.value);
}

std::vector<uvmysql::Value> row_values_from_json(const Json& json) {
    std::vector<uvmysql::Value> values;
    if (const auto* a = std::get_if<Json::Array>(&json.value)) {
        for (const Json& item : *a) values.push_back(value_from_json(item));
    } else {
        for (const auto& [key, item] : json.object()) values.push_back(value_from_json(item));
    }
    return values;
}

std::string base64_decode(std::string_view text) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (text.size() % 4 != 0) fail("base64 length is not a multiple of 4");
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t n = 0;
        int pad = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            std::size_t d = 0;
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                ++pad;
            } else if (pad != 0 || (d = alphabet.find(c)) == std::string_view::npos) {
                fail("bad base64");
            }
            n = n << 6 | static_cast<std::uint32_t>(d);
        }
        out += static_cast<char>(n >> 16 & 0xFF);
        if (pad < 2) out += static_cast<char>(n >> 8 & 0xFF);
        if (pad < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

}  // namespace query_tool::test

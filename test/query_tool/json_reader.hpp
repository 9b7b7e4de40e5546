// SPDX-License-Identifier: MIT
// A strict JSON reader (RFC 8259) and the reverse of uvmysql-query's Value encoding, for tests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <uvmysql/value.hpp>

namespace query_tool::test {

/// One parsed JSON value. Numbers keep their text so that integers and doubles stay apart.
struct Json {
    struct Number {
        std::string text;
    };
    using Array = std::vector<Json>;
    using Object = std::vector<std::pair<std::string, Json>>;   // in document order, duplicates kept

    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> value;

    [[nodiscard]] const Array& array() const;     ///< throws std::runtime_error for other types
    [[nodiscard]] const Object& object() const;
    [[nodiscard]] const std::string& string() const;
    /// The member `key` of an object; throws when missing.
    [[nodiscard]] const Json& at(std::string_view key) const;
};

/// Parses exactly one JSON value (surrounding whitespace allowed). Throws std::runtime_error
/// for anything RFC 8259 refuses: trailing commas, raw control characters in strings, invalid
/// UTF-8, lone surrogates, leading zeros, NaN...
[[nodiscard]] Json parse_json(std::string_view text);

/// The Value that uvmysql-query encoded as `json` (docs/query-tool.md); throws
/// std::runtime_error for JSON outside that encoding.
[[nodiscard]] uvmysql::Value value_from_json(const Json& json);

/// The values of a row line: a JSON array, or an object (--dict) whose members are taken in order.
[[nodiscard]] std::vector<uvmysql::Value> row_values_from_json(const Json& json);

/// Decodes standard base64 with padding; throws for anything else.
[[nodiscard]] std::string base64_decode(std::string_view text);

}  // namespace query_tool::test

// SPDX-License-Identifier: MIT
// uvmysql-query's JSON encoding of Values and rows: exact for every Kind (docs/query-tool.md).
#pragma once

#include <string>
#include <string_view>

#include <uvmysql/row.hpp>
#include <uvmysql/value.hpp>

namespace query_tool {

/// Appends `v`: null, true/false, a JSON number where it is exact (integers within ±(2^53-1),
/// finite doubles, always written with a '.' or an exponent), a JSON string for valid UTF-8
/// text, and otherwise a one-member object {"<kind name>": payload} (docs/query-tool.md).
void append_value_json(std::string& out, const uvmysql::Value& v);

/// Appends a row as a JSON array of its values, in column order.
void append_row_json(std::string& out, const uvmysql::Row& row);

/// Appends a dict row as a JSON object, keys in column order.
void append_row_json(std::string& out, const uvmysql::DictRow& row);

/// Appends `text` as a JSON string. Bytes that are not valid UTF-8 become U+FFFD (used for
/// object keys and messages; values with invalid UTF-8 are tagged instead, keeping their bytes).
void append_json_string(std::string& out, std::string_view text);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
/// above U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

/// Appends the standard base64 (RFC 4648 section 4, with '=' padding) of `bytes`.
void append_base64(std::string& out, std::string_view bytes);

}  // namespace query_tool

// SPDX-License-Identifier: MIT
// Client-side escaping: SQL string escaping and Value -> SQL literal for the text protocol.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// How the server parses string literals on this connection.
struct EscapeOptions {
    /// The server reported SERVER_STATUS_NO_BACKSLASH_ESCAPES (sql_mode NO_BACKSLASH_ESCAPES):
    /// a backslash is an ordinary character and only ' must be doubled.
    bool no_backslash_escapes = false;
};

/// Escapes `s` for use between single quotes, as MySQL's mysql_real_escape_string does:
/// NUL, \n, \r, \\, ', " and \x1a (Ctrl-Z) become \0 \n \r \\ \' \" \Z; with
/// `no_backslash_escapes` only ' is doubled. Works byte by byte, which is safe only for
/// character sets where no multibyte character contains the bytes 0x5c ('\\'), 0x27 or 0x22:
/// see charset_is_escape_safe().
[[nodiscard]] std::string escape_string(std::string_view s, bool no_backslash_escapes);
/// Appends escape_string(s, no_backslash_escapes) to `out`.
void append_escaped(std::string& out, std::string_view s, bool no_backslash_escapes);

/// True for connection character sets in which byte-wise escaping is injection-safe (the
/// escape_safe column of values/charset_table.cpp): UTF-8 and single-byte sets, not gbk & co.
/// Unknown names are not safe. Case-insensitive.
[[nodiscard]] bool charset_is_escape_safe(std::string_view charset) noexcept;

/// Appends the SQL literal of `v` to `out`:
///   NULL; integers in decimal; bool as 1 / 0; double and float in their shortest round-trip
///   form with "e0" appended when there is no exponent (so the server reads a DOUBLE, not a
///   DECIMAL, as PyMySQL does); text as '...' escaped; Bytes as _binary'...' escaped;
///   Decimal as its canonical digits (re-validated); Date as 'YYYY-MM-DD'; DateTime as
///   'YYYY-MM-DD HH:MM:SS[.ffffff]'; Time as '[-]HH:MM:SS[.ffffff]' (fraction only when
///   non-zero); a list as (a,b,c), nested lists too, an empty list as ().
/// Errors (ClientKind::programming, i.e. ProgrammingError, as PyMySQL raises for inf/nan):
/// NaN or infinity; a DateTime microsecond outside 0..999999; a Decimal that is not a number.
/// On error `out` may hold part of the literal.
[[nodiscard]] Status append_literal(const Value& v, const EscapeOptions& opts, std::string& out);

/// Appends `name` as a quoted identifier: `name` in backticks with every backtick doubled, so
/// that any caller-supplied name (a procedure, a user variable) stays one identifier. Works in
/// every sql_mode (backticks are not affected by ANSI_QUOTES or NO_BACKSLASH_ESCAPES). An empty
/// name, or one with a NUL byte (no identifier may hold one), is a ProgrammingError.
[[nodiscard]] Status append_identifier(std::string_view name, std::string& out);

/// The SQL literal of `v` in `out` (replacing its content); see append_literal().
[[nodiscard]] Status literal(const Value& v, const EscapeOptions& opts, std::string& out);

}  // namespace uvmysql::detail

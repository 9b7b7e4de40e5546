// SPDX-License-Identifier: MIT
// Binary-protocol parameters: the MYSQL_TYPE_* a Value is sent as, and its value bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.hpp"
#include "uvmysql/column.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql::detail {

/// A parameter's type as COM_STMT_EXECUTE and COM_STMT_BULK_EXECUTE send it: int<1> type code
/// and int<1> flags, whose bit 0x80 marks an unsigned integer.
struct ParamType {
    FieldType type = FieldType::null;
    bool is_unsigned = false;

    /// The two bytes as one little-endian int<2>.
    [[nodiscard]] std::uint16_t wire() const noexcept {
        return static_cast<std::uint16_t>(static_cast<std::uint8_t>(type) | (is_unsigned ? 0x8000 : 0));
    }
    friend bool operator==(const ParamType&, const ParamType&) = default;
};

/// The type `value` is sent as (see docs/binary-protocol.md): NULL, TINY for bool, LONGLONG
/// (unsigned for uint64) for integers, DOUBLE for float and double, STRING for text, BLOB for
/// bytes, NEWDECIMAL, DATE, DATETIME, TIME. A list has no binary form: ProgrammingError.
[[nodiscard]] Status binary_param_type(const Value& value, ParamType& out);

/// Appends the binary encoding of a non-NULL `value` as `type` (what binary_param_type gives,
/// or for integers any of TINY..LONGLONG, signed or not, that holds the value). A value that
/// does not fit (a date part beyond its byte, an integer out of range, a TIME of more than
/// 2^32 days) is a ProgrammingError and nothing is appended.
[[nodiscard]] Status append_binary_param(std::vector<std::uint8_t>& out, const Value& value, ParamType type);

/// The ProgrammingError that binary parameter encoding reports (errno 0: API misuse).
[[nodiscard]] Status param_error(std::size_t index, std::string what);

}  // namespace uvmysql::detail

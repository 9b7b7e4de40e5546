// SPDX-License-Identifier: MIT
// Typed rows: which SQL column types fit which C++ field types, and the errors that say why not.
#include "uvmysql/typed_row.hpp"

#include <string>

#include "uvmysql/error.hpp"
#include "values/number_text.hpp"

namespace uvmysql::detail {
namespace {

/// Bits of an integer column's range (YEAR: 1901 to 2155, so 16), 0 for other types.
int integer_bits(FieldType t) noexcept {
    switch (t) {
        case FieldType::tiny: return 8;
        case FieldType::short_: return 16;
        case FieldType::year: return 16;
        case FieldType::int24: return 24;
        case FieldType::long_: return 32;
        case FieldType::longlong: return 64;
        default: return 0;
    }
}

bool is_string_type(FieldType t) noexcept {
    switch (t) {
        case FieldType::varchar:
        case FieldType::var_string:
        case FieldType::string:
        case FieldType::tiny_blob:
        case FieldType::medium_blob:
        case FieldType::long_blob:
        case FieldType::blob:
        case FieldType::enum_:
        case FieldType::set:
        case FieldType::json: return true;
        default: return false;
    }
}

/// The column's type as SQL spells it, e.g. "BIGINT UNSIGNED", "VARBINARY", "DATETIME".
std::string sql_type(const ColumnInfo& c) {
    const bool binary = c.is_binary();
    std::string name;
    switch (c.type) {
        case FieldType::tiny: name = "TINYINT"; break;
        case FieldType::short_: name = "SMALLINT"; break;
        case FieldType::int24: name = "MEDIUMINT"; break;
        case FieldType::long_: name = "INT"; break;
        case FieldType::longlong: name = "BIGINT"; break;
        case FieldType::year: return "YEAR";
        case FieldType::float_: name = "FLOAT"; break;
        case FieldType::double_: name = "DOUBLE"; break;
        case FieldType::decimal:
        case FieldType::newdecimal: name = "DECIMAL"; break;
        case FieldType::null: return "NULL";
        case FieldType::date:
        case FieldType::newdate: return "DATE";
        case FieldType::timestamp:
        case FieldType::timestamp2: return "TIMESTAMP";
        case FieldType::datetime:
        case FieldType::datetime2: return "DATETIME";
        case FieldType::time:
        case FieldType::time2: return "TIME";
        case FieldType::bit: return "BIT(" + std::to_string(c.length) + ")";
        case FieldType::json: return "JSON";
        case FieldType::geometry: return "GEOMETRY";
        case FieldType::enum_: return "ENUM";
        case FieldType::set: return "SET";
        case FieldType::varchar:
        case FieldType::var_string:
            if (c.flags & column_flag::enum_) return "ENUM";
            if (c.flags & column_flag::set) return "SET";
            return binary ? "VARBINARY" : "VARCHAR";
        case FieldType::string:
            if (c.flags & column_flag::enum_) return "ENUM";
            if (c.flags & column_flag::set) return "SET";
            return binary ? "BINARY" : "CHAR";
        case FieldType::tiny_blob:
        case FieldType::medium_blob:
        case FieldType::long_blob:
        case FieldType::blob: return binary ? "BLOB" : "TEXT";
    }
    if (name.empty()) return "type " + std::to_string(static_cast<int>(c.type));
    if (c.is_unsigned()) name += " UNSIGNED";
    return name;
}

std::string column_label(const ColumnInfo& c, std::size_t index) {
    return "column " + std::to_string(index + 1) + " '" + c.name + "' (" + sql_type(c) + ")";
}

/// Why `c` cannot fill a non-NULL `t`, or nullptr when it can.
const char* type_mismatch(const ColumnInfo& c, const CppType& t, const RowMapping& mapping) {
    const FieldType ft = c.type;
    switch (t.kind) {
        case CppKind::value: return nullptr;
        case CppKind::integer: {
            const int bits = integer_bits(ft);
            if (bits == 0) return "is not an integer column";
            const bool col_unsigned = c.is_unsigned() || ft == FieldType::year;
            const bool fits = col_unsigned ? (t.is_signed ? t.bits > bits : t.bits >= bits)
                                           : (t.is_signed && t.bits >= bits);
            if (fits) return nullptr;
            return col_unsigned || t.is_signed ? "has values outside the C++ type's range"
                                               : "may be negative, which an unsigned type cannot hold";
        }
        case CppKind::boolean:
            if (ft == FieldType::tiny || (ft == FieldType::bit && c.length == 1)) return nullptr;
            return "is neither TINYINT (BOOLEAN) nor BIT(1)";
        case CppKind::float32:
            if (ft == FieldType::float_) return nullptr;
            if ((ft == FieldType::decimal || ft == FieldType::newdecimal) && mapping.decimal_to_double) return nullptr;
            return ft == FieldType::double_ ? "is DOUBLE, which float would round: use double"
                                            : "is not a FLOAT column";
        case CppKind::float64:
            if (ft == FieldType::float_ || ft == FieldType::double_) return nullptr;
            if (ft == FieldType::decimal || ft == FieldType::newdecimal) {
                if (mapping.decimal_to_double) return nullptr;
                return "is DECIMAL, whose digits double may lose: use uvmysql::Decimal, or ask for "
                       "RowMapping::decimal_to_double";
            }
            return "is not a FLOAT, DOUBLE or DECIMAL column";
        case CppKind::string:
            if (is_string_type(ft)) return nullptr;
            return "is not a string column (CHAR, VARCHAR, TEXT, BLOB, ENUM, SET, JSON)";
        case CppKind::bytes:
            if (is_string_type(ft) || ft == FieldType::bit || ft == FieldType::geometry) return nullptr;
            return "is not a string, BIT or GEOMETRY column";
        case CppKind::decimal:
            if (ft == FieldType::decimal || ft == FieldType::newdecimal) return nullptr;
            return "is not a DECIMAL column";
        case CppKind::date:
            if (ft == FieldType::date || ft == FieldType::newdate) return nullptr;
            return "is not a DATE column";
        case CppKind::datetime:
            if (ft == FieldType::datetime || ft == FieldType::datetime2 || ft == FieldType::timestamp ||
                ft == FieldType::timestamp2)
                return nullptr;
            return "is not a DATETIME or TIMESTAMP column";
        case CppKind::time:
            if (ft == FieldType::time || ft == FieldType::time2) return nullptr;
            return "is not a TIME column";
    }
    return "is not supported";
}

[[noreturn]] void throw_programming(std::string message) {
    // SQLSTATE 07006: "restricted data type attribute violation", a value bound to a type it cannot take.
    throw ProgrammingError(0, "07006", std::move(message));
}

}  // namespace

std::exception_ptr check_column(const ColumnInfo& column, std::size_t index, const CppType& type,
                                const RowMapping& mapping) {
    if (type.kind == CppKind::value) return nullptr;
    std::string why;
    if (column.type == FieldType::null) {
        if (type.optional) return nullptr;
        why = "is always NULL";
    } else if (const char* mismatch = type_mismatch(column, type, mapping)) {
        why = mismatch;
    } else if (!type.optional && column.is_nullable()) {
        why = "may be NULL: use std::optional<" + std::string(type.name) + ">";
    } else {
        return nullptr;
    }
    std::string cpp(type.name);
    if (type.optional) cpp = "std::optional<" + cpp + ">";
    return std::make_exception_ptr(ProgrammingError(
        0, "07006", "typed row: " + column_label(column, index) + " does not fit " + cpp + ": it " + why));
}

void throw_column_count(std::size_t columns, std::size_t fields, bool by_name) {
    throw_programming("typed row: the result has " + std::to_string(columns) + " column" +
                      (columns == 1 ? "" : "s") + ", the row type " + std::to_string(fields) + " field" +
                      (fields == 1 ? "" : "s") + (by_name ? "" : " (matched by position)"));
}

void throw_tuple_by_name() {
    throw_programming("typed row: a std::tuple has no field names: match it by position, or use a described struct");
}

void throw_no_column(std::string_view name) {
    throw_programming("typed row: no column named '" + std::string(name) + "' in the result (matched by name)");
}

void throw_field(const ColumnInfo& column, std::size_t index, std::string_view cpp_name, const char* sqlstate,
                 std::string_view what) {
    std::string shown(what.substr(0, 64));
    if (what.size() > 64) shown += "...";
    throw DataError(0, sqlstate,
                    "typed row: " + column_label(column, index) + " value " +
                        (std::string_view(sqlstate) == "22002" ? std::string("NULL") : "'" + shown + "'") +
                        " does not convert to " + std::string(cpp_name));
}

bool parse_integer_text(std::string_view text, std::int64_t& out) noexcept { return parse_integer(text, out); }

bool parse_integer_text(std::string_view text, std::uint64_t& out) noexcept { return parse_integer(text, out); }

void throw_integer_field(const ColumnInfo& column, std::size_t index, std::string_view cpp_name,
                         std::string_view text) {
    const std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
    const bool number = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    throw_field(column, index, cpp_name, number ? "22003" : "22018", text);
}

const Columns& no_columns() noexcept {
    static const Columns none;
    return none;
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// RowProxy: one row of an engine result, by position, by column name or by sql::Column.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "uvmysql/export.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/sql.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// One row of a ResultProxy (aiomysql.sa.RowProxy): a read-only mapping from column names to
/// Values that is also a sequence. `row[0]`, `row["val"]` and `row[tbl.c("val")]` all work;
/// a name or Column the result does not have fails with NoSuchColumnError naming it, a position
/// past the end with InterfaceError. Cheap to copy (the values and two shared pointers).
class UVMYSQL_API RowProxy {
public:
    /// Iterates over the values, in column order.
    using const_iterator = std::vector<Value>::const_iterator;

    RowProxy() = default;
    /// `keys` are the result's column names, shared by its rows.
    RowProxy(Row row, std::shared_ptr<const std::vector<std::string>> keys) noexcept
        : row_(std::move(row)), keys_(std::move(keys)) {}

    /// The number of columns.
    [[nodiscard]] std::size_t size() const noexcept { return row_.size(); }
    /// True for a row without columns (a default-constructed RowProxy).
    [[nodiscard]] bool empty() const noexcept { return row_.empty(); }

    /// The value at position `i`. Throws InterfaceError when i >= size().
    [[nodiscard]] const Value& operator[](std::size_t i) const { return row_.at(i); }
    /// The value of the first column named `name` (case-sensitive). Throws NoSuchColumnError.
    [[nodiscard]] const Value& operator[](std::string_view name) const;
    /// The value of `column`: the result column of the same table and name, or else the only
    /// result column of that name. Throws NoSuchColumnError when there is none (or several).
    [[nodiscard]] const Value& operator[](const sql::Column& column) const;
    /// Same as `operator[](i)`: InterfaceError when i >= size().
    [[nodiscard]] const Value& at(std::size_t i) const { return row_.at(i); }
    /// Same as `operator[](name)`: NoSuchColumnError when there is no such column.
    [[nodiscard]] const Value& at(std::string_view name) const { return (*this)[name]; }
    /// Same as `operator[](column)`: NoSuchColumnError when it does not match one column.
    [[nodiscard]] const Value& at(const sql::Column& column) const { return (*this)[column]; }
    /// The value of the first column named `name`, or nullptr.
    [[nodiscard]] const Value* find(std::string_view name) const noexcept { return row_.find(name); }
    /// True when the row has a column named `name` (Python's `name in row`).
    [[nodiscard]] bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    /// The column names, in order.
    [[nodiscard]] const std::vector<std::string>& keys() const noexcept;
    /// The values, in column order.
    [[nodiscard]] const std::vector<Value>& values() const noexcept { return row_.values(); }
    /// A copy of the values (aiomysql's as_tuple()).
    [[nodiscard]] std::vector<Value> as_tuple() const { return row_.values(); }
    /// The first value: a range-for visits the values (not the keys, unlike a Python mapping).
    [[nodiscard]] const_iterator begin() const noexcept { return row_.begin(); }
    /// Past the last value.
    [[nodiscard]] const_iterator end() const noexcept { return row_.end(); }
    /// The underlying Row (with the server's column metadata).
    [[nodiscard]] const Row& row() const& noexcept { return row_; }
    /// On a temporary RowProxy, moves the Row out: `std::move(proxy).row()`.
    [[nodiscard]] Row&& row() && noexcept { return std::move(row_); }

    /// Rows with equal values are equal (names are not compared, as in aiomysql).
    friend bool operator==(const RowProxy& a, const RowProxy& b) noexcept { return a.values() == b.values(); }
    /// Equal to a tuple of Values with equal values in the same order.
    friend bool operator==(const RowProxy& a, const std::vector<Value>& b) noexcept {
        return a.values() == b;
    }

private:
    Row row_;
    std::shared_ptr<const std::vector<std::string>> keys_;
};

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Row and DictRow: the rows cursors return, sharing their result set's column metadata.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uvmysql/column.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// The column metadata of one result set, shared by all of its rows.
using Columns = std::vector<ColumnInfo>;

/// One row, as Cursor and SSCursor return it: the values in column order plus the shared
/// column metadata. Cheap: one vector of Values and one shared_ptr.
class UVMYSQL_API Row {
public:
    /// Iterates the values in column order.
    using const_iterator = std::vector<Value>::const_iterator;
    /// Iterates the values in column order, writable.
    using iterator = std::vector<Value>::iterator;

    Row() = default;
    /// `columns` may be null (a row built by hand); then names are unknown.
    Row(std::vector<Value> values, std::shared_ptr<const Columns> columns) noexcept
        : values_(std::move(values)), columns_(std::move(columns)) {}

    /// Number of values (columns).
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    /// True for a row without values.
    [[nodiscard]] bool empty() const noexcept { return values_.empty(); }

    /// The i-th value, unchecked (i < size()).
    [[nodiscard]] const Value& operator[](std::size_t i) const noexcept { return values_[i]; }
    /// The i-th value, writable, unchecked (i < size()).
    [[nodiscard]] Value& operator[](std::size_t i) noexcept { return values_[i]; }
    /// The i-th value. Throws InterfaceError when i >= size().
    [[nodiscard]] const Value& at(std::size_t i) const;
    /// The value of the first column named `name` (exact, case-sensitive match of the column
    /// alias). Throws InterfaceError when there is no such column.
    [[nodiscard]] const Value& at(std::string_view name) const;
    /// The value of the first column named `name`, or nullptr.
    [[nodiscard]] const Value* find(std::string_view name) const noexcept;
    /// The index of the first column named `name`.
    [[nodiscard]] std::optional<std::size_t> index_of(std::string_view name) const noexcept;

    /// First value; with end(), `for (const Value& v : row)`.
    [[nodiscard]] const_iterator begin() const noexcept { return values_.begin(); }
    /// Past the last value.
    [[nodiscard]] const_iterator end() const noexcept { return values_.end(); }
    /// First value, writable.
    [[nodiscard]] iterator begin() noexcept { return values_.begin(); }
    /// Past the last value.
    [[nodiscard]] iterator end() noexcept { return values_.end(); }

    /// The values, in column order; `std::move(row).values()` takes them.
    [[nodiscard]] const std::vector<Value>& values() const& noexcept { return values_; }
    /// On a temporary row, moves the values out: `std::move(row).values()`.
    [[nodiscard]] std::vector<Value>&& values() && noexcept { return std::move(values_); }
    /// The result set's columns (an empty list when the row was built without metadata).
    [[nodiscard]] const Columns& columns() const noexcept;
    /// The shared metadata pointer itself (may be null).
    [[nodiscard]] const std::shared_ptr<const Columns>& columns_ptr() const noexcept { return columns_; }

    /// Equal values (the metadata is not compared).
    friend bool operator==(const Row& a, const Row& b) noexcept { return a.values_ == b.values_; }

private:
    std::vector<Value> values_;
    std::shared_ptr<const Columns> columns_;
};

/// The keys of a DictRow, computed once per result set and shared by its rows.
/// A column's key is its name; a name seen before gets "table.name" instead (the column's table
/// alias, possibly empty: ".name"), exactly as PyMySQL's DictCursor does. If even that key was
/// seen before, the later column's value replaces the earlier one under the first position, as
/// building a Python dict would.
class UVMYSQL_API DictKeys {
public:
    /// Computes the keys of `columns`.
    [[nodiscard]] static std::shared_ptr<const DictKeys> from_columns(const Columns& columns);
    /// The keys of a shared Columns, remembered per thread for the last Columns object seen, so
    /// that building every row of a result set with DictRow(Row) computes them once.
    [[nodiscard]] static std::shared_ptr<const DictKeys> of(const std::shared_ptr<const Columns>& columns);

    /// Number of distinct keys.
    [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
    /// The keys, in column order.
    [[nodiscard]] const std::vector<std::string>& keys() const noexcept { return keys_; }
    /// The value index (column index) that key `k` reads.
    [[nodiscard]] std::size_t column_of(std::size_t k) const noexcept { return columns_[k]; }
    /// The position of `key` in keys(), or std::nullopt.
    [[nodiscard]] std::optional<std::size_t> find(std::string_view key) const noexcept;

private:
    std::vector<std::string> keys_;
    std::vector<std::size_t> columns_;   // key k -> value index
    std::vector<std::size_t> sorted_;    // key positions sorted by key, for wide result sets
};

/// One row as DictCursor returns it: an ordered name -> Value map over a Row's storage.
/// Iteration yields {key, value} pairs in column order: `for (auto [k, v] : drow)`.
/// Cheap: the Row plus one more shared_ptr (to the result set's DictKeys).
class UVMYSQL_API DictRow {
public:
    /// One entry: references into the row and its keys.
    struct Item {
        /// The entry's key (column name, or "table.name" for a repeated name).
        const std::string& key;
        /// The entry's value.
        const Value& value;
    };

    /// Forward iterator over a DictRow's entries, yielding Item by value in column order.
    class const_iterator {
    public:
        /// A forward iterator (multi-pass, read-only).
        using iterator_category = std::forward_iterator_tag;
        /// The entries are yielded as Item values.
        using value_type = Item;
        /// Distance between two positions.
        using difference_type = std::ptrdiff_t;
        /// No `->`: dereference to an Item instead.
        using pointer = void;
        /// What `*it` returns (a value holding references into the row).
        using reference = Item;

        const_iterator() = default;
        /// Position `k` (0 to size()) of `row`.
        const_iterator(const DictRow* row, std::size_t k) noexcept : row_(row), k_(k) {}
        /// The entry at this position.
        Item operator*() const noexcept { return row_->item(k_); }
        /// Moves to the next entry.
        const_iterator& operator++() noexcept {
            ++k_;
            return *this;
        }
        /// Moves to the next entry; returns the previous position.
        const_iterator operator++(int) noexcept {
            auto old = *this;
            ++k_;
            return old;
        }
        /// Same row and same position.
        friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
            return a.k_ == b.k_ && a.row_ == b.row_;
        }

    private:
        const DictRow* row_ = nullptr;
        std::size_t k_ = 0;
    };

    DictRow() = default;
    /// A view of `row` under `keys` (which must come from the row's columns).
    DictRow(Row row, std::shared_ptr<const DictKeys> keys) noexcept
        : row_(std::move(row)), keys_(std::move(keys)) {}
    /// Takes the keys from the row's own columns (DictKeys::of: computed once per result set).
    explicit DictRow(Row row);

    /// Number of keys (fewer than the columns only if two columns had the same key twice).
    [[nodiscard]] std::size_t size() const noexcept { return keys_ ? keys_->size() : 0; }
    /// True for a row without keys (an empty DictRow).
    [[nodiscard]] bool empty() const noexcept { return size() == 0; }
    /// True when `key` is one of keys().
    [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
    /// The value under `key`, or nullptr.
    [[nodiscard]] const Value* find(std::string_view key) const noexcept;
    /// The value under `key`. Throws InterfaceError when there is no such key.
    [[nodiscard]] const Value& at(std::string_view key) const;
    /// Same as at(key): throws InterfaceError when there is no such key.
    [[nodiscard]] const Value& operator[](std::string_view key) const { return at(key); }
    /// The keys, in column order.
    [[nodiscard]] const std::vector<std::string>& keys() const noexcept;
    /// The k-th entry in column order (k < size()).
    [[nodiscard]] Item item(std::size_t k) const noexcept {
        return Item{keys_->keys()[k], row_[keys_->column_of(k)]};
    }

    /// First entry, for `for (auto [k, v] : drow)`.
    [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    [[nodiscard]] const_iterator end() const noexcept { return {this, size()}; }

    /// The underlying positional row; `std::move(drow).row()` takes it.
    [[nodiscard]] const Row& row() const& noexcept { return row_; }
    /// On a temporary DictRow, moves the positional row out: `std::move(drow).row()`.
    [[nodiscard]] Row&& row() && noexcept { return std::move(row_); }
    /// The result set's columns (an empty list when the row has no metadata).
    [[nodiscard]] const Columns& columns() const noexcept { return row_.columns(); }

    /// Same keys with equal values, in the same order.
    friend UVMYSQL_API bool operator==(const DictRow& a, const DictRow& b) noexcept;

private:
    Row row_;
    std::shared_ptr<const DictKeys> keys_;
};

}  // namespace uvmysql

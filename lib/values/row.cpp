// SPDX-License-Identifier: MIT
// Row and DictRow: lookups by position and name, and PyMySQL's DictCursor key rule.
#include "uvmysql/row.hpp"

#include <algorithm>
#include <unordered_map>

#include "uvmysql/error.hpp"

namespace uvmysql {

namespace {
// Beyond this many keys DictKeys::find() binary-searches instead of scanning.
constexpr std::size_t linear_lookup_max = 16;

const Columns& no_columns() noexcept {
    static const Columns empty;
    return empty;
}
}  // namespace

// ---- Row ----

const Value& Row::at(std::size_t i) const {
    if (i >= values_.size()) {
        throw InterfaceError(0, "HY000", "row index " + std::to_string(i) + " out of range (the row has " +
                                             std::to_string(values_.size()) + " columns)");
    }
    return values_[i];
}

std::optional<std::size_t> Row::index_of(std::string_view name) const noexcept {
    if (!columns_) return std::nullopt;
    const auto& cols = *columns_;
    const std::size_t n = std::min(cols.size(), values_.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (cols[i].name == name) return i;
    }
    return std::nullopt;
}

const Value* Row::find(std::string_view name) const noexcept {
    const auto i = index_of(name);
    return i ? &values_[*i] : nullptr;
}

const Value& Row::at(std::string_view name) const {
    if (const Value* v = find(name)) return *v;
    throw InterfaceError(0, "HY000", "no column named '" + std::string(name) + "'");
}

const Columns& Row::columns() const noexcept { return columns_ ? *columns_ : no_columns(); }

// ---- DictKeys ----

std::shared_ptr<const DictKeys> DictKeys::from_columns(const Columns& columns) {
    auto keys = std::make_shared<DictKeys>();
    auto& names = keys->keys_;
    names.reserve(columns.size());   // no reallocation: `seen` holds views of these strings
    keys->columns_.reserve(columns.size());
    const bool wide = columns.size() > linear_lookup_max;
    std::unordered_map<std::string_view, std::size_t> seen;
    if (wide) seen.reserve(columns.size() * 2);
    const auto find = [&](std::string_view key) -> std::optional<std::size_t> {
        if (!wide) return keys->find(key);
        const auto it = seen.find(key);
        return it == seen.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    };
    // PyMySQL: `if name in fields: name = table_name + "." + name`, then dict(zip(fields, row)).
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const ColumnInfo& c = columns[i];
        std::string key = c.name;
        if (find(key)) key = c.table + "." + c.name;
        if (const auto k = find(key)) {
            keys->columns_[*k] = i;   // a dict keeps the first position and the last value
            continue;
        }
        names.push_back(std::move(key));
        keys->columns_.push_back(i);
        if (wide) seen.emplace(names.back(), names.size() - 1);
    }
    if (wide) {
        keys->sorted_.resize(names.size());
        for (std::size_t k = 0; k < names.size(); ++k) keys->sorted_[k] = k;
        std::sort(keys->sorted_.begin(), keys->sorted_.end(),
                  [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    }
    return keys;
}

std::shared_ptr<const DictKeys> DictKeys::of(const std::shared_ptr<const Columns>& columns) {
    if (!columns) return from_columns(no_columns());
    // Rows of one result set share one Columns object: remember the keys of the last one seen.
    // The weak_ptr proves the cached entry is that very (immutable) object, not a new one
    // allocated at a recycled address.
    struct Cache {
        std::weak_ptr<const Columns> columns;
        std::shared_ptr<const DictKeys> keys;
    };
    thread_local Cache cache;
    const bool same = !cache.columns.expired() && !cache.columns.owner_before(columns) &&
                      !columns.owner_before(cache.columns);
    if (!same) {
        cache.keys = from_columns(*columns);
        cache.columns = columns;
    }
    return cache.keys;
}

std::optional<std::size_t> DictKeys::find(std::string_view key) const noexcept {
    if (!sorted_.empty()) {
        const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                                         [&](std::size_t k, std::string_view v) { return keys_[k] < v; });
        if (it != sorted_.end() && keys_[*it] == key) return *it;
        return std::nullopt;
    }
    for (std::size_t k = 0; k < keys_.size(); ++k) {
        if (keys_[k] == key) return k;
    }
    return std::nullopt;
}

// ---- DictRow ----

DictRow::DictRow(Row row) : row_(std::move(row)), keys_(DictKeys::of(row_.columns_ptr())) {}

const Value* DictRow::find(std::string_view key) const noexcept {
    if (!keys_) return nullptr;
    const auto k = keys_->find(key);
    if (!k) return nullptr;
    const std::size_t i = keys_->column_of(*k);
    return i < row_.size() ? &row_[i] : nullptr;
}

const Value& DictRow::at(std::string_view key) const {
    if (const Value* v = find(key)) return *v;
    throw InterfaceError(0, "HY000", "no column named '" + std::string(key) + "'");
}

const std::vector<std::string>& DictRow::keys() const noexcept {
    static const std::vector<std::string> none;
    return keys_ ? keys_->keys() : none;
}

bool operator==(const DictRow& a, const DictRow& b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const auto x = a.item(k);
        const auto y = b.item(k);
        if (x.key != y.key || !(x.value == y.value)) return false;
    }
    return true;
}

}  // namespace uvmysql

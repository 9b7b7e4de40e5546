// SPDX-License-Identifier: MIT
// RowProxy lookups: by name and by sql::Column, with NoSuchColumnError naming what is missing.
#include "uvmysql/row_proxy.hpp"

namespace uvmysql {

namespace {
const std::vector<std::string>& no_keys() {
    static const std::vector<std::string> empty;
    return empty;
}
}  // namespace

const std::vector<std::string>& RowProxy::keys() const noexcept { return keys_ ? *keys_ : no_keys(); }

const Value& RowProxy::operator[](std::string_view name) const {
    if (const Value* v = row_.find(name)) return *v;
    throw NoSuchColumnError(name, " in this row");
}

const Value& RowProxy::operator[](const sql::Column& column) const {
    const Columns& cols = row_.columns();
    const std::string& name = column.name();
    // The server reports each column's table (alias) and name: an exact match first, else the
    // only column of that name (an expression's alias, a text query's column).
    std::optional<std::size_t> only;
    std::size_t by_name = 0;
    for (std::size_t i = 0; i < cols.size() && i < row_.size(); ++i) {
        if (cols[i].name != name) continue;
        if (cols[i].table == column.table_name()) return row_[i];
        ++by_name;
        only = i;
    }
    if (by_name == 1) return row_[*only];
    const std::string qualified =
        column.table_name().empty() ? std::string() : "`" + column.table_name() + "`.";
    throw NoSuchColumnError(name, by_name == 0 ? " in this row (looked up as " + qualified + "`" + name + "`)"
                                               : " in this row: several columns have that name");
}

}  // namespace uvmysql

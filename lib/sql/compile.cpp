// SPDX-License-Identifier: MIT
// compile() for expressions and the DML statements (SELECT, INSERT, UPDATE, DELETE).
#include <algorithm>

#include "sql/sql_writer.hpp"

namespace uvmysql::sql {

namespace {

using detail::Place;
using detail::SqlWriter;

const detail::TableData& table_of(const Table& t, const char* statement) {
    const detail::TableData* d = detail::table_data(t);
    if (d == nullptr) detail::throw_programming(std::string(statement) + " of an empty Table");
    return *d;
}

void where_clause(SqlWriter& w, const std::vector<Expr>& where) {
    if (where.empty()) return;
    w.keyword(" WHERE ");
    w.conditions(where);
}

void item_list(SqlWriter& w, const std::vector<Expr>& items, Place place) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) w.keyword(", ");
        w.expr(items[i].node(), place);
    }
}

/// The FROM list: explicit items first, then every table the statement refers to that none of
/// them covers (SQLAlchemy's rule), so `select(tbl.c("id"))` needs no select_from().
void from_clause(SqlWriter& w, const detail::SelectData& d) {
    std::vector<std::string> covered;
    for (const From& f : d.froms) {
        if (!f.node()) detail::throw_programming("select_from() of an empty From");
        detail::collect_tables(*f.node(), covered);
    }
    std::vector<std::string> implied = covered;
    for (const Expr& e : d.columns) detail::collect_tables(e.node(), implied);
    for (const Expr& e : d.where) detail::collect_tables(e.node(), implied);
    implied.erase(implied.begin(), implied.begin() + static_cast<std::ptrdiff_t>(covered.size()));
    if (d.froms.empty() && implied.empty()) return;
    w.keyword(" FROM ");
    bool first = true;
    for (const From& f : d.froms) {
        if (!first) w.keyword(", ");
        w.from(*f.node());
        first = false;
    }
    for (const std::string& name : implied) {
        if (!first) w.keyword(", ");
        w.identifier(name);
        first = false;
    }
}

/// The position of `name` among the table's columns; NoSuchColumnError when it has none.
void check_column(const detail::TableData& t, const std::string& name) {
    for (const Column& c : t.columns)
        if (c.name() == name) return;
    throw NoSuchColumnError(name, " in table `" + t.name + "`");
}

}  // namespace

Compiled compile(const Expr& expr) {
    SqlWriter w;
    w.expr(expr.node(), Place::select_item);
    return w.take();
}

Compiled compile(const Select& stmt) {
    const detail::SelectData& d = stmt.data();
    if (d.columns.empty()) detail::throw_programming("SELECT without columns");
    SqlWriter w;
    w.keyword(d.distinct ? "SELECT DISTINCT " : "SELECT ");
    item_list(w, d.columns, Place::select_item);
    from_clause(w, d);
    where_clause(w, d.where);
    if (!d.group_by.empty()) {
        w.keyword(" GROUP BY ");
        item_list(w, d.group_by, Place::order_item);
    }
    if (!d.having.empty()) {
        w.keyword(" HAVING ");
        w.conditions(d.having);
    }
    if (!d.order_by.empty()) {
        w.keyword(" ORDER BY ");
        item_list(w, d.order_by, Place::order_item);
    }
    if (d.limit || d.offset) {
        // MySQL has no OFFSET without LIMIT: its manual's idiom is the largest LIMIT there is.
        w.keyword(" LIMIT ");
        w.bind(d.limit ? Value(*d.limit) : Value(UINT64_MAX));
        if (d.offset) {
            w.keyword(" OFFSET ");
            w.bind(Value(*d.offset));
        }
    }
    return w.take();
}

Compiled compile(const Insert& stmt) {
    const detail::InsertData& d = stmt.data();
    const detail::TableData& t = table_of(d.table, "INSERT");
    SqlWriter w;
    w.keyword("INSERT INTO ");
    w.identifier(t.name);
    if (d.rows.empty()) {
        w.keyword(" () VALUES ()");
        return w.take();
    }
    // The first row names the columns; the others must name the same ones, in any order.
    const detail::Assignments& first = d.rows.front();
    std::vector<std::string> names;
    for (const auto& [name, value] : first) {
        check_column(t, name);
        if (std::find(names.begin(), names.end(), name) != names.end())
            detail::throw_programming("INSERT names column `" + name + "` twice");
        names.push_back(name);
    }
    w.keyword(" (");
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) w.keyword(", ");
        w.identifier(names[i]);
    }
    w.keyword(") VALUES ");
    for (std::size_t r = 0; r < d.rows.size(); ++r) {
        const detail::Assignments& row = d.rows[r];
        if (row.size() != names.size())
            detail::throw_programming("INSERT row " + std::to_string(r) +
                                      " does not name the same columns as row 0");
        if (r > 0) w.keyword(", ");
        w.keyword("(");
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto it =
                std::find_if(row.begin(), row.end(), [&](const auto& a) { return a.first == names[i]; });
            if (it == row.end())
                detail::throw_programming("INSERT row " + std::to_string(r) + " has no value for column `" +
                                          names[i] + "`");
            if (i > 0) w.keyword(", ");
            w.expr(it->second.node());
        }
        w.keyword(")");
    }
    return w.take();
}

Compiled compile(const Update& stmt) {
    const detail::UpdateData& d = stmt.data();
    const detail::TableData& t = table_of(d.table, "UPDATE");
    if (d.set.empty()) detail::throw_programming("UPDATE without values()");
    SqlWriter w;
    w.keyword("UPDATE ");
    w.identifier(t.name);
    w.keyword(" SET ");
    for (std::size_t i = 0; i < d.set.size(); ++i) {
        check_column(t, d.set[i].first);
        if (i > 0) w.keyword(", ");
        w.identifier(d.set[i].first);
        w.keyword(" = ");
        w.expr(d.set[i].second.node());
    }
    where_clause(w, d.where);
    return w.take();
}

Compiled compile(const Delete& stmt) {
    const detail::DeleteData& d = stmt.data();
    const detail::TableData& t = table_of(d.table, "DELETE");
    SqlWriter w;
    w.keyword("DELETE FROM ");
    w.identifier(t.name);
    where_clause(w, d.where);
    return w.take();
}

}  // namespace uvmysql::sql

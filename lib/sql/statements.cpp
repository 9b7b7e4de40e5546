// SPDX-License-Identifier: MIT
// Select, Insert, Update and Delete builders: each method copies the statement and changes the copy.
#include "sql/sql_node.hpp"

namespace uvmysql::sql {

namespace {

template <class Data, class Fn>
std::shared_ptr<const Data> changed(const std::shared_ptr<const Data>& d, Fn fn) {
    auto copy = std::make_shared<Data>(*d);
    fn(*copy);
    return copy;
}

detail::Assignments to_assignments(const NamedParams& row) {
    detail::Assignments out;
    out.reserve(row.size());
    for (const auto& [name, value] : row) out.emplace_back(name, Expr::bind(value));
    return out;
}

}  // namespace

namespace detail {
void append_select_item(std::vector<Expr>& out, const Table& table) {
    for (const Column& c : table.columns()) out.push_back(c);
}
void append_select_item(std::vector<Expr>& out, const Expr& expr) { out.push_back(expr); }
}  // namespace detail

Select select(std::vector<Expr> columns) { return Select(std::move(columns)); }

Select::Select(std::vector<Expr> columns) {
    auto d = std::make_shared<detail::SelectData>();
    d->columns = std::move(columns);
    d_ = std::move(d);
}

Select Select::where(const Expr& condition) const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.where.push_back(condition); });
    return s;
}
Select Select::select_from(const From& from) const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.froms.push_back(from); });
    return s;
}
Select Select::group_by(std::vector<Expr> exprs) const {
    Select s = *this;
    s.d_ = changed(
        d_, [&](detail::SelectData& d) { d.group_by.insert(d.group_by.end(), exprs.begin(), exprs.end()); });
    return s;
}
Select Select::having(const Expr& condition) const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.having.push_back(condition); });
    return s;
}
Select Select::order_by(std::vector<Expr> exprs) const {
    Select s = *this;
    s.d_ = changed(
        d_, [&](detail::SelectData& d) { d.order_by.insert(d.order_by.end(), exprs.begin(), exprs.end()); });
    return s;
}
Select Select::limit(std::uint64_t n) const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.limit = n; });
    return s;
}
Select Select::offset(std::uint64_t n) const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.offset = n; });
    return s;
}
Select Select::distinct() const {
    Select s = *this;
    s.d_ = changed(d_, [&](detail::SelectData& d) { d.distinct = true; });
    return s;
}

Insert::Insert(const Table& table)
    : d_(std::make_shared<detail::InsertData>(detail::InsertData{table, {}})) {}
Insert Insert::values(const NamedParams& row) const {
    return values_many(std::vector<detail::Assignments>{to_assignments(row)});
}
Insert Insert::values_many(const std::vector<NamedParams>& rows) const {
    std::vector<detail::Assignments> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(to_assignments(r));
    return values_many(std::move(out));
}
Insert Insert::values_many(std::vector<detail::Assignments> rows) const {
    Insert s = *this;
    s.d_ = changed(d_, [&](detail::InsertData& d) { d.rows = std::move(rows); });
    return s;
}

Update::Update(const Table& table)
    : d_(std::make_shared<detail::UpdateData>(detail::UpdateData{table, {}, {}})) {}
Update Update::values(const NamedParams& assignments) const { return set_all(to_assignments(assignments)); }
Update Update::set_all(detail::Assignments assignments) const {
    Update s = *this;
    s.d_ = changed(d_, [&](detail::UpdateData& d) {
        d.set.insert(d.set.end(), assignments.begin(), assignments.end());
    });
    return s;
}
Update Update::where(const Expr& condition) const {
    Update s = *this;
    s.d_ = changed(d_, [&](detail::UpdateData& d) { d.where.push_back(condition); });
    return s;
}

Delete::Delete(const Table& table)
    : d_(std::make_shared<detail::DeleteData>(detail::DeleteData{table, {}})) {}
Delete Delete::where(const Expr& condition) const {
    Delete s = *this;
    s.d_ = changed(d_, [&](detail::DeleteData& d) { d.where.push_back(condition); });
    return s;
}

Insert insert(const Table& table) { return Insert(table); }
Update update(const Table& table) { return Update(table); }
Delete delete_(const Table& table) { return Delete(table); }

}  // namespace uvmysql::sql

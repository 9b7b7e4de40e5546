// SPDX-License-Identifier: MIT
// Column, Table, From and MetaData: the schema objects statements are built from.
#include <algorithm>

#include "sql/sql_node.hpp"

namespace uvmysql::sql {

namespace detail {

void throw_programming(std::string message) { throw ProgrammingError(0, "42000", std::move(message)); }

const TableData* table_data(const Table& t) noexcept {
    const auto& n = t.node();
    return n && n->kind == FromNode::Kind::table ? n->table.get() : nullptr;
}

}  // namespace detail

namespace {

using detail::ColumnDef;
using detail::FromNode;
using detail::SqlNode;
using detail::TableData;

/// Names end up quoted, so any character is fine except NUL (no identifier may hold one).
void check_name(std::string_view what, const std::string& name) {
    if (name.empty()) detail::throw_programming(std::string(what) + " name is empty");
    if (name.find('\0') != std::string::npos)
        detail::throw_programming(std::string(what) + " name contains a NUL byte");
}

std::shared_ptr<const SqlNode> column_node(ColumnDef def) {
    SqlNode n(SqlNode::Kind::column);
    n.column = std::move(def);
    return std::make_shared<const SqlNode>(std::move(n));
}

const ColumnDef& def_of(const Expr& c) {
    if (!c.node() || !c.node()->column) throw InterfaceError(0, "HY000", "empty Column");
    return *c.node()->column;
}

const TableData& data_of(const Table& t) {
    const TableData* d = detail::table_data(t);
    if (d == nullptr) throw InterfaceError(0, "HY000", "empty Table");
    return *d;
}

std::string quoted(std::string_view name) { return "`" + std::string(name) + "`"; }

}  // namespace

Column::Column(std::string name, ColumnType type, ColumnOptions options)
    : Expr(column_node(ColumnDef{std::move(name), {}, std::move(type), std::move(options)})) {
    check_name("column", def_of(*this).name);
}

const std::string& Column::name() const { return def_of(*this).name; }
const std::string& Column::table_name() const { return def_of(*this).table; }
const ColumnType& Column::type() const { return def_of(*this).type; }
const ColumnOptions& Column::options() const { return def_of(*this).options; }

From From::join(const From& right, const Expr& on) const {
    auto n = std::make_shared<FromNode>();
    n->kind = FromNode::Kind::join;
    n->left = node_;
    n->right = right.node();
    n->on = on;
    return From(std::move(n));
}

From From::outerjoin(const From& right, const Expr& on) const {
    From j = join(right, on);
    const_cast<FromNode&>(*j.node()).outer = true;  // just made, not shared yet
    return j;
}

Table::Table(MetaData& metadata, std::string name, std::vector<Column> columns) {
    check_name("table", name);
    auto data = std::make_shared<TableData>();
    data->name = std::move(name);
    for (const Column& c : columns) {
        const ColumnDef& def = def_of(c);
        const bool dup = std::any_of(data->columns.begin(), data->columns.end(),
                                     [&](const Column& seen) { return seen.name() == def.name; });
        if (dup)
            detail::throw_programming("duplicate column " + quoted(def.name) + " in table " +
                                      quoted(data->name));
        ColumnDef bound = def;
        bound.table = data->name;
        Column col;
        static_cast<Expr&>(col) = Expr(column_node(std::move(bound)));
        data->columns.push_back(std::move(col));
    }
    auto n = std::make_shared<FromNode>();
    n->table = std::move(data);
    node_ = std::move(n);
    metadata.add(*this);
}

const std::string& Table::name() const { return data_of(*this).name; }
const std::vector<Column>& Table::columns() const { return data_of(*this).columns; }

const Column* Table::find(std::string_view name) const noexcept {
    const TableData* d = detail::table_data(*this);
    if (d == nullptr) return nullptr;
    for (const Column& c : d->columns)
        if (c.name() == name) return &c;
    return nullptr;
}

const Column& Table::c(std::string_view name) const {
    if (const Column* c = find(name)) return *c;
    throw NoSuchColumnError(name, " in table " + quoted(data_of(*this).name));
}

Select Table::select() const { return sql::select(*this); }
Insert Table::insert() const { return Insert(*this); }
Update Table::update() const { return Update(*this); }
Delete Table::delete_() const { return Delete(*this); }

MetaData::MetaData() : state_(std::make_shared<detail::MetaDataState>()) {}

const std::vector<Table>& MetaData::tables() const { return state_->tables; }

const Table* MetaData::find(std::string_view name) const noexcept {
    for (const Table& t : state_->tables)
        if (t.name() == name) return &t;
    return nullptr;
}

void MetaData::add(const Table& table) {
    if (find(table.name()) != nullptr)
        detail::throw_programming("table " + quoted(table.name()) + " is already defined in this MetaData");
    state_->tables.push_back(table);
}

}  // namespace uvmysql::sql

namespace uvmysql {

namespace {
std::string no_such_column_message(std::string_view name, std::string_view where) {
    std::string m = "no such column: `";
    m += name;
    m += '`';
    m += where;
    return m;
}
}  // namespace

NoSuchColumnError::NoSuchColumnError(std::string_view name, std::string_view where)
    : InterfaceError(0, "42S22", no_such_column_message(name, where)) {}

}  // namespace uvmysql

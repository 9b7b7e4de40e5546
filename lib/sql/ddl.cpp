// SPDX-License-Identifier: MIT
// compile() for CREATE TABLE / DROP TABLE, and the create_all / drop_all statement lists.
#include "sql/sql_writer.hpp"

namespace uvmysql::sql {

namespace {

using detail::SqlWriter;

bool is_integer(TypeKind k) {
    return k == TypeKind::integer || k == TypeKind::big_integer || k == TypeKind::small_integer;
}

void type_sql(SqlWriter& w, const std::string& column, const ColumnType& type) {
    auto sized = [&](const char* name) {
        if (type.length() == 0)
            detail::throw_programming(std::string(name) + " requires a length on MySQL (column `" + column + "`)");
        w.keyword(name);
        w.keyword("(" + std::to_string(type.length()) + ")");
    };
    switch (type.kind()) {
        case TypeKind::integer: w.keyword("INTEGER"); return;
        case TypeKind::big_integer: w.keyword("BIGINT"); return;
        case TypeKind::small_integer: w.keyword("SMALLINT"); return;
        case TypeKind::boolean: w.keyword("BOOL"); return;
        case TypeKind::string: sized("VARCHAR"); return;
        case TypeKind::text: w.keyword("TEXT"); return;
        case TypeKind::binary: sized("VARBINARY"); return;
        case TypeKind::large_binary: w.keyword("BLOB"); return;
        case TypeKind::float_: w.keyword("FLOAT"); return;
        case TypeKind::numeric:
            if (type.length() == 0 || type.length() > 65 || type.scale() > 30 || type.scale() > type.length())
                detail::throw_programming("NUMERIC(" + std::to_string(type.length()) + ", " +
                                          std::to_string(type.scale()) + ") is not a MySQL type (column `" +
                                          column + "`)");
            w.keyword("NUMERIC(" + std::to_string(type.length()) + ", " + std::to_string(type.scale()) + ")");
            return;
        case TypeKind::date: w.keyword("DATE"); return;
        case TypeKind::datetime:
            if (type.length() > 6)
                detail::throw_programming("DATETIME fractional digits must be 0 to 6 (column `" + column + "`)");
            w.keyword(type.length() == 0 ? "DATETIME" : "DATETIME(" + std::to_string(type.length()) + ")");
            return;
        case TypeKind::time: w.keyword("TIME"); return;
        case TypeKind::enum_:
            if (type.members().empty()) detail::throw_programming("ENUM without members (column `" + column + "`)");
            w.keyword("ENUM(");
            for (std::size_t i = 0; i < type.members().size(); ++i) {
                if (i > 0) w.keyword(", ");
                w.bind(Value(type.members()[i]));
            }
            w.keyword(")");
            return;
        case TypeKind::json: w.keyword("JSON"); return;
    }
}

}  // namespace

Compiled compile(const CreateTable& stmt) {
    const detail::TableData* t = detail::table_data(stmt.table);
    if (t == nullptr) detail::throw_programming("CREATE TABLE of an empty Table");
    if (t->columns.empty()) detail::throw_programming("CREATE TABLE `" + t->name + "` without columns");
    std::vector<const Column*> keys;
    for (const Column& c : t->columns)
        if (c.options().primary_key) keys.push_back(&c);
    SqlWriter w;
    w.keyword(stmt.if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
    w.identifier(t->name);
    w.keyword(" (\n\t");
    for (std::size_t i = 0; i < t->columns.size(); ++i) {
        const Column& c = t->columns[i];
        const ColumnOptions& o = c.options();
        if (i > 0) w.keyword(", \n\t");
        w.identifier(c.name());
        w.keyword(" ");
        type_sql(w, c.name(), c.type());
        if (!o.nullable.value_or(!o.primary_key)) w.keyword(" NOT NULL");
        // SQLAlchemy's "auto": the one integer primary key column counts up by itself.
        const bool auto_inc =
            o.autoincrement.value_or(o.primary_key && keys.size() == 1 && is_integer(c.type().kind()));
        if (auto_inc) w.keyword(" AUTO_INCREMENT");
        if (o.default_value) {
            w.keyword(" DEFAULT ");
            w.bind(*o.default_value);
        }
        if (o.unique) w.keyword(" UNIQUE");
    }
    if (!keys.empty()) {
        w.keyword(", \n\tPRIMARY KEY (");
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i > 0) w.keyword(", ");
            w.identifier(keys[i]->name());
        }
        w.keyword(")");
    }
    w.keyword("\n)");
    return w.take();
}

Compiled compile(const DropTable& stmt) {
    const detail::TableData* t = detail::table_data(stmt.table);
    if (t == nullptr) detail::throw_programming("DROP TABLE of an empty Table");
    SqlWriter w;
    w.keyword(stmt.if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
    w.identifier(t->name);
    return w.take();
}

std::vector<Compiled> create_all_statements(const MetaData& metadata) {
    std::vector<Compiled> out;
    for (const Table& t : metadata.tables()) out.push_back(compile(CreateTable{t, true}));
    return out;
}

std::vector<Compiled> drop_all_statements(const MetaData& metadata) {
    std::vector<Compiled> out;
    const auto& tables = metadata.tables();
    for (auto it = tables.rbegin(); it != tables.rend(); ++it) out.push_back(compile(DropTable{*it, true}));
    return out;
}

}  // namespace uvmysql::sql

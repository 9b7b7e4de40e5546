// SPDX-License-Identifier: MIT
#include "cursor/cursor_common.hpp"

#include "common/access.hpp"
#include "connection/statement_state.hpp"

namespace uvmysql::detail {

void describe_columns(const std::shared_ptr<const Columns>& columns, std::shared_ptr<const Columns>& described,
                      std::vector<Description>& description) {
    if (columns && columns == described) return;
    described = columns;
    description.clear();
    if (!columns) return;
    description.reserve(columns->size());
    for (const ColumnInfo& c : *columns) {
        Description& d = description.emplace_back();
        d.name = c.name;
        d.type_code = c.type;
        d.internal_size = c.length;
        d.precision = c.length;
        d.scale = c.decimals;
        d.null_ok = c.is_nullable();
    }
}

Status format_statement(const Connection& conn, std::string_view query, const Args& args, std::string& out) {
    if (args.is_none()) {
        out.assign(query);
        return {};
    }
    EscapeOptions opts{conn.no_backslash_escapes()};
    return format_query(query, args, opts, out);
}

std::exception_ptr foreign_statement(const Connection& conn, const Statement& statement) {
    const auto& st = state_of(statement);
    if (!st) return programming_error("Statement is not prepared (an empty handle)");
    if (st->conn.lock() != Access::impl(conn)) return programming_error("the statement was prepared on another connection");
    return nullptr;
}

std::exception_ptr programming_error(std::string msg) {
    return to_exception(Status::client(0, std::move(msg), ClientKind::programming));
}

}  // namespace uvmysql::detail

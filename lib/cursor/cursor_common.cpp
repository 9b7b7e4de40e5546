// SPDX-License-Identifier: MIT
#include "cursor/cursor_common.hpp"

#include "common/access.hpp"
#include "connection/connection_impl.hpp"
#include "connection/statement_state.hpp"
#include "cursor/cursor_state.hpp"

namespace uvmysql::detail {

std::shared_ptr<const std::vector<Description>> describe_columns(const Connection& conn,
                                                                 const std::shared_ptr<const Columns>& columns) {
    using Descriptions = std::vector<Description>;
    if (!columns) return nullptr;
    const auto& impl = Access::impl(conn);
    SessionState* session = impl ? &impl->session() : nullptr;
    // The session holds the columns it described: equal pointers are that very object.
    if (session && session->described_columns == columns) {
        return std::static_pointer_cast<const Descriptions>(session->description);
    }
    auto description = std::make_shared<Descriptions>();
    description->reserve(columns->size());
    for (const ColumnInfo& c : *columns) {
        Description& d = description->emplace_back();
        d.name = c.name;
        d.type_code = c.type;
        d.internal_size = c.length;
        d.precision = c.length;
        d.scale = c.decimals;
        d.null_ok = c.is_nullable();
    }
    if (session) {
        session->described_columns = columns;
        session->description = description;
    }
    return description;
}

void CursorState::describe(const std::shared_ptr<const Columns>& columns) {
    if (columns && columns == described_columns) return;
    described_columns = columns;
    description = describe_columns(conn, columns);
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

std::exception_ptr named_params_not_prepared() {
    return programming_error("a prepared cursor takes positional %s parameters, not named ones");
}

std::exception_ptr programming_error(std::string msg) {
    return to_exception(Status::client(0, std::move(msg), ClientKind::programming));
}

}  // namespace uvmysql::detail

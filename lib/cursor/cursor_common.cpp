// SPDX-License-Identifier: MIT
#include "cursor/cursor_common.hpp"

#include "common/access.hpp"
#include "connection/statement_state.hpp"
#include "cursor/cursor_state.hpp"

namespace uvmysql::detail {

std::shared_ptr<const std::vector<Description>> describe_columns(const std::shared_ptr<const Columns>& columns) {
    if (!columns) return nullptr;
    // The weak_ptr proves the cached entry is that very (immutable) object, not a new one
    // allocated at a recycled address (as DictKeys::of).
    struct Cache {
        std::weak_ptr<const Columns> columns;
        std::shared_ptr<const std::vector<Description>> description;
    };
    thread_local Cache cache;
    const bool same = !cache.columns.expired() && !cache.columns.owner_before(columns) &&
                      !columns.owner_before(cache.columns);
    if (same) return cache.description;
    auto description = std::make_shared<std::vector<Description>>();
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
    cache.columns = columns;
    cache.description = description;
    return description;
}

void CursorState::describe(const std::shared_ptr<const Columns>& columns) {
    if (columns && columns == described_columns) return;
    described_columns = columns;
    description = describe_columns(columns);
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

// SPDX-License-Identifier: MIT
#include "cursor/cursor_common.hpp"

namespace uvmysql::detail {

Description describe(const ColumnInfo& c) {
    Description d;
    d.name = c.name;
    d.type_code = c.type;
    d.internal_size = c.length;
    d.precision = c.length;
    d.scale = c.decimals;
    d.null_ok = c.is_nullable();
    return d;
}

Status format_statement(const Connection& conn, std::string_view query, const Args& args, std::string& out) {
    if (args.is_none()) {
        out.assign(query);
        return {};
    }
    EscapeOptions opts{conn.no_backslash_escapes()};
    return format_query(query, args, opts, out);
}

std::exception_ptr programming_error(std::string msg) {
    return to_exception(Status::client(0, std::move(msg), ClientKind::programming));
}

}  // namespace uvmysql::detail

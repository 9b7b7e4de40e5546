// SPDX-License-Identifier: MIT
// Connection::query(sql, args) and Connection::execute(): one statement through a buffered
// cursor's core, so formatting, warnings and errors are exactly Cursor::execute()'s.
#include "uvmysql/connection.hpp"
#include "uvmysql/cursor.hpp"

namespace uvmysql {

Future<ResultSet> Connection::execute(std::string sql, Args args) {
    auto core = std::make_shared<detail::CursorCore>(*this);
    return core->execute(core, std::move(sql), args).then([core](std::uint64_t) {
        // A cursor raises a later statement's error from nextset(); a one-call query has no
        // nextset(), so the error fails the call instead of being lost.
        if (core->later_error) std::rethrow_exception(core->later_error);
        if (core->results.empty()) return ResultSet();
        return std::move(core->results.front());
    });
}

Future<std::vector<Row>> Connection::query(std::string sql, Args args) {
    return execute(std::move(sql), std::move(args)).then([](ResultSet rs) { return std::move(rs.rows); });
}

}  // namespace uvmysql

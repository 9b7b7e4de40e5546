// SPDX-License-Identifier: MIT
// The Connection methods built on the cursor layer: cursor(), and query(sql, args) and
// execute(), one statement through a buffered cursor's state, so formatting, warnings and
// errors are exactly Cursor::execute()'s.
#include "cursor/cursor_state.hpp"
#include "uvmysql/connection.hpp"

namespace uvmysql {

Cursor Connection::cursor() const { return Cursor(*this); }

Future<ResultSet> Connection::execute(std::string sql, Args args) {
    auto state = std::make_shared<detail::BufferedCursorState>(*this);
    return detail::run_buffered(state, std::move(sql), args).then([state](std::uint64_t) {
        // A cursor raises a later statement's error from nextset(); a one-call query has no
        // nextset(), so the error fails the call instead of being lost.
        if (state->later_error) std::rethrow_exception(state->later_error);
        if (state->results.empty()) return ResultSet();
        return std::move(state->results.front());
    });
}

Future<std::vector<Row>> Connection::query(std::string sql, Args args) {
    return execute(std::move(sql), std::move(args)).then([](ResultSet rs) { return std::move(rs.rows); });
}

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// The Connection methods built on the cursor layer: cursor(), and query(sql, args) and
// execute(), one statement through a buffered cursor's state, so formatting, warnings and
// errors are exactly Cursor::execute()'s.
#include "cursor/cursor_state.hpp"
#include "uvmysql/connection.hpp"

namespace uvmysql {

Cursor Connection::cursor() const { return Cursor(*this); }

namespace {

/// The first result set of the statement `ran` runs on `state`.
Future<ResultSet> first_result(std::shared_ptr<detail::BufferedCursorState> state, Future<std::uint64_t> ran) {
    return std::move(ran).then([state = std::move(state)](std::uint64_t) {
        // A cursor raises a later statement's error from nextset(); a one-call query has no
        // nextset(), so the error fails the call instead of being lost.
        if (state->later_error) std::rethrow_exception(state->later_error);
        if (state->results.empty()) return ResultSet();
        return std::move(state->results.front());
    });
}

std::vector<Row> rows_of(ResultSet rs) { return std::move(rs.rows); }

}  // namespace

Future<ResultSet> Connection::execute(std::string sql, Args args) {
    auto state = detail::new_buffered_state(*this);
    return first_result(state, detail::run_buffered(state, sql, args));
}

Future<ResultSet> Connection::execute_values(std::string_view sql, std::span<const Value> values) {
    auto state = detail::new_buffered_state(*this);
    return first_result(state, detail::run_buffered_values(state, sql, values));
}

Future<std::vector<Row>> Connection::query(std::string sql, Args args) {
    return execute(std::move(sql), std::move(args)).then(rows_of);
}

Future<ResultSet> Connection::query_into(std::string_view sql, std::span<const Value> values,
                                    std::shared_ptr<detail::RowSink> sink) {
    auto state = detail::new_buffered_state(*this);
    state->row_sink = std::move(sink);
    // No values: the text is sent as it is, `%` and all, as execute(sql) sends it.
    Future<std::uint64_t> ran = values.empty() ? detail::run_buffered(state, sql, Args())
                                               : detail::run_buffered_values(state, sql, values);
    return first_result(state, std::move(ran));
}

Future<std::vector<Row>> Connection::query_values(std::string_view sql, std::span<const Value> values) {
    return execute_values(sql, values).then(rows_of);
}

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// The query loop: one cursor per SQL text, every result set printed, the first error reported.
#include "query_runner.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include <uvmysql/uvmysql.hpp>

#include "error_report.hpp"

namespace query_tool {

namespace {

// Rows a streaming cursor decodes per fetch: enough to amortise the fetch, small in memory.
constexpr std::size_t stream_batch_rows = 1000;

bool is_blank(const std::string& sql) {
    return std::all_of(sql.begin(), sql.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

template <class Cursor>
uvmysql::Future<std::vector<typename Cursor::row_type>> next_batch(Cursor& cur) {
    // A buffered cursor holds every row already: fetchall() moves them out without copies.
    if constexpr (std::is_same_v<Cursor, uvmysql::BasicCursor<typename Cursor::row_type>>) {
        return cur.fetchall();
    } else {
        return cur.fetchmany(stream_batch_rows);
    }
}

/// Runs one SQL text (maybe several statements) and prints the rows of all its result sets.
template <class Cursor>
uvmysql::Task<> print_results(Cursor cur, std::string sql, RowPrinter& printer) {
    co_await cur.execute(std::move(sql));
    bool more_sets = true;
    while (more_sets) {
        for (;;) {
            const auto rows = co_await next_batch(cur);
            if (rows.empty()) break;
            for (const auto& row : rows) printer.print(row);
        }
        more_sets = co_await cur.nextset();   // a later statement's error is thrown here
    }
    co_await cur.close();
}

uvmysql::Task<> run_one(uvmysql::Connection conn, bool stream, bool dict, std::string sql, RowPrinter& printer) {
    if (stream && dict) {
        co_await print_results(conn.cursor<uvmysql::SSDictCursor>(), std::move(sql), printer);
    } else if (stream) {
        co_await print_results(conn.cursor<uvmysql::SSCursor>(), std::move(sql), printer);
    } else if (dict) {
        co_await print_results(conn.cursor<uvmysql::DictCursor>(), std::move(sql), printer);
    } else {
        co_await print_results(conn.cursor<uvmysql::Cursor>(), std::move(sql), printer);
    }
}

}  // namespace

uvmysql::Task<int> run_queries(uv_loop_s* loop, QueryCommand cmd, RowPrinter& printer) {
    uvmysql::Connection conn;
    try {
        conn = co_await uvmysql::connect(loop, cmd.connect);
    } catch (const std::exception& e) {
        report_error(error_json(e));
        co_return exit_connect_failed;
    }
    int status = exit_ok;
    try {
        for (std::string& sql : cmd.sql) {
            if (!is_blank(sql)) co_await run_one(conn, cmd.stream, cmd.dict, std::move(sql), printer);
        }
    } catch (const std::exception& e) {
        printer.flush();
        report_error(error_json(e));
        status = exit_statement_failed;
    }
    if (status == exit_ok) {
        try {
            co_await conn.ensure_closed();   // COM_QUIT: a clean goodbye in the server's log
        } catch (const std::exception&) {
            // Every statement succeeded; a failed goodbye changes nothing for the caller.
        }
    }
    conn.close();
    co_return status;
}

}  // namespace query_tool

// SPDX-License-Identifier: MIT
// Sends a transaction's statements: one, or several in order, each after the previous succeeded.
#include "transaction/tx_run.hpp"

#include <utility>

namespace uvmysql::detail {

Future<void> run_statement(Connection conn, std::string sql) {
    return conn.query(std::move(sql)).then([](std::vector<ResultSet>) {});
}

Future<void> run_statements(Connection conn, std::vector<std::string> statements) {
    Future<void> chain = make_ready_future();
    for (std::string& sql : statements) {
        // Chained, not queued at once: a later statement must not run after an earlier one failed.
        chain = std::move(chain).then([conn, sql = std::move(sql)]() mutable { return run_statement(conn, std::move(sql)); });
    }
    return chain;
}

}  // namespace uvmysql::detail

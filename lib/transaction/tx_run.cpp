// SPDX-License-Identifier: MIT
// Sends a transaction's statements: one, several queued together, or several in turn.
#include "transaction/tx_run.hpp"

#include <utility>

namespace uvmysql::detail {

Future<void> run_statement(const Connection& conn, std::string sql) {
    Connection handle = conn;
    return handle.query(std::move(sql)).then([](std::vector<ResultSet>) {});
}

Future<void> run_together(const Connection& conn, std::vector<std::string> statements) {
    std::vector<Future<void>> steps;
    for (std::string& sql : statements) steps.push_back(run_statement(conn, std::move(sql)));
    return when_all(std::move(steps));
}

Future<void> run_in_turn(const Connection& conn, std::vector<std::string> statements) {
    Future<void> chain = make_ready_future();
    for (std::string& sql : statements) {
        chain = std::move(chain).then([conn, sql = std::move(sql)]() mutable { return run_statement(conn, std::move(sql)); });
    }
    return chain;
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// The scoped form: uvmysql::transaction(conn, fn) commits when fn succeeds and rolls back when it
// fails, handing the error on. A transfer that would overdraw an account is rolled back.
#include <stdexcept>

#include "run_sample.hpp"
#include "sample_options.hpp"

namespace {

/// What a transfer throws when the money is not there.
struct InsufficientFunds : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Moves `amount` between two accounts inside `tx`; throws InsufficientFunds when the debit
/// leaves the source account below zero. The debit is already written then: the rollback undoes it.
uvmysql::Task<> transfer(uvmysql::Transaction& tx, int from, int to, int amount) {
    auto cur = tx.connection().cursor();
    const uvmysql::Args debit{amount, from};
    co_await cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s", debit);
    const uvmysql::Args credit{amount, to};
    co_await cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", credit);
    const uvmysql::Args source{from};
    co_await cur.execute("SELECT balance FROM accounts WHERE id = %s", source);
    const std::optional<uvmysql::Row> row = co_await cur.fetchone();
    if (row.value().at(0).as<std::int64_t>() < 0) throw InsufficientFunds("account " + std::to_string(from) + " has too little");
}

uvmysql::Task<> print_balances(uvmysql::Connection conn, const char* when) {
    auto cur = conn.cursor();
    co_await cur.execute("SELECT id, balance FROM accounts ORDER BY id");
    std::printf("%s:", when);
    for (const auto& row : co_await cur.fetchall()) {
        std::printf(" account %s = %s", row[0].to_string().c_str(), row[1].to_string().c_str());
    }
    std::printf("\n");
    co_await conn.commit();   // autocommit is off: end the reading transaction too
}

}  // namespace

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    co_await conn.query("DROP TABLE IF EXISTS accounts");
    co_await conn.query("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB");
    co_await conn.query("INSERT INTO accounts VALUES (1, 100), (2, 100)");
    co_await conn.commit();
    co_await print_balances(conn, "before");

    // Succeeds: committed.
    co_await uvmysql::transaction(conn, [](uvmysql::Transaction& tx) { return transfer(tx, 1, 2, 30); });
    co_await print_balances(conn, "after moving 30");

    // Fails half-way: rolled back, and the body's own exception comes back unchanged.
    try {
        co_await uvmysql::transaction(conn, [](uvmysql::Transaction& tx) { return transfer(tx, 1, 2, 500); });
    } catch (const InsufficientFunds& e) {
        std::printf("moving 500 failed (%s): rolled back\n", e.what());
    }
    co_await print_balances(conn, "after the failed transfer");
    std::printf("in transaction: %s\n", conn.in_transaction() ? "yes" : "no");

    co_await conn.query("DROP TABLE accounts");
    co_await conn.ensure_closed();
}

int main() { return samples::run(example); }

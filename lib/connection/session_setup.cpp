// SPDX-License-Identifier: MIT
#include "connection/session_setup.hpp"

#include "connection/connection_impl.hpp"
#include "connection/query_op.hpp"
#include "values/escape.hpp"

namespace uvmysql::detail {

namespace {

/// SET AUTOCOMMIT, decided when it reaches the wire: by then the login OK has told the
/// server's mode, and nothing is sent when it already matches.
class AutocommitSetupOp final : public Op {
public:
    explicit AutocommitSetupOp(bool value) : value_(value) {}
    void start(ConnectionImpl& conn) override {
        const bool current = conn.status() & server_status::autocommit;
        if (current == value_) {
            skip_ = true;
            return;
        }
        inner_.start(conn);
    }
    Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) override {
        return inner_.on_message(conn, payload, next);
    }
    [[nodiscard]] bool fire_and_forget() const override { return skip_; }
    void finish() override {}
    void fail(const Status&) override {}

private:
    bool value_;
    bool skip_ = false;
    QueryOp inner_{value_ ? "SET AUTOCOMMIT = 1" : "SET AUTOCOMMIT = 0", true};
};

void queue_statement(ConnectionImpl& conn, std::string sql) {
    auto op = std::make_unique<QueryOp>(std::move(sql), /*fatal_errors=*/true);
    conn.enqueue_setup(std::move(op));
}

}  // namespace

void queue_session_setup(ConnectionImpl& conn) {
    const ConnectOptions& opt = conn.options();
    if (opt.sql_mode) {
        std::string sql = "SET sql_mode=";
        (void)append_literal(Value(*opt.sql_mode), EscapeOptions{}, sql);
        queue_statement(conn, std::move(sql));
    }
    if (opt.init_command) {
        queue_statement(conn, *opt.init_command);
        queue_statement(conn, "COMMIT");
    }
    if (opt.autocommit) conn.enqueue_setup(std::make_unique<AutocommitSetupOp>(*opt.autocommit));
}

}  // namespace uvmysql::detail

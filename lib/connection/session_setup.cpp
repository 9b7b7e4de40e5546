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

std::vector<std::string> session_setup_statements(const ConnectOptions& opt) {
    std::vector<std::string> out;
    if (opt.sql_mode) {
        std::string sql = "SET sql_mode=";
        (void)append_literal(Value(*opt.sql_mode), EscapeOptions{}, sql);
        out.push_back(std::move(sql));
    }
    if (opt.init_command) {
        out.push_back(*opt.init_command);
        out.push_back("COMMIT");
    }
    return out;
}

void queue_session_setup(ConnectionImpl& conn) {
    const ConnectOptions& opt = conn.options();
    for (std::string& sql : session_setup_statements(opt)) queue_statement(conn, std::move(sql));
    if (opt.autocommit) conn.enqueue_setup(std::make_unique<AutocommitSetupOp>(*opt.autocommit));
}

}  // namespace uvmysql::detail

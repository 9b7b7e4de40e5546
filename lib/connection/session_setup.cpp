// SPDX-License-Identifier: MIT
#include "connection/session_setup.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "connection/buffered_query_op.hpp"
#include "connection/galera_status.hpp"
#include "connection/query_op.hpp"
#include "values/escape.hpp"

namespace uvmysql::detail {

namespace {

/// SET AUTOCOMMIT, decided when it reaches the wire: by then the login OK has told the
/// server's mode, and nothing is sent when it already matches.
class AutocommitSetupOp final : public Op {
public:
    explicit AutocommitSetupOp(bool value) : value_(value) {}
    void finish() override {}
    void fail(const Status&) override {}

private:
    Action step(SessionState& s, Bytes message) override {
        if (!started_) {
            started_ = true;
            const bool current = s.status & server_status::autocommit;
            if (current == value_) return Action::done;
        }
        const Action next = inner_.resume(s, {}, message);
        if (next == Action::fail) return fail_with(inner_.fatal_error());
        return next;
    }

    bool value_;
    bool started_ = false;
    BufferedQueryOp inner_{value_ ? "SET AUTOCOMMIT = 1" : "SET AUTOCOMMIT = 0", /*fatal_errors=*/true};
};

/// Reads the node's Galera state; fails the open when the node is not Synced.
class GaleraSyncedCheckOp final : public QueryOp {
public:
    GaleraSyncedCheckOp() : QueryOp(galera_status_sql, /*fatal_errors=*/true) {}
    void finish() override {}
    void fail(const Status&) override {}

private:
    Action step(SessionState& s, Bytes message) override {
        const Action next = QueryOp::step(s, message);
        if (next != Action::done) return next;
        const std::string why = galera_not_synced(status_);
        return why.empty() ? next : fail_with(Status::client(cr::conn_host_error, "the Galera node is not synced (" + why + ")"));
    }
    void deliver_ok(const OkPacket&) override {}
    void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>&) override {}
    void deliver_row(std::vector<Value>&& values) override {
        if (values.size() == 2) status_.emplace_back(values[0].to_string(), values[1].is_null() ? "" : values[1].to_string());
    }
    void deliver_end(const OkPacket&, std::uint64_t) override {}

    StatusVariables status_;
};

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

std::vector<std::unique_ptr<Op>> session_setup_ops(const ConnectOptions& opt) {
    std::vector<std::unique_ptr<Op>> ops;
    if (opt.galera_check && opt.hosts.size() > 1) ops.push_back(std::make_unique<GaleraSyncedCheckOp>());
    for (std::string& sql : session_setup_statements(opt)) {
        ops.push_back(std::make_unique<BufferedQueryOp>(std::move(sql), /*fatal_errors=*/true));
    }
    if (opt.autocommit) ops.push_back(std::make_unique<AutocommitSetupOp>(*opt.autocommit));
    return ops;
}

}  // namespace uvmysql::detail

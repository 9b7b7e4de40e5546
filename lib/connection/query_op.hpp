// SPDX-License-Identifier: MIT
// QueryOp: COM_QUERY with every result set buffered into ResultSets.
#pragma once

#include <string>
#include <vector>

#include "connection/op.hpp"
#include "connection/result_reader.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Runs one statement and buffers all it returns. With `fatal_errors` (the session setup
/// statements), a server error closes the connection instead of failing only this op.
class QueryOp final : public Op, private ResultSink {
public:
    QueryOp(std::string sql, bool fatal_errors = false);
    /// The result sets; a server error of a later statement comes with the sets before it.
    [[nodiscard]] Future<QueryResults> get_future() { return promise_.get_future(); }

    void start(ConnectionImpl& conn) override;
    Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) override;
    void finish() override;
    void fail(const Status& st) override;
    [[nodiscard]] std::size_t request_size() const override { return 1 + sql_.size(); }

private:
    Status on_ok(const OkPacket& ok) override;
    Status on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) override;
    Status on_row(std::span<const FieldView> fields) override;
    Status on_end_of_rows(const OkPacket& end) override;
    Status on_local_infile(std::string_view filename) override;

    std::string sql_;
    bool fatal_errors_;
    ConnectionImpl* conn_ = nullptr;   // set while the op is on the wire
    ResultReader reader_{*this};
    std::vector<ResultSet> results_;
    Status error_;                     // a decode or LOCAL INFILE error to report at the end
    Promise<QueryResults> promise_;
};

/// A one-packet command answered by OK or ERR: COM_PING, COM_INIT_DB, COM_RESET_CONNECTION.
class SimpleCommandOp final : public Op {
public:
    enum class Kind { ping, init_db, reset_connection };
    SimpleCommandOp(Kind kind, std::string arg = {}) : kind_(kind), arg_(std::move(arg)) {}
    [[nodiscard]] Future<void> get_future() { return promise_.get_future(); }

    void start(ConnectionImpl& conn) override;
    Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) override;
    void finish() override;
    void fail(const Status& st) override;
    [[nodiscard]] std::size_t request_size() const override { return 1 + arg_.size(); }

private:
    Kind kind_;
    std::string arg_;
    Status error_;
    Promise<void> promise_;
};

/// COM_QUIT, then close: the server sends nothing back.
class QuitOp final : public Op {
public:
    [[nodiscard]] Future<void> get_future() { return promise_.get_future(); }
    void start(ConnectionImpl& conn) override;
    Status on_message(ConnectionImpl&, Bytes, Next&) override {
        return Status::malformed("reply to COM_QUIT");
    }
    [[nodiscard]] bool fire_and_forget() const override { return true; }
    void finish() override;
    void fail(const Status& st) override;

private:
    ConnectionImpl* conn_ = nullptr;
    Promise<void> promise_;
};

}  // namespace uvmysql::detail

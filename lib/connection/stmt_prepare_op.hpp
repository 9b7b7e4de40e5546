// SPDX-License-Identifier: MIT
// StmtPrepareOp: COM_STMT_PREPARE and its response (the statement id and its definitions).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "connection/op.hpp"
#include "connection/result_reader.hpp"
#include "protocol/stmt_prepare_response.hpp"
#include "uvmysql/column.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// What the server said about a statement it prepared.
struct PreparedInfo {
    std::uint32_t id = 0;
    std::uint16_t param_count = 0;
    std::uint16_t warning_count = 0;
    std::shared_ptr<const std::vector<ColumnInfo>> params;    // one per `?` (never null)
    std::shared_ptr<const std::vector<ColumnInfo>> columns;   // the result columns (never null; empty: no rows)
};

/// Flow: write COM_STMT_PREPARE -> read PREPARE_OK, the parameter definitions [EOF], the
/// column definitions [EOF] -> done. An ERR (a syntax error, a multi-statement string,
/// max_prepared_stmt_count) is the op's outcome and leaves the session usable; anything
/// malformed fails the session.
class StmtPrepareOp final : public Op {
public:
    explicit StmtPrepareOp(std::string sql) : sql_(std::move(sql)) {}
    /// Also puts the column definitions into `columns` as soon as they are read, before any
    /// later response: an execute pipelined behind this prepare (execute direct) may find them
    /// left out of its own response (MARIADB_CLIENT_CACHE_METADATA).
    StmtPrepareOp(std::string sql, ColumnsSlot columns) : sql_(std::move(sql)), columns_slot_(std::move(columns)) {}
    [[nodiscard]] Future<PreparedInfo> get_future() { return promise_.get_future(); }

    [[nodiscard]] std::size_t request_size() const override { return 1 + sql_.size(); }
    void finish() override;
    void fail(const Status& st) override;

private:
    Action step(SessionState& s, Bytes message) override;

    std::string sql_;
    std::unique_ptr<StmtPrepareReader> reader_;   // made at the start: it needs the capabilities
    ColumnsSlot columns_slot_;
    std::shared_ptr<const std::vector<ColumnInfo>> columns_;   // once read
    Status error_;
    Promise<PreparedInfo> promise_;
};

}  // namespace uvmysql::detail

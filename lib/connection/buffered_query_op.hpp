// SPDX-License-Identifier: MIT
// BufferedQueryOp: a statement whose result sets are all read into memory (Cursor, query()).
#pragma once

#include <string>
#include <vector>

#include "connection/query_op.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Runs one statement and buffers all it returns into ResultSets. With `fatal_errors` (the
/// session setup statements), a server error closes the connection instead of failing only
/// this op.
class BufferedQueryOp final : public QueryOp {
public:
    explicit BufferedQueryOp(std::string sql, bool fatal_errors = false) : QueryOp(std::move(sql), fatal_errors) {
        results_.reserve(1);
    }
    /// Executes a prepared statement: `request` is its COM_STMT_EXECUTE payload (see QueryOp).
    explicit BufferedQueryOp(StatementRequest request) : QueryOp(std::move(request)) {
        results_.reserve(1);
    }
    /// The result sets; a server error of a later statement comes with the sets before it.
    [[nodiscard]] Future<QueryResults> get_future() { return promise_.get_future(); }

    void finish() override;
    void fail(const Status& st) override;

private:
    void deliver_ok(const OkPacket& ok) override;
    void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) override;
    void deliver_row(std::vector<Value>&& values) override;
    void deliver_end(const OkPacket& end, std::uint64_t rows) override;

    std::vector<ResultSet> results_;
    Promise<QueryResults> promise_;
};

}  // namespace uvmysql::detail

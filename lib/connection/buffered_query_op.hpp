// SPDX-License-Identifier: MIT
// BufferedQueryOp: a statement whose result sets are all read into memory (Cursor, query()).
#pragma once

#include <optional>
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
    explicit BufferedQueryOp(std::string sql, bool fatal_errors = false) : QueryOp(std::move(sql), fatal_errors) {}
    /// Executes a prepared statement: `request` is its COM_STMT_EXECUTE payload (see QueryOp).
    explicit BufferedQueryOp(StatementRequest&& request) : QueryOp(std::move(request)) {}
    /// The result sets; a server error of a later statement comes with the sets before it.
    [[nodiscard]] Future<QueryResults> get_future() { return promise_.get_future(); }
    /// Instead of get_future(): the first result set alone (an empty one if there was none),
    /// any error failing it (Statement::execute(), without a continuation to pick the set).
    [[nodiscard]] Future<ResultSet> get_first_set_future() {
        first_set_only_ = true;
        return first_set_promise_.get_future();
    }

    void finish() override;
    void fail(const Status& st) override;

private:
    void deliver_ok(const OkPacket& ok) override;
    void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) override;
    void deliver_row(std::vector<Value>&& values) override;
    void deliver_end(const OkPacket& end, std::uint64_t rows) override;
    [[nodiscard]] bool wants_rows() const override { return current_ != nullptr; }
    /// Where the next result set goes: results_, or with first_set_only_ first_ for the first
    /// set and nowhere (null: read, not kept) for the sets after it.
    ResultSet* new_set();

    std::vector<ResultSet> results_;
    bool first_set_only_ = false;
    std::optional<ResultSet> first_;   // first_set_only_: the one set kept, without a vector's allocation
    ResultSet* current_ = nullptr;     // the set being read; null: one not kept
    Promise<QueryResults> promise_;            // one of these two is used (a Promise
    Promise<ResultSet> first_set_promise_;     // allocates nothing until its future is taken)
};

}  // namespace uvmysql::detail

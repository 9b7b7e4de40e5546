// SPDX-License-Identifier: MIT
// ResultReader: the state machine of a COM_QUERY response (OK / ERR / result sets / LOCAL INFILE).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/column_cache.hpp"
#include "protocol/response.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// Where a prepared statement's latest column definitions are kept (shared with its executes).
using ColumnsSlot = std::shared_ptr<std::shared_ptr<const std::vector<ColumnInfo>>>;

/// Receives what a ResultReader finds, in wire order. A non-ok Status from a callback aborts
/// the reading with that error (the stream is then treated as out of sync).
class ResultSink {
public:
    /// A statement finished without a result set (OK packet).
    virtual Status on_ok(const OkPacket& ok) = 0;
    /// A result set starts; `columns` is complete.
    virtual Status on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) = 0;
    /// One row of the current result set (text, or binary after use_binary_rows()); the views are valid only during the call.
    virtual Status on_row(std::span<const FieldView> fields) = 0;
    /// The current result set ended; `end` holds its warnings and status.
    virtual Status on_end_of_rows(const OkPacket& end) = 0;
    /// The server asked for a local file: the sink must send its contents (or an empty packet)
    /// through the connection, then the server answers with OK or ERR.
    virtual Status on_local_infile(std::string_view filename) = 0;

protected:
    ~ResultSink() = default;
};

/// Parses the response of a COM_QUERY, possibly several result sets (MULTI_RESULTS), into
/// sink calls. Flow: header (OK | ERR | 0xFB | column count) -> column definitions -> [EOF]
/// -> rows -> end of rows; after an OK or end of rows with SERVER_MORE_RESULTS_EXISTS the
/// next header follows. A server ERR at any point ends the response: server_error() has it.
class ResultReader {
public:
    explicit ResultReader(ResultSink& sink) : sink_(sink) {}

    /// Parses column definitions through `cache` (the connection's, so that metadata is shared
    /// across statements) instead of a cache of its own. Call before the first message.
    void use_column_cache(ColumnCache& cache) noexcept { cache_ = &cache; }
    /// Reads the response of COM_STMT_EXECUTE instead: rows are binary rows
    /// (parse_binary_row), split over the current set's columns. Call before the first message.
    void use_binary_rows() noexcept { binary_ = true; }
    /// Under MARIADB_CLIENT_CACHE_METADATA the server leaves out a statement's column definitions
    /// when they did not change since it last sent them: `columns` has them (and is updated
    /// whenever they come). Without it such a response is malformed. Call before the first message.
    void use_statement_columns(ColumnsSlot columns) noexcept { statement_columns_ = std::move(columns); }
    /// Reads the response of COM_STMT_FETCH instead: binary rows of `columns` (the cursor's,
    /// known from its execute) then the end of rows, without a header. Call before the first message.
    void continue_rows(std::shared_ptr<const std::vector<ColumnInfo>> columns);
    /// The COM_STMT_EXECUTE asked for a server-side cursor: an EOF with
    /// SERVER_STATUS_CURSOR_EXISTS right after the column definitions ends the response.
    void expect_cursor() noexcept { cursor_ = true; }

    /// Feeds one message. Sets `done` when the response is complete. A non-ok Status means the
    /// stream cannot be trusted (malformed packet, or a sink error).
    Status on_message(Bytes payload, std::uint64_t capabilities, bool& done);
    /// The ERR the server ended the response with, if any.
    [[nodiscard]] const Status& server_error() const noexcept { return server_error_; }
    /// True when that ERR came in place of a row: it cut a result set short, so the rows of
    /// that set (already passed to the sink) are incomplete and belong to the failed statement.
    [[nodiscard]] bool error_cut_result_set() const noexcept { return error_in_rows_; }
    /// Status flags of the last OK/EOF seen.
    [[nodiscard]] std::uint16_t last_status() const noexcept { return last_status_; }
    /// True while rows of a result set are being read.
    [[nodiscard]] bool in_rows() const noexcept { return state_ == State::rows; }

private:
    enum class State { header, columns, columns_eof, rows };

    Status on_header(Bytes payload, std::uint64_t caps, bool& done);
    Status on_server_error(Bytes payload, std::uint64_t caps, bool& done);
    Status end_rows(const OkPacket& end, bool& done);
    Status after_end(std::uint16_t status, bool& done);
    Status start_rows();

    ResultSink& sink_;
    State state_ = State::header;
    bool binary_ = false;
    bool cursor_ = false;
    ColumnsSlot statement_columns_;
    std::shared_ptr<const std::vector<ColumnInfo>> skipped_columns_;   // what the server left out
    std::shared_ptr<const std::vector<ColumnInfo>> columns_;   // the current set's (binary rows need them)
    ColumnCache own_cache_;
    ColumnCache* cache_ = &own_cache_;
    Status server_error_;
    bool error_in_rows_ = false;
    std::uint16_t last_status_ = 0;
};

}  // namespace uvmysql::detail

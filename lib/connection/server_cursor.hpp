// SPDX-License-Identifier: MIT
// ServerCursor: a prepared statement's rows read through a server-side cursor (COM_STMT_FETCH).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "common/status.hpp"
#include "connection/entry_points.hpp"
#include "connection/read_flow.hpp"
#include "connection/row_stream.hpp"
#include "connection/statement_state.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// The rows of one execute of `statement` with a read-only server-side cursor, streamed
/// through a RowStream as a plain unbuffered result is, but fetched `fetch_size` rows at a
/// time with COM_STMT_FETCH. Between fetches the connection is free: other commands run while
/// the cursor is open. Fetching stops while the consumer falls behind (the RowStream's flow
/// control: at most about high_water + fetch_size rows wait in memory) and restarts as it
/// catches up. Discarding the stream (or dropping the cursor) stops fetching; the statement,
/// held only by the cursor, is then closed on the server, which closes the server's cursor.
///
/// Flow: COM_STMT_EXECUTE(cursor flag) -> columns + EOF(CURSOR_EXISTS) -> { COM_STMT_FETCH ->
/// rows + EOF }* until LAST_ROW_SENT. A statement without rows (an INSERT), or a server that
/// sends the rows at once, ends in the execute's response as a buffered result would.
class ServerCursor final : public ReadFlow, public std::enable_shared_from_this<ServerCursor> {
public:
    /// Executes `statement` with `params` and opens the cursor; resolves once the first result
    /// set's header is in the stream. `fetch_size` must be > 0.
    static Future<std::shared_ptr<ServerCursor>> open(std::shared_ptr<StatementState> statement,
                                                      std::span<const Value> params, std::uint32_t fetch_size,
                                                      const CommandLimits& limits);

    ServerCursor(std::shared_ptr<StatementState> statement, std::uint32_t fetch_size)
        : statement_(std::move(statement)), fetch_size_(fetch_size) {}
    ServerCursor(const ServerCursor&) = delete;
    ServerCursor& operator=(const ServerCursor&) = delete;
    ~ServerCursor() = default;

    [[nodiscard]] const std::shared_ptr<RowStream>& stream() const noexcept { return stream_; }

    // --- ReadFlow: the RowStream's consumer pace ------------------------------------------------
    bool pause_reading() override;
    bool resume_reading() override;

    /// What one COM_STMT_FETCH brought (its op calls this once): the end of rows' status flags
    /// and warnings and the number of rows, or why it failed.
    void fetched(std::uint16_t status_flags, std::uint16_t warnings, std::uint64_t rows, const Status& error);

private:
    void start(QueryResults opened);
    void fetch_more();
    void end_with(const Status& st);

    std::shared_ptr<StatementState> statement_;   // released (closed on the server) at the end
    std::uint32_t fetch_size_;
    std::shared_ptr<RowStream> stream_;
    StreamSetInfo set_;            // the cursor's one result set
    bool in_flight_ = false;       // a COM_STMT_FETCH is queued or on the wire
    bool paused_ = false;          // the consumer is behind: fetch nothing more for now
    bool done_ = false;            // the last row arrived, or the cursor failed or was discarded
};

}  // namespace uvmysql::detail

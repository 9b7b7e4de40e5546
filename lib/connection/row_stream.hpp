// SPDX-License-Identifier: MIT
// RowStream: the rows of an unbuffered (streamed) query, handed from the wire to SSCursor.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "common/status.hpp"
#include "connection/read_flow.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// What one result set of a stream reported once it ended (or at once, for an OK).
struct StreamSetInfo {
    std::shared_ptr<const std::vector<ColumnInfo>> columns;   // null for an OK
    std::uint64_t affected_rows = 0;
    std::uint64_t insert_id = 0;
    std::uint16_t warning_count = 0;
    std::uint64_t rows = 0;                                   // rows the set had
};

/// A single-consumer queue between the StreamQueryOp (producer, on the wire) and an SSCursor
/// (consumer). Memory stays flat: once `high_water` rows wait unread, the socket stops being
/// read until the consumer takes them down to `low_water` (TCP backpressure does the rest).
///
/// Flow of items: header(set 1) row* end(set 1) [header(set 2) row* end(set 2)]... then done.
/// The consumer has one request outstanding at a time; it is answered as soon as the items it
/// needs are there. A server or connection error fails the outstanding request and every later
/// one. discard() (cursor close, or another command queued behind the stream, as PyMySQL does)
/// drops what is left without decoding it.
class RowStream : public std::enable_shared_from_this<RowStream> {
public:
    static constexpr std::size_t high_water = 1024;
    static constexpr std::size_t low_water = 256;

    explicit RowStream(std::weak_ptr<ReadFlow> flow) : flow_(std::move(flow)) {}

    // --- consumer ----------------------------------------------------------------------------
    /// Resolves when the first result set's header (or its OK) has arrived.
    Future<void> first_set();
    /// The next row of the current set, or nullopt at its end.
    Future<std::optional<Row>> next_row();
    /// Up to `n` rows of the current set (fewer only at its end).
    Future<std::vector<Row>> next_rows(std::size_t n);
    /// Skips the rest of the current set; true when another set follows (now current).
    Future<bool> next_set();
    /// Drops everything left; resolves once the whole response has been read.
    Future<void> discard();
    /// The current set (columns known from its header; counts final once set_ended()).
    [[nodiscard]] const StreamSetInfo& current() const { return current_; }
    [[nodiscard]] bool set_ended() const { return current_ended_; }
    [[nodiscard]] bool finished() const { return done_ && rows_.empty() && marks_.empty(); }
    /// The most rows that ever waited unread (what flow control bounds).
    [[nodiscard]] std::size_t max_queued_rows() const { return max_queued_rows_; }

    // --- producer ----------------------------------------------------------------------------
    void push_header(StreamSetInfo info);
    void push_row(Row row);
    void push_end(const StreamSetInfo& info);
    /// The response is complete (ok) or broke (error Status).
    void finish(const Status& st);
    [[nodiscard]] bool discarding() const { return discarding_; }

private:
    // Rows wait in rows_; a set's header or end waits in marks_, with the number of rows pushed
    // before it, so that the queue of rows stays a plain queue of Rows (the bulk of the traffic).
    struct Mark {
        std::uint64_t after_rows;   // rows pushed before this mark
        bool header;                // a header, else an end
        StreamSetInfo info;
    };
    enum class Want { none, first_set, row, rows, set, discard };
    enum class Front { none, row, header, end };

    void serve();            // answers the outstanding request if it can
    void update_flow();      // pauses or resumes reading
    void fail_request(const Status& st);
    [[nodiscard]] Front front() const noexcept;
    [[nodiscard]] bool wants_rows() const noexcept { return want_ == Want::row || want_ == Want::rows; }
    [[nodiscard]] bool batch_full() const noexcept {
        return want_ == Want::row ? !batch_.empty() : batch_.size() >= want_n_;
    }
    void drop_front_row();
    StreamSetInfo pop_mark();

    std::weak_ptr<ReadFlow> flow_;   // the connection; empty in tests
    std::deque<Row> rows_;
    std::deque<Mark> marks_;
    std::uint64_t rows_pushed_ = 0;
    std::uint64_t rows_taken_ = 0;
    std::size_t max_queued_rows_ = 0;
    bool paused_ = false;
    bool done_ = false;
    bool discarding_ = false;
    Status error_;
    StreamSetInfo current_;
    bool current_ended_ = false;
    bool started_ = false;          // the first header was consumed

    Want want_ = Want::none;
    std::size_t want_n_ = 0;
    std::vector<Row> batch_;
    Promise<void> void_promise_;
    Promise<std::optional<Row>> row_promise_;
    Promise<std::vector<Row>> rows_promise_;
    Promise<bool> set_promise_;
};

}  // namespace uvmysql::detail

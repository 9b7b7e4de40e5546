// SPDX-License-Identifier: MIT
// SessionState: the part of a session that ops read and change — nothing of the socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connection/compressed_channel.hpp"
#include "connection/row_decoder.hpp"
#include "protocol/binary_row_decoder.hpp"
#include "protocol/column_cache.hpp"
#include "protocol/frame_writer.hpp"
#include "protocol/response.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/typed_row.hpp"

namespace uvmysql::detail {

/// What an op may know of its session: the options it was opened with, what the server
/// negotiated and reported, the column cache shared by consecutive statements, and the bytes
/// waiting to be sent. The runner (ConnectionImpl) owns one per connection; a scripted test
/// makes its own, so no op ever needs a socket.
struct SessionState {
    explicit SessionState(const ConnectOptions& opt)
        : options(&opt), converters(opt.conv.empty() ? nullptr : &opt.conv), charset(opt.charset), db(opt.db) {}

    const ConnectOptions* options;        // owned by the connection, outlives the session
    const Converters* converters;         // the user's converter overrides; null: none (fast path)

    // --- negotiated and reported by the server ----------------------------------------------
    std::uint64_t capabilities = 0;       // what the client announced (and the server offered)
    std::uint16_t status = 0;             // SERVER_STATUS_* of the last OK/EOF
    bool secure_channel = false;          // TLS is up or the socket is a unix socket (auth plugins)
    std::string server_version;
    bool is_mariadb = false;
    std::uint32_t thread_id = 0;
    std::string charset;                  // the effective connection charset
    std::optional<std::string> db;
    std::uint64_t insert_id = 0;
    std::uint64_t affected_rows = 0;

    /// The last result set's parsed columns and their decoders, reused while statements return
    /// byte-identical column definitions (one op on the wire at a time uses them).
    ColumnCache column_cache;
    RowDecoder row_decoder;
    BinaryRowDecoder binary_row_decoder;   // the same for prepared statements' binary rows

    /// The cursors' PEP 249 description of the last columns described on this connection,
    /// kept here so that a new cursor per query builds it once (type-erased: the cursor layer
    /// owns the type).
    std::shared_ptr<const std::vector<ColumnInfo>> described_columns;
    std::shared_ptr<const void> description;

    // --- buffers handed back by finished commands, for the next one (no malloc per query) ---
    /// A statement text's buffer (take_sql_buffer()).
    std::string spare_sql;
    /// A COM_STMT_EXECUTE payload's buffer (build_execute()).
    std::vector<std::uint8_t> spare_payload;
    /// What the active command hands a RowSink for each row (typed rows): the fields and, for
    /// binary rows, their text as the text protocol sends it, with where each field ends.
    struct SinkScratch {
        std::vector<FieldText> fields;
        std::string text;
        std::vector<std::size_t> ends;
    } sink_scratch;

    /// Keeps `buffer` as `spare` for reuse when it is larger and not oversized (a huge
    /// statement's buffer is freed, not held by the connection).
    template <class Buffer>
    static void recycle(Buffer& spare, Buffer&& buffer, std::size_t largest_kept = 64 * 1024) noexcept {
        if (buffer.capacity() > spare.capacity() && buffer.capacity() <= largest_kept) spare = std::move(buffer);
    }
    /// What recycle() keeps of a COM_STMT_(BULK_)EXECUTE payload: a bulk executemany's batch
    /// (~150 KB for 1,000 short rows) is reused rather than touching fresh pages each time, as
    /// the transport keeps its write buffer up to the same size.
    static constexpr std::size_t largest_kept_payload = 1024 * 1024;

    // --- outgoing bytes ----------------------------------------------------------------------
    /// Framed messages not yet handed to the transport; an op's write action sends them.
    std::vector<std::uint8_t> out;
    /// Sequence id of the next frame the client writes: 0 when an op starts, then the one after
    /// the server's last frame (the runner sets it before each message).
    std::uint8_t seq = 0;
    /// The compressed protocol, once the login negotiated it (HandshakeOp starts it at the OK).
    CompressedChannel compression;

    /// Appends one message whose payload `serialize(buffer)` appends in place.
    template <class Fn>
    void send(Fn&& serialize) {
        write_message(out, seq, std::forward<Fn>(serialize));
    }
    /// Records what an OK packet (or the OK ending a result set) reports.
    void apply_ok(const OkPacket& ok) {
        affected_rows = ok.affected_rows;
        insert_id = ok.last_insert_id;
        status = ok.status_flags;
    }
    /// Forgets what one session negotiated, before the connection opens a new one.
    void reset_for_new_session() {
        capabilities = 0;
        status = 0;
        secure_channel = false;
        out.clear();
        seq = 0;
        compression.stop();
    }
};

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// Op: one command's exchange with the server, driven by the connection's queue.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

class ConnectionImpl;

/// One command on the wire (a query, a ping, the handshake...). The connection runs the ops of
/// its queue one at a time: start() writes the request, then every message of the response goes
/// to on_message() until it says done; then the op is removed from the queue and finish()
/// resolves its future. Keeping the whole exchange inside one object is what lets a later
/// version pipeline requests, or cancel an op by letting it swallow the rest of its response
/// without resolving anything, and never desynchronise the stream.
class Op {
public:
    enum class Next { more, done };

    virtual ~Op() = default;

    /// Writes the request (the connection has reset the sequence id to 0).
    virtual void start(ConnectionImpl& conn) = 0;
    /// One message of the response. A non-ok Status means the stream can no longer be trusted:
    /// the connection closes and fails every op. Server errors (ERR packets) are not that: the op
    /// records them, returns done, and reports them from finish().
    virtual Status on_message(ConnectionImpl& conn, Bytes payload, Next& next) = 0;
    /// The TLS upgrade the op asked for finished (only the handshake asks).
    virtual Status on_tls_ready(ConnectionImpl&) { return Status::malformed("unexpected TLS upgrade"); }
    /// True for ops that expect no reply (COM_QUIT): done right after start().
    [[nodiscard]] virtual bool fire_and_forget() const { return false; }
    /// True for an unbuffered query: no other command may be queued behind it.
    [[nodiscard]] virtual bool is_stream() const { return false; }
    /// Size of the request message start() writes, when the caller chose it (a statement's
    /// text): checked against max_allowed_packet before the op is queued.
    [[nodiscard]] virtual std::size_t request_size() const { return 0; }
    /// Resolves the op's future with its outcome. Called once, after the op left the queue.
    virtual void finish() = 0;
    /// The connection failed or closed before the op was done: fail its future with `st`.
    virtual void fail(const Status& st) = 0;
};

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// Op: one command's exchange with the server as a resumable state machine over bytes (sans-I/O).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "async/block_cache.hpp"
#include "common/status.hpp"
#include "connection/session_state.hpp"
#include "protocol/bytes.hpp"
#include "uvmysql/detail/loop_timer.hpp"

namespace uvmysql::detail {
class CancelState;
}

namespace uvmysql::detail {

/// What an op asks its runner to do next. The bytes of write, tls_handshake and close are the
/// ones the op appended to SessionState::out.
enum class Action : std::uint8_t {
    write,           ///< send SessionState::out, then resume with the server's next message
    read,            ///< resume with the next message of the response
    tls_handshake,   ///< send SessionState::out, upgrade the stream to TLS, resume with the outcome
    close,           ///< send SessionState::out and close the session: the op is done (COM_QUIT)
    done,            ///< the response is complete; the op's outcome is inside it; the session is usable
    fail,            ///< the stream can no longer be trusted: close the session with fatal_error()
};

/// One command on the wire (a query, a ping, the handshake...), written as a state machine that
/// never sees the connection or the transport, only a SessionState: the runner (ConnectionImpl,
/// or a scripted test) calls resume() and carries out the Action it returns.
///
/// Flow: resume(s, ok, {}) first (s.seq is 0: the op writes its request, or reads when the
/// server speaks first); then after each action, resume() again with that action's outcome —
/// for write and read, the next message (every request is answered, so a write is always
/// followed by a read: one action, one resume less per command); for tls_handshake, an empty
/// message. A failed I/O step (the write or the read) resumes the op with the failure, and
/// the op ends with Action::fail and that error. Server
/// errors (ERR packets) are not failures of the stream: the op records them and ends with done.
/// Once done, the runner calls finish() (or fail() when the session closed under the op).
class Op {
public:
    virtual ~Op() = default;

    /// Ops come from per-thread free lists (one or two per command): not from malloc in
    /// steady state.
    static void* operator new(std::size_t size) { return cached_block_alloc(size); }
    /// Gives the op's block back (sized: deleting through Op* passes the dynamic type's size).
    static void operator delete(void* block, std::size_t size) noexcept { cached_block_free(block, size); }

    /// Advances the op; `message` is valid for this call only.
    Action resume(SessionState& s, const Status& io, Bytes message) {
        if (!io.ok()) return fail_with(io);   // a lost stream ends every op the same way
        return step(s, message);
    }
    /// Why the op ended with Action::fail.
    [[nodiscard]] const Status& fatal_error() const noexcept {
        static const Status none;
        return fatal_ ? *fatal_ : none;
    }

    /// True for an unbuffered query: no other command may be queued behind it.
    [[nodiscard]] virtual bool is_stream() const { return false; }
    /// Size of the request message the op writes, when the caller chose it (a statement's
    /// text): checked against max_allowed_packet before the op is queued.
    [[nodiscard]] virtual std::size_t request_size() const { return 0; }
    /// True for a statement (a query, an execute): once sent, a lost link leaves its outcome
    /// unknown (OutcomeUnknownError), where a ping or a prepare simply failed.
    [[nodiscard]] virtual bool runs_statement() const { return false; }
    /// Resolves the op's future with its outcome. Called once, after the op left the queue.
    virtual void finish() = 0;
    /// The session failed or closed before the op was done: fail its future with `st`.
    virtual void fail(const Status& st) = 0;

    /// What may interrupt the command, set before enqueue(): its time limit (nullopt: the
    /// connection's query_timeout) and a cancellation signal (none: null).
    std::optional<std::chrono::milliseconds> timeout;
    std::shared_ptr<CancelState> cancel_signal;
    /// May be written while the commands before it still wait for their replies, and may have
    /// others written behind it (ConnectOptions::pipeline, Connection::pipeline()). Only for a
    /// command whose whole request is its first write (a query, not LOCAL INFILE).
    bool pipelinable = false;
    /// The runner's bookkeeping of both (the op itself never looks at it).
    struct Interrupt {
        std::uint64_t id = 0;             // names the op to its timer's and signal's callbacks
        LoopTimer* timer = nullptr;       // armed until the limit passes or the op leaves
        std::chrono::milliseconds limit{0};
        std::uint64_t cancel_key = 0;     // its subscription to cancel_signal
        std::unique_ptr<Status> reason;   // set once interrupted: the error the op fails with
    } interrupt;

protected:
    /// One step with a good I/O outcome: `message` is empty at the start and after tls_handshake.
    virtual Action step(SessionState& s, Bytes message) = 0;
    Action fail_with(Status st) {
        fatal_ = std::make_unique<Status>(std::move(st));
        return Action::fail;
    }

private:
    // Allocated only when the op fails: an op that succeeds (nearly all) builds no Status here.
    std::unique_ptr<Status> fatal_;
};

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// Observer: hooks that let a host program turn statements, connects and pool waits into spans and metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "uvmysql/error.hpp"
#include "uvmysql/export.hpp"

namespace uvmysql {

/// The server side of an event, named after OpenTelemetry's database semantic conventions.
/// The views are valid during the Observer call only: copy what you keep.
struct UVMYSQL_API ServerInfo {
    /// `db.system`: "mariadb" or "mysql", from the server's version string; empty before the
    /// server's greeting arrived (a connect that failed early).
    std::string_view db_system;
    /// `net.peer.name`: the host name or address connected to; empty over a unix socket.
    std::string_view net_peer_name;
    /// `net.peer.port`: the TCP port; 0 over a unix socket.
    int net_peer_port = 0;
    /// `net.sock.peer.addr` for a unix socket: its path; empty over TCP.
    std::string_view net_sock_path;
    /// `db.name`: the session's current database; empty when none is selected.
    std::string_view db_name;
    /// The server's thread (connection) id, as `SELECT CONNECTION_ID()` gives it; 0 before login.
    std::uint32_t connection_id = 0;
};

/// Why an operation failed, when it did (`failed`); the errno, SQLSTATE and message are the ones
/// the operation's future fails with.
struct UVMYSQL_API ErrorInfo {
    /// True when the operation failed; the other members are meaningful only then.
    bool failed = false;
    /// The PEP 249 class of the error (the exception's class, see error_class_of()).
    ErrorClass error_class = ErrorClass::operational;
    /// The MySQL errno: a server ER_* number, a client CR_* number, or 0.
    int errno_code = 0;
    /// The five-character SQLSTATE.
    std::string_view sqlstate;
    /// The message, without the "ERROR n (state): " prefix.
    std::string_view message;
};

/// A statement about to be sent (Observer::on_query_start), and the same statement again when
/// it ended (Observer::on_query_end).
struct UVMYSQL_API QueryEvent {
    /// Where the statement runs.
    ServerInfo server;
    /// `db.statement`: the SQL text as sent (parameters already interpolated by a cursor); for
    /// a prepared statement its text with `?` placeholders.
    std::string_view statement;
    /// The server's id of a prepared statement (COM_STMT_EXECUTE); 0 for a text statement.
    std::uint32_t statement_id = 0;
    /// True for a prepared statement's execution (binary protocol).
    bool prepared = false;
    /// `db.operation`: the statement's first keyword, upper-cased ("SELECT", "INSERT", "CALL"),
    /// comments and opening parentheses skipped; empty when there is none.
    std::string_view db_operation;
    /// Free for the observer: set it in on_query_start() (a span id, an index) and read it back
    /// in on_query_end(), which gets the same value. 0 at the start.
    std::uint64_t user_token = 0;
};

/// How a statement ended (Observer::on_query_end).
struct UVMYSQL_API QueryOutcome {
    /// From the call that issued the statement to its reply read to the end (steady clock),
    /// time queued behind earlier commands on the connection included.
    std::chrono::nanoseconds duration{0};
    /// Rows the server returned, over every result set; for an unbuffered (SSCursor) result,
    /// counted as they arrive and reported once the result ended.
    std::uint64_t rows = 0;
    /// Rows changed: the sum of the affected-rows counts of the statements that returned no
    /// result set.
    std::uint64_t affected_rows = 0;
    /// Warnings the server reported, over every result.
    std::uint32_t warnings = 0;
    /// The error, when the statement failed (with a server error, a lost link, a time limit...).
    ErrorInfo error;
};

/// One attempt to open a session (Observer::on_connect): connect(), a reconnect by
/// ping(true), each host tried of ConnectOptions::hosts.
struct UVMYSQL_API ConnectEvent {
    /// The server tried; db_system and connection_id are known once the greeting arrived.
    ServerInfo server;
    /// From the start of the attempt to a usable session or the failure (steady clock): DNS,
    /// TCP, TLS, authentication and the session set-up statements.
    std::chrono::nanoseconds duration{0};
    /// Why the attempt failed, when it did.
    ErrorInfo error;
};

/// A session ended (Observer::on_close); reported only for sessions that were open.
struct UVMYSQL_API CloseEvent {
    /// The server the session was with.
    ServerInfo server;
    /// How long the session was open (steady clock).
    std::chrono::nanoseconds session_duration{0};
    /// True when the program closed it (close(), ensure_closed(), a pool retiring it).
    bool by_client = false;
    /// The cause when the link was lost (the server went away, a timeout, a malformed packet).
    ErrorInfo error;
};

/// How a Pool::acquire() wait ended.
enum class AcquireResult {
    acquired,   ///< a connection was handed over
    timed_out,  ///< PoolOptions::acquire_timeout passed (PoolTimeoutError)
    cancelled,  ///< its CancelSignal was cancelled (CancelledError)
    failed,     ///< the pool closed, or opening a connection for it failed
};

/// One Pool::acquire() that waited in the pool's queue (Observer::on_pool_acquire); calls
/// refused at once (a closed pool, max_waiting) are not reported.
struct UVMYSQL_API AcquireEvent {
    /// From the acquire() call to the hand-over or the failure (steady clock).
    std::chrono::nanoseconds wait{0};
    /// How the wait ended.
    AcquireResult result = AcquireResult::acquired;
    /// The connection handed over (its server thread id); 0 when none was.
    std::uint32_t connection_id = 0;
    /// The pool's connections after the event: open or being opened or checked (PoolStats::size).
    std::size_t size = 0;
    /// Free connections after the event (PoolStats::idle).
    std::size_t idle = 0;
    /// Callers still waiting after the event (PoolStats::waiting).
    std::size_t waiting = 0;
    /// PoolOptions::maxsize (0: unlimited).
    std::size_t maxsize = 0;
};

/// Receives what connections and pools do, in the shape of OpenTelemetry's database semantic
/// conventions (docs/observability.md maps each member to an attribute). Install one with
/// ConnectOptions::observer or PoolOptions::observer; every method has an empty default, so
/// override only what you need.
///
/// Every call is made on the loop thread, synchronously, in the middle of the library's work:
/// keep it short and do not wait for anything. An observer may read the Connection or Pool it
/// observes but should not issue commands from a callback. An exception thrown by a method is
/// caught and logged through the "uvmysql" logger; the connection carries on. One observer may
/// serve many connections and pools of one loop; to share one across loops, make it thread-safe.
class UVMYSQL_API Observer {
public:
    virtual ~Observer();

    /// A statement was issued: it is queued or written now. Called exactly once per reported
    /// statement, always followed by exactly one on_query_end() with the same event.
    virtual void on_query_start(QueryEvent& event);
    /// The statement ended: its reply was read to the end, or it failed (server error, lost
    /// link, time limit, cancelled, refused unsent). `event.user_token` is what on_query_start()
    /// left there.
    virtual void on_query_end(QueryEvent& event, const QueryOutcome& outcome);
    /// An attempt to open a session ended, with a usable session or an error.
    virtual void on_connect(const ConnectEvent& event);
    /// An open session ended; the statements it failed were reported before.
    virtual void on_close(const CloseEvent& event);
    /// A Pool::acquire() ended (PoolOptions::observer only).
    virtual void on_pool_acquire(const AcquireEvent& event);
};

}  // namespace uvmysql

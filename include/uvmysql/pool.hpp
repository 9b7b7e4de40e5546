// SPDX-License-Identifier: MIT
// Pool, PooledConnection and create_pool(): aiomysql's connection pool, with deadlines and metrics.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/cancel.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/pool_options.hpp"
#include "uvmysql/pool_stats.hpp"
#include "uvmysql/task.hpp"

struct uv_loop_s;

namespace uvmysql {

namespace detail {
class PoolState;
struct Access;

/// What Pool::with_connection()'s function may return: a Future<T>, or a Task<T> (started).
template <class R>
struct LentWork;
template <class T>
struct LentWork<Future<T>> {
    using value_type = T;
    static Future<T> start(Future<T> f) { return f; }
};
template <class T>
struct LentWork<Task<T>> {
    using value_type = T;
    static Future<T> start(Task<T> t) { return spawn(std::move(t)); }
};

/// Closes `conn` when `error` is a uvmysql Error for which is_fatal() holds, so that the pool
/// drops the connection instead of lending it again.
UVMYSQL_API void close_if_fatal(Connection& conn, const std::exception_ptr& error) noexcept;
}  // namespace detail
struct TransactionOptions;

/// acquire() waited longer than PoolOptions::acquire_timeout. errno 0, SQLSTATE HYT00 (ODBC's
/// "timeout expired"); the message tells the pool's occupancy at that moment. A TimeoutError,
/// so one handler catches it and with_timeout()'s.
class UVMYSQL_API PoolTimeoutError : public TimeoutError {
    using TimeoutError::TimeoutError;
};

/// acquire() found PoolOptions::max_waiting callers already waiting. errno 0, SQLSTATE HY000.
class UVMYSQL_API PoolQueueFullError : public OperationalError {
    using OperationalError::OperationalError;
};

/// A connection lent by a Pool: use it through `->` or `*`; it goes back to the pool when this
/// handle is destroyed, reassigned or release()d (RAII, like `async with pool.acquire()`).
///
/// Move-only. Do not keep copies of the Connection beyond the handle's life: once returned, the
/// session belongs to the pool (and to the next caller). On return, an open transaction is rolled
/// back; a connection that is closed, broken or still streaming an SSCursor result is closed
/// rather than reused. Call on the pool's loop thread.
class UVMYSQL_API PooledConnection {
public:
    /// An empty handle (valid() is false).
    PooledConnection() noexcept = default;
    /// Takes over `other`'s connection; `other` becomes empty.
    PooledConnection(PooledConnection&& other) noexcept;
    /// Returns the connection held so far, then takes `other`'s.
    PooledConnection& operator=(PooledConnection&& other) noexcept;
    PooledConnection(const PooledConnection&) = delete;
    PooledConnection& operator=(const PooledConnection&) = delete;
    /// Returns the connection to its pool.
    ~PooledConnection();

    /// True while the handle holds a connection.
    [[nodiscard]] bool valid() const noexcept { return pool_ != nullptr; }
    /// Same as valid().
    explicit operator bool() const noexcept { return valid(); }

    /// The lent connection's members: `pc->execute(...)`.
    [[nodiscard]] Connection* operator->() noexcept { return &conn_; }
    /// The lent connection's members, read-only.
    [[nodiscard]] const Connection* operator->() const noexcept { return &conn_; }
    /// The lent connection (an empty Connection once the handle is empty).
    [[nodiscard]] Connection& operator*() noexcept { return conn_; }
    /// The lent connection, read-only.
    [[nodiscard]] const Connection& operator*() const noexcept { return conn_; }
    /// The lent connection, as `*` gives it.
    [[nodiscard]] Connection& connection() noexcept { return conn_; }
    /// The lent connection, read-only.
    [[nodiscard]] const Connection& connection() const noexcept { return conn_; }

    /// Returns the connection to its pool now; the handle becomes empty. Idempotent.
    void release() noexcept;

private:
    friend struct detail::Access;   // the pool lends connections through it
    PooledConnection(std::shared_ptr<detail::PoolState> pool, Connection conn, std::uint64_t id) noexcept;

    std::shared_ptr<detail::PoolState> pool_;
    Connection conn_;
    std::uint64_t id_ = 0;
};

/// A pool of connections to one server (aiomysql.Pool). A cheap-to-copy handle: copies share the
/// pool. Every method must be called on the loop thread the pool was created on.
///
/// After create_pool() the pool holds `minsize` free connections and grows up to `maxsize` on
/// demand. acquire() hands out the most recently used free connection (closing those that are
/// broken or expired on the way), opens a new one when none is free and there is room, or waits:
/// waiters are served in the order they called.
///
/// Shutdown: close() stops acquisitions and closes connections as they come back; terminate()
/// closes the borrowed ones at once as well; wait_closed() resolves when every connection is
/// gone. Dropping the last Pool handle without closing it is safe: the pool closes itself (as
/// close()), and its state lives on until the borrowed connections have come back.
class UVMYSQL_API Pool {
public:
    /// An empty handle: acquire() fails with InterfaceError, properties read 0.
    Pool() = default;

    /// A connection from the pool. Resolves to a PooledConnection; fails with InterfaceError once
    /// the pool is closing, PoolTimeoutError after acquire_timeout, PoolQueueFullError when
    /// max_waiting callers already wait, or the connect() error (OperationalError...) when the
    /// connection opened for this call could not be opened.
    [[nodiscard]] Future<PooledConnection> acquire();
    /// acquire() that `signal` can cancel while it waits: the call leaves the waiters' queue and
    /// fails with CancelledError (errno 0, SQLSTATE HY008); at once if `signal` was cancelled.
    [[nodiscard]] Future<PooledConnection> acquire(const CancelSignal& signal);
    /// Returns `conn` to the pool (same as destroying it; aiomysql's release()).
    void release(PooledConnection conn);

    // --- one-call statements -------------------------------------------------------------------
    /// Runs `fn(conn)` with a connection from the pool and returns it to the pool when the work
    /// `fn` started is done, whether it succeeded, failed or threw. `fn` takes a Connection and
    /// returns a Future<T> or a Task<T> (a coroutine lambda: it is kept alive, captures and all,
    /// until its work is done). Resolves to that work's value; fails with acquire()'s errors or
    /// with the work's. Several statements on one connection, e.g. a transaction:
    /// `pool.with_connection([](Connection c) -> Task<> { co_await c.begin(); ... })`.
    /// The connection goes back under the pool's rules (rolled back if a transaction is open;
    /// closed rather than reused when it is broken); when the work fails with an error for which
    /// is_fatal() holds, it is closed first, so it is never lent again.
    template <class Fn>
    requires std::is_invocable_v<Fn&, Connection>
    [[nodiscard]] auto with_connection(Fn fn)
        -> Future<typename detail::LentWork<std::invoke_result_t<Fn&, Connection>>::value_type> {
        using Work = detail::LentWork<std::invoke_result_t<Fn&, Connection>>;
        using T = typename Work::value_type;
        return acquire().then([fn = std::move(fn)](PooledConnection lent) mutable -> Future<T> {
            auto body = std::make_unique<Fn>(std::move(fn));   // a stable address for a coroutine's captures
            Connection conn = *lent;
            Future<T> work = Work::start((*body)(conn));
            return std::move(work)
                .on_error([conn](std::exception_ptr e) mutable -> T {
                    detail::close_if_fatal(conn, e);
                    std::rethrow_exception(e);
                })
                .finally([lent = std::move(lent), body = std::move(body)]() mutable { lent.release(); });
        });
    }
    /// Connection::query() on a connection from the pool: acquire, run, fetch all rows, release
    /// (also on failure). Resolves to the rows of the result set; fails with acquire()'s errors
    /// or the statement's (ProgrammingError, IntegrityError...). `args` as for Cursor::execute().
    [[nodiscard]] Future<std::vector<Row>> query(std::string sql, Args args = {});
    /// query() with positional values given one by one: `pool.query("... WHERE id = %s", id)`.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<Row>> query(std::string sql, Vs&&... values) {
        return query(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }
    /// Connection::query_as() on a connection from the pool: the rows go straight into T (a
    /// std::tuple or a described struct, docs/values.md "Typed rows"); released as for query().
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> query_as(std::string sql, Vs&&... values) {
        return query_as<T>(RowMapping{}, std::move(sql), std::forward<Vs>(values)...);
    }
    /// query_as() with a RowMapping: `pool.query_as<User>(uvmysql::by_name, "SELECT ...", id)`.
    template <TypedRow T, class... Vs>
    requires detail::MaybeParameterValues<Vs...>
    [[nodiscard]] Future<std::vector<T>> query_as(const RowMapping& mapping, std::string sql, Vs&&... values) {
        return with_connection([mapping, sql = std::move(sql),
                                list = std::array<Value, sizeof...(Vs)>{Value(std::forward<Vs>(values))...}](
                                   Connection c) {
            return std::apply([&](const auto&... v) { return c.query_as<T>(mapping, sql, v...); }, list);
        });
    }
    /// Connection::execute() on a connection from the pool: resolves to the statement's outcome
    /// (affected_rows, insert_id, rows...). Released as for query().
    [[nodiscard]] Future<ResultSet> execute(std::string sql, Args args = {});
    /// execute() with positional values given one by one.
    template <class... Vs>
    requires detail::ParameterValues<Vs...>
    [[nodiscard]] Future<ResultSet> execute(std::string sql, Vs&&... values) {
        return execute(std::move(sql), Args(positional(std::forward<Vs>(values)...)));
    }

    /// Closes the free connections (COM_QUIT); acquire() opens new ones again as needed.
    /// Resolves when they are closed.
    [[nodiscard]] Future<void> clear();
    /// Stops new acquisitions (waiting ones fail with InterfaceError) and closes the free
    /// connections; borrowed ones are closed when they come back. Idempotent.
    void close();
    /// close(), and closes the borrowed connections at once too (their pending work fails).
    void terminate();
    /// Resolves once the pool is closed and every connection is gone. Fails with InterfaceError
    /// when called before close() or terminate() (as aiomysql raises).
    [[nodiscard]] Future<void> wait_closed();

    // --- properties (aiomysql's) -----------------------------------------------------------
    /// Connections the pool keeps open at least (PoolOptions::minsize).
    [[nodiscard]] std::size_t minsize() const;
    /// 0: unlimited.
    [[nodiscard]] std::size_t maxsize() const;
    /// Connections held: free + in use + being opened or checked.
    [[nodiscard]] std::size_t size() const;
    /// Free connections.
    [[nodiscard]] std::size_t freesize() const;
    /// Whether connections log their statements (ConnectOptions::echo).
    [[nodiscard]] bool echo() const;
    /// True once close() or terminate() was called.
    [[nodiscard]] bool closed() const;

    // --- uvmysql additions -----------------------------------------------------------------
    /// Runs `fn(Transaction&)` in a transaction on a connection of this pool: commits when its
    /// Future or Task succeeds, rolls back when it fails, then releases the connection. Defined
    /// in uvmysql/transaction.hpp, which must be included to call it (uvmysql.hpp is enough);
    /// see uvmysql::transaction() there.
    template <class Fn>
    auto transaction(Fn fn);
    /// As transaction(fn), beginning the transaction with `options`.
    template <class Fn>
    auto transaction(TransactionOptions options, Fn fn);
    /// A snapshot of gauges, counters and the acquire wait histogram (see PoolStats).
    [[nodiscard]] PoolStats stats() const;
    /// The pool's settings, as given to create_pool() (defaults for an empty handle).
    [[nodiscard]] const PoolOptions& options() const;
    /// The options each of its connections is opened with, as given to create_pool().
    [[nodiscard]] const ConnectOptions& connect_options() const;
    /// The libuv loop the pool runs on (null for an empty handle).
    [[nodiscard]] uv_loop_s* loop() const;

private:
    friend struct detail::Access;   // create_pool() makes it
    /// `handle` closes the pool when its last copy goes away.
    explicit Pool(std::shared_ptr<detail::PoolState> handle) noexcept : handle_(std::move(handle)) {}
    std::shared_ptr<detail::PoolState> handle_;
};

/// Creates a pool (aiomysql.create_pool): `options` are connect()'s, `pool_options` the pool's.
/// Opens `minsize` connections first and resolves once they are all open; fails with the first
/// connect() error if one of them cannot be opened (closing the others), or with
/// ProgrammingError when maxsize is not 0 and smaller than minsize. Call on the loop's thread.
[[nodiscard]] UVMYSQL_API Future<Pool> create_pool(uv_loop_s* loop, ConnectOptions options,
                                       PoolOptions pool_options = {});

}  // namespace uvmysql

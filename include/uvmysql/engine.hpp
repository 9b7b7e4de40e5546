// SPDX-License-Identifier: MIT
// Engine and create_engine() (aiomysql.sa): a pool of EngineConnections plus the server's dialect.
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "uvmysql/detail/unique_function.hpp"
#include "uvmysql/engine_connection.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/pool.hpp"
#include "uvmysql/pool_options.hpp"
#include "uvmysql/result_proxy.hpp"
#include "uvmysql/row_proxy.hpp"
#include "uvmysql/sql.hpp"
#include "uvmysql/task.hpp"
#include "uvmysql/transaction.hpp"

struct uv_loop_s;

namespace uvmysql {

namespace detail {
struct EngineState;
struct Access;
}

/// create_engine()'s pool settings: aiomysql.sa's minsize (1) and maxsize (10), and every
/// other PoolOptions setting.
using EngineOptions = PoolOptions;

namespace detail {

/// What Engine::connect()'s function may be: called with EngineConnection&, returning a Future
/// or a Task (AwaitedResult comes from transaction.hpp).
template <class Fn>
concept EngineBodyFn = std::is_invocable_v<Fn&, EngineConnection&> && requires {
    typename AwaitedResult<std::invoke_result_t<Fn&, EngineConnection&>>::type;
};
template <class Fn>
using EngineBodyResult = typename AwaitedResult<std::invoke_result_t<Fn&, EngineConnection&>>::type;

/// The body, type-erased before it enters a coroutine frame (see transaction.hpp's ScopeBody).
template <class T>
using EngineBody = UniqueFunction<Future<T>(EngineConnection&)>;

template <class Fn, class T = EngineBodyResult<Fn>>
EngineBody<T> erase_engine_body(Fn fn) {
    return EngineBody<T>([fn = std::move(fn)](EngineConnection& conn) mutable -> Future<T> {
        if constexpr (std::is_same_v<std::invoke_result_t<Fn&, EngineConnection&>, Task<T>>) {
            return spawn(fn(conn));
        } else {
            return fn(conn);
        }
    });
}

template <class T>
Task<T> run_engine_scope(Future<EngineConnection> acquired, EngineBody<T> body) {
    EngineConnection conn = co_await std::move(acquired);
    std::exception_ptr error;
    try {
        if constexpr (std::is_void_v<T>) {
            co_await body(conn);
            co_await conn.close();
            co_return;
        } else {
            T value = co_await body(conn);
            co_await conn.close();
            co_return value;
        }
    } catch (...) {
        error = std::current_exception();
    }
    Connection underlying = conn.connection();
    detail::close_if_fatal(underlying, error);  // a broken connection is dropped, not lent again
    co_await conn.close();                      // never fails
    std::rethrow_exception(error);
}

}  // namespace detail

/// A pool of connections and the dialect of the server they reach (aiomysql.sa.Engine). A
/// cheap handle: copies share the engine. Call on the loop thread it was created on.
class UVMYSQL_API Engine {
public:
    /// An empty handle: acquire() fails with InterfaceError, sizes read 0.
    Engine() = default;

    /// The dialect: "mariadb" or "mysql", from the server's handshake.
    [[nodiscard]] const std::string& name() const;
    /// "uvmysql".
    [[nodiscard]] const std::string& driver() const;
    /// Connections the pool keeps open at least (Pool::minsize()).
    [[nodiscard]] std::size_t minsize() const;
    /// The most connections the pool opens, 0 for unlimited (Pool::maxsize()).
    [[nodiscard]] std::size_t maxsize() const;
    /// Connections held: free + in use (Pool::size()).
    [[nodiscard]] std::size_t size() const;
    /// Free connections (Pool::freesize()).
    [[nodiscard]] std::size_t freesize() const;
    /// True once close() or terminate() was called.
    [[nodiscard]] bool closed() const;

    /// A connection from the pool. Fails as Pool::acquire() does (InterfaceError once closed,
    /// PoolTimeoutError, the connect error...).
    [[nodiscard]] Future<EngineConnection> acquire();
    /// Gives `conn` back: conn.close() (rollback of what is pending), not awaited. Not a coroutine,
    /// as in aiomysql.
    void release(EngineConnection conn);
    /// Runs `fn(EngineConnection&)` on a connection from the pool and closes that connection
    /// when the Future or Task `fn` returns has finished, whether it succeeded or failed (a
    /// connection left broken by the failure is dropped rather than reused). Resolves to what
    /// `fn`'s result resolves to; fails with acquire()'s errors or `fn`'s.
    template <detail::EngineBodyFn Fn>
    [[nodiscard]] Future<detail::EngineBodyResult<Fn>> connect(Fn fn) {
        using T = detail::EngineBodyResult<Fn>;
        return spawn(detail::run_engine_scope<T>(acquire(), detail::erase_engine_body(std::move(fn))));
    }

    /// Stops acquisitions; connections close as they come back. Not a coroutine.
    void close();
    /// close(), and closes the borrowed connections at once too.
    void terminate();
    /// Resolves once every connection is closed; InterfaceError before close()/terminate().
    [[nodiscard]] Future<void> wait_closed();

    /// The underlying pool.
    [[nodiscard]] Pool pool() const;

private:
    friend struct detail::Access;   // create_engine() makes it
    explicit Engine(std::shared_ptr<detail::EngineState> state) noexcept : state_(std::move(state)) {}
    std::shared_ptr<detail::EngineState> state_;
};

/// Creates an Engine (aiomysql.sa.create_engine): a pool of `engine_options.minsize` to
/// `maxsize` connections made with `options`, which get CLIENT_FOUND_ROWS added (rowcount of an
/// UPDATE is the rows matched, as SQLAlchemy's MySQL dialects arrange). Opens one connection to
/// learn the dialect, then resolves. Fails as create_pool() and connect() do.
[[nodiscard]] UVMYSQL_API Future<Engine> create_engine(uv_loop_s* loop, ConnectOptions options,
                                                       EngineOptions engine_options = {});

/// Runs CREATE TABLE IF NOT EXISTS for every table of `metadata`, in definition order.
[[nodiscard]] UVMYSQL_API Future<void> create_all(EngineConnection conn, const sql::MetaData& metadata);
/// Runs DROP TABLE IF EXISTS for every table of `metadata`, in reverse definition order.
[[nodiscard]] UVMYSQL_API Future<void> drop_all(EngineConnection conn, const sql::MetaData& metadata);
/// The same on a connection of `engine`, released afterwards.
[[nodiscard]] UVMYSQL_API Future<void> create_all(Engine engine, const sql::MetaData& metadata);
[[nodiscard]] UVMYSQL_API Future<void> drop_all(Engine engine, const sql::MetaData& metadata);

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Engine and create_engine(): the Pool underneath, the dialect, and create_all / drop_all.
#include "uvmysql/engine.hpp"

#include "common/access.hpp"
#include "engine/engine_state.hpp"

namespace uvmysql {

namespace {

const std::string& empty_string() {
    static const std::string none;
    return none;
}

Task<Engine> open_engine(uv_loop_s* loop, ConnectOptions options, EngineOptions engine_options) {
    options.client_flag |= client_flag::found_rows;
    Pool pool = co_await create_pool(loop, std::move(options), engine_options);
    auto state = std::make_shared<detail::EngineState>();
    state->pool = pool;
    try {
        PooledConnection probe = co_await pool.acquire();
        state->name = probe->is_mariadb() ? "mariadb" : "mysql";
    } catch (...) {
        pool.terminate();
        throw;
    }
    co_return detail::Access::make<Engine>(std::move(state));
}

Task<> run_all(EngineConnection conn, std::vector<sql::Compiled> statements) {
    for (auto& s : statements) co_await conn.execute(s);
}

// Not a coroutine: GCC 12 mishandles a lambda that moves from a coroutine parameter inside a
// co_await expression (the moved-from vector is destroyed twice).
Future<void> run_all_on(Engine engine, std::vector<sql::Compiled> statements) {
    return engine.connect([statements = std::move(statements)](EngineConnection& conn) mutable {
        return spawn(run_all(conn, std::move(statements)));
    });
}

template <class MakeStatements>
Future<std::vector<sql::Compiled>> statements_of(MakeStatements make) {
    try {
        return make_ready_future(make());
    } catch (...) {
        return make_exception_future<std::vector<sql::Compiled>>(std::current_exception());
    }
}

}  // namespace

const std::string& Engine::name() const { return state_ ? state_->name : empty_string(); }
const std::string& Engine::driver() const {
    static const std::string driver = "uvmysql";
    return driver;
}
std::size_t Engine::minsize() const { return state_ ? state_->pool.minsize() : 0; }
std::size_t Engine::maxsize() const { return state_ ? state_->pool.maxsize() : 0; }
std::size_t Engine::size() const { return state_ ? state_->pool.size() : 0; }
std::size_t Engine::freesize() const { return state_ ? state_->pool.freesize() : 0; }
bool Engine::closed() const { return !state_ || state_->pool.closed(); }
Pool Engine::pool() const { return state_ ? state_->pool : Pool(); }

Future<EngineConnection> Engine::acquire() {
    if (!state_) return make_exception_future<EngineConnection>(InterfaceError(0, "HY000", "empty Engine"));
    return state_->pool.acquire().then([](PooledConnection lent) {
        auto s = std::make_shared<detail::EngineConnectionState>();
        s->conn = *lent;
        s->lent = std::move(lent);
        return detail::Access::make<EngineConnection>(std::move(s));
    });
}

void Engine::release(EngineConnection conn) { conn.close().detach(); }

void Engine::close() {
    if (state_) state_->pool.close();
}
void Engine::terminate() {
    if (state_) state_->pool.terminate();
}
Future<void> Engine::wait_closed() {
    if (!state_) return make_exception_future<void>(InterfaceError(0, "HY000", "empty Engine"));
    return state_->pool.wait_closed();
}

Future<Engine> create_engine(uv_loop_s* loop, ConnectOptions options, EngineOptions engine_options) {
    return spawn(open_engine(loop, std::move(options), engine_options));
}

Future<void> create_all(EngineConnection conn, const sql::MetaData& metadata) {
    return statements_of([&] { return sql::create_all_statements(metadata); })
        .then([conn](std::vector<sql::Compiled> s) { return spawn(run_all(conn, std::move(s))); });
}
Future<void> drop_all(EngineConnection conn, const sql::MetaData& metadata) {
    return statements_of([&] { return sql::drop_all_statements(metadata); })
        .then([conn](std::vector<sql::Compiled> s) { return spawn(run_all(conn, std::move(s))); });
}
Future<void> create_all(Engine engine, const sql::MetaData& metadata) {
    return statements_of([&] { return sql::create_all_statements(metadata); })
        .then([engine](std::vector<sql::Compiled> s) { return run_all_on(engine, std::move(s)); });
}
Future<void> drop_all(Engine engine, const sql::MetaData& metadata) {
    return statements_of([&] { return sql::drop_all_statements(metadata); })
        .then([engine](std::vector<sql::Compiled> s) { return run_all_on(engine, std::move(s)); });
}

}  // namespace uvmysql

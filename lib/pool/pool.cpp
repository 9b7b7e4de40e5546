// SPDX-License-Identifier: MIT
// Pool and PooledConnection (the public handles) and create_pool().
#include "uvmysql/pool.hpp"

#include <utility>

#include "common/access.hpp"
#include "connection/connection_impl.hpp"
#include "pool/pool_state.hpp"

namespace uvmysql {

namespace {

std::exception_ptr empty_pool_error() {
    return std::make_exception_ptr(
        InterfaceError(0, "HY000", "empty Pool handle (not made by create_pool())"));
}

const PoolOptions default_pool_options;
const ConnectOptions default_connect_options;

}  // namespace

// ---- PooledConnection -----------------------------------------------------------------------

PooledConnection::PooledConnection(std::shared_ptr<detail::PoolState> pool, Connection conn,
                                   std::uint64_t id) noexcept
    : pool_(std::move(pool)), conn_(std::move(conn)), id_(id) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(std::move(other.pool_)), conn_(std::exchange(other.conn_, Connection())), id_(other.id_) {
    other.pool_.reset();
}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
    if (this != &other) {
        release();
        pool_ = std::move(other.pool_);
        other.pool_.reset();
        conn_ = std::exchange(other.conn_, Connection());
        id_ = other.id_;
    }
    return *this;
}

PooledConnection::~PooledConnection() { release(); }

void PooledConnection::release() noexcept {
    if (!pool_) return;
    std::shared_ptr<detail::PoolState> pool = std::move(pool_);
    pool_.reset();
    if (detail::Access::impl(conn_)) ++detail::Access::impl(conn_)->pool_returns;   // what the borrower began ends here
    conn_ = Connection();
    pool->release(id_);
}

// ---- Pool -----------------------------------------------------------------------------------

Future<PooledConnection> Pool::acquire() {
    if (!handle_) return make_exception_future<PooledConnection>(empty_pool_error());
    return handle_->acquire(nullptr);
}

Future<PooledConnection> Pool::acquire(const CancelSignal& signal) {
    if (!handle_) return make_exception_future<PooledConnection>(empty_pool_error());
    return handle_->acquire(detail::Access::state(signal));
}

void Pool::release(PooledConnection conn) { conn.release(); }

Future<void> Pool::clear() {
    if (!handle_) return make_exception_future<void>(empty_pool_error());
    return handle_->clear();
}

void Pool::close() {
    if (handle_) handle_->close();
}

void Pool::terminate() {
    if (handle_) handle_->terminate();
}

Future<void> Pool::wait_closed() {
    if (!handle_) return make_exception_future<void>(empty_pool_error());
    return handle_->wait_closed();
}

std::size_t Pool::minsize() const { return handle_ ? handle_->options().minsize : 0; }
std::size_t Pool::maxsize() const { return handle_ ? handle_->options().maxsize : 0; }
std::size_t Pool::size() const { return handle_ ? handle_->size() : 0; }
std::size_t Pool::freesize() const { return handle_ ? handle_->freesize() : 0; }
bool Pool::echo() const { return handle_ && handle_->connect_options().echo; }
bool Pool::closed() const { return !handle_ || handle_->closing(); }
PoolStats Pool::stats() const { return handle_ ? handle_->stats() : PoolStats{}; }
const PoolOptions& Pool::options() const { return handle_ ? handle_->options() : default_pool_options; }

const ConnectOptions& Pool::connect_options() const {
    return handle_ ? handle_->connect_options() : default_connect_options;
}

uv_loop_s* Pool::loop() const { return handle_ ? handle_->loop() : nullptr; }

// ---- create_pool ----------------------------------------------------------------------------

Future<Pool> create_pool(uv_loop_s* loop, ConnectOptions options, PoolOptions pool_options) {
    if (pool_options.maxsize != 0 && pool_options.minsize > pool_options.maxsize) {
        return make_exception_future<Pool>(
            ProgrammingError(0, "HY000", "maxsize should be not less than minsize (or 0: unlimited)"));
    }
    auto state = std::make_shared<detail::PoolState>(loop, std::move(options), pool_options);
    return state->start().then([state]() {
        // The Pool handles share one reference of their own: when the last handle goes, its
        // deleter closes the pool. Lent connections and background tasks hold the state itself,
        // so it lives on until they are done.
        detail::PoolState* raw = state.get();
        return detail::Access::make<Pool>(
            std::shared_ptr<detail::PoolState>(raw, [keep = state](detail::PoolState* s) { s->close(); }));
    });
}

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Pool without a server: option checks, empty handles, shutdown of an empty pool, and connection
// attempts that are refused or never answered (a silent listener on the loopback).
#include <gtest/gtest.h>
#include <uv.h>

#include <vector>

#include "run_until.hpp"
#include "uvmysql/pool.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

/// A TCP listener on 127.0.0.1 that accepts connections and never sends a byte: a server whose
/// handshake never comes. close() it, then run the loop, before the loop is closed.
class SilentServer {
public:
    explicit SilentServer(uv_loop_t* loop) : listener_(new uv_tcp_t) {
        uv_tcp_init(loop, listener_);
        listener_->data = this;
        sockaddr_in addr{};
        uv_ip4_addr("127.0.0.1", 0, &addr);
        EXPECT_EQ(uv_tcp_bind(listener_, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
        EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 16, &SilentServer::on_connection), 0);
        sockaddr_storage bound{};
        int len = sizeof bound;
        uv_tcp_getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &len);
        port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    ~SilentServer() { close(); }

    [[nodiscard]] int port() const { return port_; }

    void close() {
        if (listener_ == nullptr) return;
        for (uv_tcp_t* c : clients_) uv_close(reinterpret_cast<uv_handle_t*>(c), &SilentServer::free_handle);
        clients_.clear();
        uv_close(reinterpret_cast<uv_handle_t*>(listener_), &SilentServer::free_handle);
        listener_ = nullptr;
    }

private:
    static void free_handle(uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); }

    static void on_connection(uv_stream_t* server, int status) {
        if (status < 0) return;
        auto* self = static_cast<SilentServer*>(server->data);
        auto* client = new uv_tcp_t;
        uv_tcp_init(server->loop, client);
        if (uv_accept(server, reinterpret_cast<uv_stream_t*>(client)) == 0) {
            self->clients_.push_back(client);
        } else {
            uv_close(reinterpret_cast<uv_handle_t*>(client), &SilentServer::free_handle);
        }
    }

    uv_tcp_t* listener_;
    std::vector<uv_tcp_t*> clients_;
    int port_ = 0;
};

ConnectOptions loopback(int port) {
    ConnectOptions opt;
    opt.host = "127.0.0.1";
    opt.port = port;
    opt.user = "nobody";
    opt.connect_timeout = 300ms;
    return opt;
}

PoolOptions sized(std::size_t minsize, std::size_t maxsize) {
    PoolOptions po;
    po.minsize = minsize;
    po.maxsize = maxsize;
    return po;
}

TEST(PoolOptionsCheck, MinsizeAboveMaxsizeFailsAtOnce) {
    TestLoop loop;
    Future<Pool> f = create_pool(loop.get(), loopback(1), sized(3, 2));
    ASSERT_TRUE(f.is_ready());
    EXPECT_THROW((void)std::move(f).get(), ProgrammingError);
}

TEST(PoolOptionsCheck, DefaultsFollowAiomysql) {
    const PoolOptions po;
    EXPECT_EQ(po.minsize, 1u);
    EXPECT_EQ(po.maxsize, 10u);
    EXPECT_LT(po.pool_recycle.count(), 0);
    EXPECT_LT(po.acquire_timeout.count(), 0);
    EXPECT_EQ(po.reset_on_return, ResetMode::none);
}

TEST(PoolHandle, EmptyHandleFailsCleanly) {
    Pool pool;
    EXPECT_TRUE(pool.closed());
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.maxsize(), 0u);
    EXPECT_EQ(pool.loop(), nullptr);
    EXPECT_THROW((void)pool.acquire().get(), InterfaceError);
    EXPECT_THROW(pool.wait_closed().get(), InterfaceError);
    pool.close();
    pool.terminate();
    EXPECT_EQ(pool.stats().created, 0u);
    PooledConnection none;
    EXPECT_FALSE(none.valid());
    none.release();  // no-op
    EXPECT_FALSE(static_cast<bool>(none));
}

TEST(PoolShutdown, EmptyPoolClosesWithoutIo) {
    TestLoop loop;
    Pool pool = run_until(loop.get(), create_pool(loop.get(), loopback(1), sized(0, 4)));
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.loop(), loop.get());
    EXPECT_EQ(pool.connect_options().port, 1);
    EXPECT_THROW(run_until(loop.get(), pool.wait_closed()), InterfaceError);
    run_until(loop.get(), pool.clear());
    pool.close();
    pool.close();  // idempotent
    EXPECT_TRUE(pool.closed());
    run_until(loop.get(), pool.wait_closed());
    EXPECT_THROW((void)run_until(loop.get(), pool.acquire()), InterfaceError);
    EXPECT_EQ(loop.close(), 0);
}

TEST(PoolConnectFailure, EachWaiterGetsTheConnectError) {
    TestLoop loop;
    Pool pool = run_until(loop.get(), create_pool(loop.get(), loopback(1), sized(0, 1)));
    std::vector<Future<PooledConnection>> waiting;
    for (int i = 0; i < 3; ++i) waiting.push_back(pool.acquire());
    for (auto& f : waiting) {
        try {
            (void)run_until(loop.get(), std::move(f));
            ADD_FAILURE() << "connected to a closed port";
        } catch (const OperationalError& e) {
            EXPECT_EQ(e.errno_code(), 2003);
        }
    }
    EXPECT_EQ(pool.stats().failed, 3u);
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.stats().waiting, 0u);
    pool.close();
    run_until(loop.get(), pool.wait_closed());
    EXPECT_EQ(loop.close(), 0);
}

TEST(PoolConnectFailure, CreatePoolFailsWithTheFirstError) {
    TestLoop loop;
    EXPECT_THROW((void)run_until(loop.get(), create_pool(loop.get(), loopback(1), sized(2, 2))),
                 OperationalError);
    EXPECT_EQ(loop.close(), 0);
}

TEST(PoolWaiting, AcquireTimeoutWhileTheServerIsSilent) {
    TestLoop loop;
    SilentServer server(loop.get());
    PoolOptions po = sized(0, 1);
    po.acquire_timeout = 50ms;
    Pool pool = run_until(loop.get(), create_pool(loop.get(), loopback(server.port()), po));
    try {
        (void)run_until(loop.get(), pool.acquire());
        ADD_FAILURE() << "acquired from a silent server";
    } catch (const PoolTimeoutError& e) {
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_NE(e.message().find("size 1 of 1"), std::string::npos) << e.what();
    }
    EXPECT_EQ(pool.stats().acquire_timeouts, 1u);
    EXPECT_EQ(pool.stats().opening, 1u);  // the attempt goes on, within connect_timeout
    pool.close();
    run_until(loop.get(), pool.wait_closed());  // waits for that attempt to end
    EXPECT_EQ(pool.stats().opening, 0u);
    EXPECT_EQ(pool.stats().failed, 1u);
    server.close();
    EXPECT_EQ(loop.close(), 0);
}

TEST(PoolWaiting, MaxWaitingRejectsAndTerminateFailsWaiters) {
    TestLoop loop;
    SilentServer server(loop.get());
    PoolOptions po = sized(0, 1);
    po.max_waiting = 2;
    Pool pool = run_until(loop.get(), create_pool(loop.get(), loopback(server.port()), po));
    Future<PooledConnection> first = pool.acquire();
    Future<PooledConnection> second = pool.acquire();
    Future<PooledConnection> third = pool.acquire();
    ASSERT_TRUE(third.is_ready());
    EXPECT_THROW((void)std::move(third).get(), PoolQueueFullError);
    EXPECT_EQ(pool.stats().waiting, 2u);
    EXPECT_EQ(pool.stats().rejected, 1u);
    pool.terminate();
    EXPECT_THROW((void)run_until(loop.get(), std::move(first)), InterfaceError);
    EXPECT_THROW((void)run_until(loop.get(), std::move(second)), InterfaceError);
    run_until(loop.get(), pool.wait_closed());
    server.close();
    EXPECT_EQ(loop.close(), 0);
}

TEST(PoolShutdown, DroppingTheLastHandleFailsWaiters) {
    TestLoop loop;
    SilentServer server(loop.get());
    Future<PooledConnection> waiting;
    {
        Pool pool = run_until(loop.get(), create_pool(loop.get(), loopback(server.port()), sized(0, 1)));
        waiting = pool.acquire();
    }
    EXPECT_THROW((void)run_until(loop.get(), std::move(waiting)), InterfaceError);
    server.close();
    EXPECT_EQ(loop.close(), 0);  // the attempt in flight ends by connect_timeout
}

}  // namespace
}  // namespace uvmysql::test

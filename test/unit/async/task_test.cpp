// SPDX-License-Identifier: MIT
// Tests for Task<T>: lazy start, co_await on futures and tasks, exceptions, spawn, abandonment, depth.
#include "uvmysql/task.hpp"

#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "run_until.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"

namespace {

using namespace std::chrono_literals;
using uvmysql::Future;
using uvmysql::InterfaceError;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::OperationalError;
using uvmysql::Promise;
using uvmysql::spawn;
using uvmysql::Task;
using uvmysql::test::run_until;
using uvmysql::test::TestLoop;

// Counts live instances: a frame that is destroyed destroys its locals.
struct FrameLocal {
    static inline int alive = 0;
    FrameLocal() noexcept { ++alive; }
    FrameLocal(const FrameLocal&) = delete;
    ~FrameLocal() { --alive; }
};

Task<int> add_one(Future<int> f) { co_return co_await std::move(f) + 1; }

TEST(Task, IsLazyUntilSpawned) {
    bool ran = false;
    auto body = [](bool& flag) -> Task<> {
        flag = true;
        co_return;
    };
    Task<> t = body(ran);
    EXPECT_FALSE(ran);
    Future<void> f = spawn(std::move(t));
    EXPECT_TRUE(ran) << "spawn from plain code runs the task up to its first suspension";
    EXPECT_TRUE(f.is_ready());
}

TEST(Task, UnstartedTaskIsDestroyedWithoutRunning) {
    FrameLocal::alive = 0;
    bool ran = false;
    {
        auto body = [](bool& flag) -> Task<int> {
            FrameLocal local;
            flag = true;
            co_return 1;
        };
        Task<int> t = body(ran);
    }
    EXPECT_FALSE(ran);
    EXPECT_EQ(FrameLocal::alive, 0);
}

TEST(Task, AwaitsReadyFutureWithoutSuspending) {
    Future<int> f = spawn(add_one(make_ready_future(41)));
    ASSERT_TRUE(f.is_ready());
    EXPECT_EQ(std::move(f).get(), 42);
}

TEST(Task, AwaitsPendingFuture) {
    Promise<int> p;
    Future<int> f = spawn(add_one(p.get_future()));
    EXPECT_FALSE(f.is_ready());
    p.set_value(1);
    ASSERT_TRUE(f.is_ready());
    EXPECT_EQ(std::move(f).get(), 2);
}

TEST(Task, AwaitsVoidFutureAndReturnsVoid) {
    Promise<void> p;
    int steps = 0;
    auto body = [](Future<void> f, int& n) -> Task<> {
        ++n;
        co_await std::move(f);
        ++n;
    };
    Future<void> done = spawn(body(p.get_future(), steps));
    EXPECT_EQ(steps, 1);
    p.set_value();
    EXPECT_EQ(steps, 2);
    EXPECT_TRUE(done.is_ready());
    EXPECT_FALSE(done.failed());
}

TEST(Task, AwaitsLvalueFuturesStartedEarlier) {
    Promise<int> a;
    Promise<int> b;
    auto body = [](Future<int> x, Future<int> y) -> Task<int> {
        int first = co_await y;  // both operations were started before either is awaited
        int second = co_await x;
        co_return first * 10 + second;
    };
    Future<int> f = spawn(body(a.get_future(), b.get_future()));
    a.set_value(1);
    b.set_value(2);
    EXPECT_EQ(std::move(f).get(), 21);
}

TEST(Task, MoveOnlyResults) {
    auto make = [](Future<std::unique_ptr<int>> f) -> Task<std::unique_ptr<int>> {
        std::unique_ptr<int> p = co_await std::move(f);
        *p += 1;
        co_return p;
    };
    Future<std::unique_ptr<int>> f = spawn(make(make_ready_future(std::make_unique<int>(1))));
    EXPECT_EQ(*std::move(f).get(), 2);
}

Task<std::string> inner(Future<std::string> f) { co_return co_await std::move(f) + "!"; }

Task<std::size_t> outer(Future<std::string> f) {
    std::string s = co_await inner(std::move(f));
    co_return s.size();
}

TEST(Task, AwaitsNestedTask) {
    Promise<std::string> p;
    Future<std::size_t> f = spawn(outer(p.get_future()));
    EXPECT_FALSE(f.is_ready());
    p.set_value("four");
    EXPECT_EQ(std::move(f).get(), 5u);
}

TEST(Task, AwaitsNestedVoidTaskAndLvalueTask) {
    int counter = 0;
    auto bump = [](int& n) -> Task<> {
        ++n;
        co_return;
    };
    auto body = [bump](int& n) -> Task<int> {
        co_await bump(n);
        Task<> again = bump(n);
        co_await again;
        co_return n;
    };
    EXPECT_EQ(spawn(body(counter)).get(), 2);
}

TEST(Task, ExceptionFailsSpawnedFuture) {
    auto body = []() -> Task<int> {
        co_await make_ready_future();
        throw OperationalError(2006, "HY000", "MySQL server has gone away");
    };
    Future<int> f = spawn(body());
    ASSERT_TRUE(f.failed());
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(Task, AwaitedFailureThrowsInsideAndCanBeCaught) {
    auto body = [](Future<int> f) -> Task<std::string> {
        try {
            co_await std::move(f);
        } catch (const OperationalError& e) {
            co_return "caught " + std::to_string(e.errno_code());
        }
        co_return "not thrown";
    };
    EXPECT_EQ(spawn(body(make_exception_future<int>(OperationalError(2013, "HY000", "lost")))).get(),
              "caught 2013");
}

TEST(Task, ExceptionCrossesNestedTasks) {
    auto leaf = []() -> Task<int> {
        throw std::runtime_error("leaf failed");
        co_return 0;
    };
    auto middle = [leaf]() -> Task<int> { co_return co_await leaf() + 1; };
    auto top = [middle]() -> Task<std::string> {
        try {
            co_await middle();
        } catch (const std::runtime_error& e) {
            co_return e.what();
        }
        co_return "";
    };
    EXPECT_EQ(spawn(top()).get(), "leaf failed");
}

TEST(Task, SpawnedFutureComposesWithThen) {
    Promise<int> p;
    Future<int> f = spawn(add_one(p.get_future())).then([](int v) { return v * 2; });
    p.set_value(4);
    EXPECT_EQ(std::move(f).get(), 10);
}

TEST(Task, AwaitsFutureChainsBuiltWithThen) {
    auto body = [](Future<int> f) -> Task<int> {
        co_return co_await std::move(f).then([](int v) { return make_ready_future(v + 1); }).then([](int v) {
            return v * 3;
        });
    };
    Promise<int> p;
    Future<int> f = spawn(body(p.get_future()));
    p.set_value(1);
    EXPECT_EQ(std::move(f).get(), 6);
}

Task<> log_entry(std::vector<std::string>& log) {
    log.push_back("task body");
    co_return;
}

TEST(Task, SpawnInsideContinuationStartsAfterItReturns) {
    std::vector<std::string> log;
    make_ready_future()
        .then([&log] {
            spawn(log_entry(log)).detach();
            log.push_back("continuation returns");
        })
        .detach();
    EXPECT_EQ(log, (std::vector<std::string>{"continuation returns", "task body"}));
}

// ---- abandonment: frames are freed, nothing leaks (checked by the ASan build) -------------------

TEST(Task, AbandonedTaskGetsBrokenPromiseAndIsFreed) {
    FrameLocal::alive = 0;
    auto body = [](Future<int> f) -> Task<int> {
        FrameLocal local;
        co_return co_await std::move(f);
    };
    Future<int> result;
    {
        Promise<int> never;
        result = spawn(body(never.get_future()));
        EXPECT_EQ(FrameLocal::alive, 1) << "suspended with its local alive";
    }
    EXPECT_EQ(FrameLocal::alive, 0) << "the frame ran to its end and was destroyed";
    ASSERT_TRUE(result.failed());
    try {
        static_cast<void>(std::move(result).get());
        FAIL() << "expected broken promise";
    } catch (const InterfaceError& e) {
        EXPECT_EQ(e.message(), "broken promise");
    }
}

TEST(Task, AbandonedNestedTasksAreAllFreed) {
    FrameLocal::alive = 0;
    auto leaf = [](Future<void> f) -> Task<> {
        FrameLocal local;
        co_await std::move(f);
    };
    auto parent = [leaf](Future<void> f) -> Task<int> {
        FrameLocal local;
        co_await leaf(std::move(f));
        co_return 1;
    };
    Future<int> result;
    {
        Promise<void> never;
        result = spawn(parent(never.get_future()));
        EXPECT_EQ(FrameLocal::alive, 2);
    }
    EXPECT_EQ(FrameLocal::alive, 0);
    EXPECT_THROW(static_cast<void>(std::move(result).get()), InterfaceError);
}

TEST(Task, DetachedSpawnRunsToCompletionAndFreesItself) {
    FrameLocal::alive = 0;
    int finished = 0;
    auto body = [](Future<void> f, int& done) -> Task<> {
        FrameLocal local;
        co_await std::move(f);
        ++done;
    };
    Promise<void> p;
    spawn(body(p.get_future(), finished)).detach();
    EXPECT_EQ(FrameLocal::alive, 1);
    p.set_value();
    EXPECT_EQ(finished, 1);
    EXPECT_EQ(FrameLocal::alive, 0);
}

// ---- depth: the run queue, not the stack -------------------------------------------------------

constexpr int deep = 100'000;

Task<int> nest(int depth) {
    if (depth == 0) co_return 0;
    co_return co_await nest(depth - 1) + 1;
}

TEST(Task, HundredThousandNestedTasks) { EXPECT_EQ(spawn(nest(deep)).get(), deep); }

TEST(Task, HundredThousandAwaitsOfReadyFutures) {
    auto body = []() -> Task<long> {
        long sum = 0;
        for (int i = 0; i < deep; ++i) sum += co_await make_ready_future(1);
        co_return sum;
    };
    EXPECT_EQ(spawn(body()).get(), deep);
}

TEST(Task, HundredThousandAwaitsOfFuturesReadiedInTurn) {
    auto body = [](std::vector<Promise<int>>& ps) -> Task<long> {
        long sum = 0;
        for (auto& p : ps) sum += co_await p.get_future();
        co_return sum;
    };
    std::vector<Promise<int>> promises(deep);
    Future<long> f = spawn(body(promises));
    for (auto& p : promises) p.set_value(1);
    EXPECT_EQ(std::move(f).get(), deep);
}

TEST(Task, HundredThousandNestedTasksWaitingOnOnePromise) {
    struct Deep {
        static Task<int> run(int depth, Future<int>& leaf) {
            if (depth == 0) co_return co_await std::move(leaf);
            co_return co_await run(depth - 1, leaf) + 1;
        }
    };
    Promise<int> p;
    Future<int> leaf = p.get_future();
    Future<int> f = spawn(Deep::run(deep, leaf));
    EXPECT_FALSE(f.is_ready());
    p.set_value(0);  // unwinds 100,000 frames from one set_value()
    EXPECT_EQ(std::move(f).get(), deep);
}

// ---- with a real loop --------------------------------------------------------------------------

TEST(Task, SleepsAndTimesOutOnTheLoop) {
    TestLoop loop;
    auto body = [](uv_loop_t* l) -> Task<std::string> {
        co_await uvmysql::sleep_for(l, 5ms);
        Promise<int> never;
        try {
            co_await uvmysql::with_timeout(l, 5ms, never.get_future());
        } catch (const OperationalError& e) {
            co_return e.message();
        }
        co_return "no timeout";
    };
    EXPECT_EQ(run_until(loop.get(), spawn(body(loop.get()))), "operation timed out after 5 ms");
    EXPECT_EQ(loop.close(), 0);
}

TEST(Task, ManyConcurrentTasksOnTheLoop) {
    TestLoop loop;
    auto worker = [](uv_loop_t* l, int i) -> Task<int> {
        co_await uvmysql::sleep_for(l, std::chrono::milliseconds(i % 5));
        co_return i;
    };
    std::vector<Future<int>> futures;
    for (int i = 0; i < 100; ++i) futures.push_back(spawn(worker(loop.get(), i)));
    std::vector<int> values = run_until(loop.get(), uvmysql::when_all(std::move(futures)));
    ASSERT_EQ(values.size(), 100u);
    EXPECT_EQ(values[57], 57);
    EXPECT_EQ(loop.close(), 0);
}

}  // namespace

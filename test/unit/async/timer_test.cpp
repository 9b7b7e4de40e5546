// SPDX-License-Identifier: MIT
// Tests for with_timeout() and sleep_for() on a real uv loop, and for the run_until() helper.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <string>

#include "run_until.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"

namespace {

using namespace std::chrono_literals;
using uvmysql::Future;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::OperationalError;
using uvmysql::Promise;
using uvmysql::sleep_for;
using uvmysql::with_timeout;
using uvmysql::test::run_until;
using uvmysql::test::TestLoop;

TEST(SleepFor, ResolvesAfterDelayAndLoopClosesCleanly) {
    TestLoop loop;
    const auto start = uv_now(loop.get());
    Future<void> f = sleep_for(loop.get(), 20ms);
    EXPECT_FALSE(f.is_ready()) << "a timer never fires inside the call that starts it";
    run_until(loop.get(), std::move(f));
    EXPECT_GE(uv_now(loop.get()) - start, 20u);
    EXPECT_EQ(loop.close(), 0);
}

TEST(SleepFor, ContinuationsRunFromTheTimerCallback) {
    TestLoop loop;
    std::string order;
    Future<void> f = sleep_for(loop.get(), 5ms)
                         .then([&order] { order += "a"; })
                         .then([&loop] { return sleep_for(loop.get(), 5ms); })
                         .then([&order] { order += "b"; });
    run_until(loop.get(), std::move(f));
    EXPECT_EQ(order, "ab");
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, FailsWithTimeoutErrorWhenTimerFiresFirst) {
    TestLoop loop;
    Promise<int> never_in_time;
    Future<int> f = with_timeout(loop.get(), 20ms, never_in_time.get_future());
    try {
        static_cast<void>(run_until(loop.get(), std::move(f)));
        FAIL() << "expected a timeout";
    } catch (const uvmysql::TimeoutError& e) {   // an OperationalError, as before
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_EQ(uvmysql::error_class_of(e), uvmysql::ErrorClass::operational);
        EXPECT_TRUE(uvmysql::is_fatal(e));   // the operation's late result is still on its way
        EXPECT_EQ(e.message(), "operation timed out after 20 ms");
    }
    never_in_time.set_value(1);  // arrives late: dropped without harm
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, PassesValueThatArrivesInTime) {
    TestLoop loop;
    Promise<std::string> p;
    Future<std::string> f = with_timeout(loop.get(), 10s, p.get_future());
    Future<void> producer = sleep_for(loop.get(), 5ms).then([&p] { p.set_value("row"); });
    EXPECT_EQ(run_until(loop.get(), std::move(f)), "row");
    run_until(loop.get(), std::move(producer));
    EXPECT_EQ(loop.close(), 0) << "the cancelled 10 s timer must be closed, not left running";
}

TEST(WithTimeout, PassesErrorThatArrivesInTime) {
    TestLoop loop;
    Promise<void> p;
    Future<void> f = with_timeout(loop.get(), 10s, p.get_future());
    p.set_exception(std::make_exception_ptr(uvmysql::ProgrammingError(1064, "42000", "syntax")));
    EXPECT_THROW(run_until(loop.get(), std::move(f)), uvmysql::ProgrammingError);
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, ReadyFutureIsReturnedWithoutTimer) {
    TestLoop loop;
    Future<int> f = with_timeout(loop.get(), 1ms, make_ready_future(5));
    ASSERT_TRUE(f.is_ready());
    EXPECT_EQ(uv_loop_alive(loop.get()), 0) << "no timer was started";
    EXPECT_EQ(std::move(f).get(), 5);
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, LateFailureIsDroppedQuietly) {
    TestLoop loop;
    Promise<int> p;
    Future<int> f = with_timeout(loop.get(), 1ms, p.get_future());
    EXPECT_THROW(static_cast<void>(run_until(loop.get(), std::move(f))), OperationalError);
    p.set_exception(std::make_exception_ptr(std::runtime_error("late")));
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, BrokenPromiseInTimeIsPassedOn) {
    TestLoop loop;
    Future<int> f;
    {
        Promise<int> p;
        f = with_timeout(loop.get(), 10s, p.get_future());
    }
    EXPECT_THROW(static_cast<void>(run_until(loop.get(), std::move(f))), uvmysql::InterfaceError);
    EXPECT_EQ(loop.close(), 0);
}

TEST(WithTimeout, DroppedResultStillClosesTimer) {
    TestLoop loop;
    Promise<int> p;
    with_timeout(loop.get(), 5ms, p.get_future())
        .on_error([](const OperationalError&) { return 0; })
        .detach();
    EXPECT_EQ(loop.close(), 0) << "the timer fires, closes itself and the loop can close";
}

TEST(WithTimeout, ManyTimeoutsInParallel) {
    TestLoop loop;
    std::vector<Promise<int>> promises(50);
    std::vector<Future<int>> futures;
    for (std::size_t i = 0; i < promises.size(); ++i)
        futures.push_back(with_timeout(loop.get(), i % 2 == 0 ? 10s : 1ms, promises[i].get_future()));
    Future<void> finisher = sleep_for(loop.get(), 20ms).then([&promises] {
        for (std::size_t i = 0; i < promises.size(); i += 2) promises[i].set_value(static_cast<int>(i));
    });
    run_until(loop.get(), std::move(finisher));
    for (std::size_t i = 0; i < futures.size(); ++i) {
        ASSERT_TRUE(futures[i].is_ready());
        if (i % 2 == 0)
            EXPECT_EQ(std::move(futures[i]).get(), static_cast<int>(i));
        else
            EXPECT_THROW(static_cast<void>(std::move(futures[i]).get()), OperationalError);
    }
    EXPECT_EQ(loop.close(), 0);
}

TEST(RunUntil, RethrowsFailure) {
    TestLoop loop;
    EXPECT_THROW(run_until(loop.get(), make_exception_future(OperationalError(2006, "HY000", "gone"))),
                 OperationalError);
    EXPECT_EQ(loop.close(), 0);
}

TEST(RunUntil, ReportsTimeoutAsTestFailure) {
    TestLoop loop;
    Promise<int> never;
    uv_timer_t keep_alive;  // something on the loop, so run_until waits for its deadline
    uv_timer_init(loop.get(), &keep_alive);
    uv_timer_start(
        &keep_alive, [](uv_timer_t*) {}, 60'000, 0);
    EXPECT_NONFATAL_FAILURE(
        {
            try {
                static_cast<void>(run_until(loop.get(), never.get_future(), 10ms));
            } catch (const uvmysql::test::RunUntilTimeout&) {
            }
        },
        "future not ready after 10 ms");
    uv_close(reinterpret_cast<uv_handle_t*>(&keep_alive), nullptr);
    EXPECT_EQ(loop.close(), 0);
}

TEST(RunUntil, ReportsLoopRunningDry) {
    TestLoop loop;
    Promise<int> never;
    EXPECT_NONFATAL_FAILURE(
        {
            try {
                static_cast<void>(run_until(loop.get(), never.get_future(), 10s));
            } catch (const uvmysql::test::RunUntilTimeout&) {
            }
        },
        "ran out of work");
    EXPECT_EQ(loop.close(), 0);
}

}  // namespace

// SPDX-License-Identifier: MIT
// Tests for Promise/Future: then, on_error, finally, get, broken promises, ordering, deep chains.
#include "uvmysql/future.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "uvmysql/error.hpp"

namespace {

using uvmysql::Future;
using uvmysql::InterfaceError;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::OperationalError;
using uvmysql::ProgrammingError;
using uvmysql::Promise;

OperationalError lost() { return OperationalError(2013, "HY000", "Lost connection"); }

// ---- compile-time contract: misuse fails at the call site -----------------------------------

template <class Fut, class F>
concept CanThen = requires(Fut f, F fn) {
    std::move(f).then(fn);
};
template <class Fut, class F>
concept CanThenLvalue = requires(Fut& f, F fn) {
    f.then(fn);
};
template <class Fut, class F>
concept CanOnError = requires(Fut f, F fn) {
    std::move(f).on_error(fn);
};
template <class Fut, class F>
concept CanFinally = requires(Fut f, F fn) {
    std::move(f).finally(fn);
};

using IntToInt = int (*)(int);
using StringToVoid = void (*)(std::string);
using NoArgs = void (*)();
using TypedRecover = int (*)(const OperationalError&);
using TypedWrongReturn = std::string (*)(const OperationalError&);
using TypedVoid = void (*)(const OperationalError&);
using GenericRecover = int (*)(std::exception_ptr);
using ReturnsInt = int (*)();
using ReturnsFuture = Future<int> (*)();

static_assert(CanThen<Future<int>, IntToInt>);
static_assert(!CanThen<Future<int>, StringToVoid>, "argument type must match the value type");
static_assert(!CanThen<Future<int>, NoArgs>, "a Future<int> continuation takes the int");
static_assert(CanThen<Future<void>, NoArgs>);
static_assert(!CanThen<Future<void>, IntToInt>, "a Future<void> continuation takes nothing");
static_assert(!CanThenLvalue<Future<int>, IntToInt>, "then() consumes: rvalues only");
static_assert(CanOnError<Future<int>, TypedRecover>);
static_assert(CanOnError<Future<int>, GenericRecover>);
static_assert(!CanOnError<Future<int>, TypedWrongReturn>, "a handler must recover to T");
static_assert(!CanOnError<Future<int>, TypedVoid>, "a handler of Future<int> must return int");
static_assert(CanOnError<Future<void>, TypedVoid>);
static_assert(!CanOnError<Future<int>, IntToInt>, "a handler takes an exception");
static_assert(CanFinally<Future<int>, NoArgs>);
static_assert(CanFinally<Future<int>, ReturnsFuture>);
static_assert(!CanFinally<Future<int>, ReturnsInt>, "finally returns void or a future");
static_assert(!std::is_copy_constructible_v<Future<int>>);
static_assert(!std::is_copy_constructible_v<Promise<int>>);
static_assert(
    std::is_same_v<decltype(make_ready_future(1).then([](int) { return make_ready_future(std::string()); })),
                   Future<std::string>>,
    "a future-returning continuation is flattened");

// ---- basics -----------------------------------------------------------------------------------

TEST(Future, GetReturnsValueOfReadyFuture) {
    Promise<int> p;
    Future<int> f = p.get_future();
    EXPECT_FALSE(f.is_ready());
    p.set_value(7);
    EXPECT_TRUE(f.is_ready());
    EXPECT_FALSE(f.failed());
    EXPECT_EQ(std::move(f).get(), 7);
}

TEST(Future, GetOnPendingFutureThrowsInterfaceErrorAndKeepsIt) {
    Promise<int> p;
    Future<int> f = p.get_future();
    try {
        static_cast<void>(std::move(f).get());
        FAIL() << "get() on a pending future must throw";
    } catch (const InterfaceError& e) {
        EXPECT_EQ(e.errno_code(), 0);
        EXPECT_EQ(e.message(), "future is not ready");
    }
    EXPECT_TRUE(f.valid());  // NOLINT(bugprone-use-after-move): a failed get() does not consume
    p.set_value(3);
    EXPECT_EQ(std::move(f).get(), 3);
}

TEST(Future, GetOnInvalidFutureThrowsInterfaceError) {
    Future<int> f;
    EXPECT_FALSE(f.valid());
    EXPECT_FALSE(f.is_ready());
    EXPECT_THROW(static_cast<void>(std::move(f).get()), InterfaceError);
}

TEST(Future, GetRethrowsStoredException) {
    Future<int> f = make_exception_future<int>(lost());
    EXPECT_TRUE(f.failed());
    try {
        static_cast<void>(std::move(f).get());
        FAIL() << "expected OperationalError";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_EQ(e.sqlstate(), "HY000");
    }
    EXPECT_FALSE(f.valid());  // NOLINT(bugprone-use-after-move): get() consumed it
}

TEST(Future, VoidFutureCompletes) {
    Promise<void> p;
    Future<void> f = p.get_future();
    p.set_value();
    ASSERT_TRUE(f.is_ready());
    EXPECT_NO_THROW(std::move(f).get());
}

TEST(Future, MoveOnlyValueIsMovedOut) {
    Promise<std::unique_ptr<int>> p;
    Future<std::unique_ptr<int>> f = p.get_future();
    p.set_value(std::make_unique<int>(5));
    std::unique_ptr<int> v = std::move(f).get();
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 5);
}

TEST(Future, MakeReadyFutureDeducesOrConstructs) {
    Future<int> a = make_ready_future(4);
    Future<std::string> b = make_ready_future<std::string>(3, 'x');
    Future<void> c = make_ready_future();
    Future<std::vector<int>> d = make_ready_future<std::vector<int>>();
    EXPECT_EQ(std::move(a).get(), 4);
    EXPECT_EQ(std::move(b).get(), "xxx");
    EXPECT_TRUE(c.is_ready());
    std::move(c).get();
    EXPECT_TRUE(std::move(d).get().empty());
}

TEST(Future, MakeExceptionFutureFromPointerOrObject) {
    Future<int> a = make_exception_future<int>(std::make_exception_ptr(std::runtime_error("boom")));
    Future<void> b = make_exception_future(lost());
    EXPECT_TRUE(a.failed());
    EXPECT_TRUE(b.failed());
    EXPECT_THROW(static_cast<void>(std::move(a).get()), std::runtime_error);
    EXPECT_THROW(std::move(b).get(), OperationalError);
}

TEST(Future, SetValueBeforeGetFutureIsKept) {
    Promise<std::string> p;
    p.set_value("early");
    Future<std::string> f = p.get_future();
    EXPECT_EQ(std::move(f).get(), "early");
}

// ---- broken promises --------------------------------------------------------------------------

TEST(Promise, DestroyedUnfulfilledBreaksFuture) {
    Future<int> f;
    {
        Promise<int> p;
        f = p.get_future();
    }
    ASSERT_TRUE(f.failed());
    try {
        static_cast<void>(std::move(f).get());
        FAIL() << "expected broken promise";
    } catch (const InterfaceError& e) {
        EXPECT_EQ(e.message(), "broken promise");
    }
}

TEST(Promise, BrokenPromiseReachesContinuation) {
    std::string seen;
    {
        Promise<void> p;
        p.get_future()
            .then([] { ADD_FAILURE() << "value continuation must be skipped"; })
            .on_error([&seen](const InterfaceError& e) { seen = e.message(); })
            .detach();
    }
    EXPECT_EQ(seen, "broken promise");
}

TEST(Promise, MoveAssignmentBreaksTheOverwrittenPromise) {
    Promise<int> a;
    Future<int> fa = a.get_future();
    Promise<int> b;
    Future<int> fb = b.get_future();
    a = std::move(b);
    EXPECT_TRUE(fa.failed());
    a.set_value(9);
    EXPECT_EQ(std::move(fb).get(), 9);
    EXPECT_THROW(static_cast<void>(std::move(fa).get()), InterfaceError);
}

TEST(Promise, DefaultConstructedPromiseCanBeDroppedOrExchanged) {
    Promise<int> pending;
    Future<int> f = pending.get_future();
    // The connection layer's idiom: take the pending promise, leaving an empty one behind.
    std::exchange(pending, {}).set_exception(std::make_exception_ptr(lost()));
    EXPECT_TRUE(f.failed());
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

#ifndef NDEBUG
TEST(PromiseDeathTest, SettingTwiceAsserts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Promise<int> p;
            p.set_value(1);
            p.set_value(2);
        },
        "already satisfied");
}

TEST(PromiseDeathTest, ContinuationOnAnotherThreadAsserts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Promise<int> p;
            Future<void> f = p.get_future().then([](int) {});
            std::thread([&p] { p.set_value(1); }).join();
        },
        "thread other than its loop thread");
}
#endif

// ---- then ----------------------------------------------------------------------------------------

TEST(Then, TransformsValue) {
    Promise<int> p;
    Future<std::string> f = p.get_future().then([](int v) { return std::to_string(v * 2); });
    p.set_value(21);
    EXPECT_EQ(std::move(f).get(), "42");
}

TEST(Then, VoidReturningContinuationGivesFutureVoid) {
    int seen = 0;
    Future<void> f = make_ready_future(5).then([&seen](int v) { seen = v; });
    EXPECT_EQ(seen, 5);
    ASSERT_TRUE(f.is_ready());
    std::move(f).get();
}

TEST(Then, ContinuesFutureVoid) {
    Promise<void> p;
    Future<int> f = p.get_future().then([] { return 11; });
    EXPECT_FALSE(f.is_ready());
    p.set_value();
    EXPECT_EQ(std::move(f).get(), 11);
}

TEST(Then, FlattensReadyInnerFuture) {
    Future<std::string> f =
        make_ready_future(2).then([](int v) { return make_ready_future(std::string(v, 'a')); });
    EXPECT_EQ(std::move(f).get(), "aa");
}

TEST(Then, FlattensPendingInnerFuture) {
    Promise<std::string> inner;
    Future<std::string> inner_future = inner.get_future();
    Promise<int> outer;
    Future<std::size_t> f = outer.get_future()
                                .then([&inner_future](int) { return std::move(inner_future); })
                                .then([](std::string s) { return s.size(); });
    outer.set_value(1);
    EXPECT_FALSE(f.is_ready()) << "waits for the inner future";
    inner.set_value("hello");
    EXPECT_EQ(std::move(f).get(), 5u);
}

TEST(Then, FlattensFailedInnerFuture) {
    Future<int> f = make_ready_future().then([] { return make_exception_future<int>(lost()); });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(Then, ErrorSkipsValueContinuations) {
    int calls = 0;
    Future<int> f = make_exception_future<int>(lost())
                        .then([&calls](int v) {
                            ++calls;
                            return v;
                        })
                        .then([&calls](int) { ++calls; })
                        .then([&calls] {
                            ++calls;
                            return 1;
                        });
    EXPECT_EQ(calls, 0);
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(Then, ThrowingContinuationFailsResult) {
    Future<int> f =
        make_ready_future(1).then([](int) -> int { throw ProgrammingError(1064, "42000", "syntax"); });
    ASSERT_TRUE(f.failed());
    EXPECT_THROW(static_cast<void>(std::move(f).get()), ProgrammingError);
}

TEST(Then, MovesMoveOnlyValuesThroughTheChain) {
    Future<int> f = make_ready_future(std::make_unique<int>(8))
                        .then([](std::unique_ptr<int> p) { return p; })
                        .then([](std::unique_ptr<int> p) { return *p + 1; });
    EXPECT_EQ(std::move(f).get(), 9);
}

TEST(Then, ContinuationMayCaptureMoveOnlyState) {
    auto owned = std::make_unique<int>(40);
    Future<int> f = make_ready_future(2).then([o = std::move(owned)](int v) { return *o + v; });
    EXPECT_EQ(std::move(f).get(), 42);
}

TEST(Then, AttachBeforeAndAfterResolutionGiveSameResult) {
    auto chain = [](Future<int> f) {
        return std::move(f).then([](int v) { return v + 1; }).then([](int v) { return v * 10; });
    };
    Promise<int> p;
    Future<int> before = chain(p.get_future());
    p.set_value(4);
    Future<int> after = chain(make_ready_future(4));
    EXPECT_EQ(std::move(before).get(), 50);
    EXPECT_EQ(std::move(after).get(), 50);
}

TEST(Then, RunsSynchronouslyInsideSetValueFromPlainCode) {
    Promise<int> p;
    int seen = 0;
    p.get_future().then([&seen](int v) { seen = v; }).detach();
    EXPECT_EQ(seen, 0);
    p.set_value(3);
    EXPECT_EQ(seen, 3) << "set_value from plain code runs ready continuations before returning";
}

TEST(Then, NestedResolutionRunsAfterCurrentContinuation) {
    std::vector<std::string> log;
    Promise<void> inner;
    inner.get_future().then([&log] { log.push_back("inner continuation"); }).detach();
    Promise<void> outer;
    outer.get_future()
        .then([&log, &inner] {
            inner.set_value();
            log.push_back("outer continuation returns");
        })
        .detach();
    outer.set_value();
    EXPECT_EQ(log, (std::vector<std::string>{"outer continuation returns", "inner continuation"}));
}

TEST(Then, ContinuationsRunInResolutionOrder) {
    std::vector<int> order;
    Promise<void> a;
    Promise<void> b;
    Promise<void> c;
    a.get_future().then([&order] { order.push_back(1); }).detach();
    b.get_future().then([&order] { order.push_back(2); }).detach();
    c.get_future().then([&order] { order.push_back(3); }).detach();
    make_ready_future()
        .then([&] {
            c.set_value();
            a.set_value();
            b.set_value();
        })
        .detach();
    EXPECT_EQ(order, (std::vector<int>{3, 1, 2}));
}

// ---- on_error ------------------------------------------------------------------------------------

TEST(OnError, GenericHandlerRecovers) {
    Future<int> f = make_exception_future<int>(lost()).on_error([](std::exception_ptr e) {
        EXPECT_TRUE(e);
        return -1;
    });
    EXPECT_EQ(std::move(f).get(), -1);
}

TEST(OnError, TypedHandlerCatchesMatchingClass) {
    int errno_seen = 0;
    Future<std::int64_t> f =
        make_exception_future<std::int64_t>(lost()).on_error([&errno_seen](const OperationalError& e) {
            errno_seen = e.errno_code();
            return -1;  // int converts to std::int64_t
        });
    EXPECT_EQ(std::move(f).get(), -1);
    EXPECT_EQ(errno_seen, 2013);
}

TEST(OnError, TypedHandlerCatchesDerivedClasses) {
    Future<int> f =
        make_exception_future<int>(lost()).on_error([](const uvmysql::Error& e) { return e.errno_code(); });
    EXPECT_EQ(std::move(f).get(), 2013);
}

TEST(OnError, TypedHandlerLetsOtherExceptionsPassUntouched) {
    bool called = false;
    auto original = std::make_exception_ptr(ProgrammingError(1064, "42000", "syntax"));
    Future<int> f = make_exception_future<int>(original).on_error([&called](const OperationalError&) {
        called = true;
        return 0;
    });
    EXPECT_FALSE(called);
    ASSERT_TRUE(f.failed());
    try {
        static_cast<void>(std::move(f).get());
        FAIL() << "expected ProgrammingError";
    } catch (const ProgrammingError& e) {
        EXPECT_EQ(e.errno_code(), 1064);
        EXPECT_EQ(&e, [&] {
            try {
                std::rethrow_exception(original);
            } catch (const ProgrammingError& o) {
                return &o;
            }
        }()) << "the very same exception object passes through";
    }
}

TEST(OnError, SkippedOnSuccess) {
    bool called = false;
    Future<int> f = make_ready_future(3).on_error([&called](std::exception_ptr) {
        called = true;
        return 0;
    });
    EXPECT_EQ(std::move(f).get(), 3);
    EXPECT_FALSE(called);
}

TEST(OnError, HandlerCanRethrowOriginal) {
    Future<int> f = make_exception_future<int>(lost()).on_error(
        [](std::exception_ptr e) -> int { std::rethrow_exception(e); });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(OnError, TypedHandlerBareThrowRethrows) {
    Future<int> f =
        make_exception_future<int>(lost()).on_error([](const OperationalError&) -> int { throw; });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(OnError, HandlerCanReplaceError) {
    Future<int> f = make_exception_future<int>(lost()).on_error(
        [](const OperationalError&) -> int { throw InterfaceError(0, "HY000", "replaced"); });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), InterfaceError);
}

TEST(OnError, HandlerReturningFutureIsFlattened) {
    Promise<int> retry;
    Future<int> f = make_exception_future<int>(lost()).on_error(
        [&retry](const OperationalError&) { return retry.get_future(); });
    EXPECT_FALSE(f.is_ready());
    retry.set_value(77);
    EXPECT_EQ(std::move(f).get(), 77);
}

TEST(OnError, VoidFutureHandlerReturnsVoid) {
    bool handled = false;
    Future<void> f =
        make_exception_future(lost()).on_error([&handled](const OperationalError&) { handled = true; });
    EXPECT_TRUE(handled);
    EXPECT_FALSE(f.failed());
    std::move(f).get();
}

TEST(OnError, RecoversFromExceptionThrownInThen) {
    Future<std::string> f = make_ready_future(1)
                                .then([](int) -> std::string { throw std::runtime_error("bad row"); })
                                .on_error([](const std::runtime_error& e) { return std::string(e.what()); });
    EXPECT_EQ(std::move(f).get(), "bad row");
}

// ---- finally -------------------------------------------------------------------------------------

TEST(Finally, RunsOnSuccessAndPassesValue) {
    int runs = 0;
    Future<int> f = make_ready_future(6).finally([&runs] { ++runs; });
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(std::move(f).get(), 6);
}

TEST(Finally, RunsOnFailureAndPassesError) {
    int runs = 0;
    Future<int> f = make_exception_future<int>(lost()).finally([&runs] { ++runs; });
    EXPECT_EQ(runs, 1);
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(Finally, ThrowingCallbackReplacesValue) {
    Future<int> f = make_ready_future(6).finally([] { throw std::logic_error("cleanup failed"); });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), std::logic_error);
}

TEST(Finally, ThrowingCallbackReplacesError) {
    Future<void> f = make_exception_future(lost()).finally([] { throw std::logic_error("cleanup failed"); });
    EXPECT_THROW(std::move(f).get(), std::logic_error);
}

TEST(Finally, WaitsForReturnedFuture) {
    Promise<void> cleanup;
    Future<int> f = make_ready_future(5).finally([&cleanup] { return cleanup.get_future(); });
    EXPECT_FALSE(f.is_ready()) << "waits for the cleanup";
    cleanup.set_value();
    EXPECT_EQ(std::move(f).get(), 5);
}

TEST(Finally, FailedReturnedFutureReplacesResult) {
    Future<int> f = make_exception_future<int>(lost()).finally(
        [] { return make_exception_future<int>(std::logic_error("close failed")); });
    EXPECT_THROW(static_cast<void>(std::move(f).get()), std::logic_error);
}

TEST(Finally, KeepsMoveOnlyValue) {
    Future<std::unique_ptr<int>> f =
        make_ready_future(std::make_unique<int>(3)).finally([] { return make_ready_future(); });
    EXPECT_EQ(*std::move(f).get(), 3);
}

// ---- deep chains (the run queue, not the stack) ------------------------------------------------

constexpr int deep = 100'000;

TEST(Chain, HundredThousandThenBuiltBeforeResolution) {
    Promise<int> p;
    Future<int> f = p.get_future();
    for (int i = 0; i < deep; ++i) f = std::move(f).then([](int v) { return v + 1; });
    EXPECT_FALSE(f.is_ready());
    p.set_value(0);
    EXPECT_EQ(std::move(f).get(), deep);
}

TEST(Chain, HundredThousandThenBuiltAfterResolution) {
    Future<int> f = make_ready_future(0);
    for (int i = 0; i < deep; ++i) f = std::move(f).then([](int v) { return v + 1; });
    EXPECT_EQ(std::move(f).get(), deep);
}

TEST(Chain, HundredThousandFlattenedFuturesBuiltBeforeResolution) {
    Promise<int> p;
    Future<int> f = p.get_future();
    for (int i = 0; i < deep; ++i) f = std::move(f).then([](int v) { return make_ready_future(v + 1); });
    p.set_value(0);
    EXPECT_EQ(std::move(f).get(), deep);
}

TEST(Chain, ErrorCrossesHundredThousandContinuations) {
    Promise<int> p;
    Future<int> f = p.get_future();
    for (int i = 0; i < deep; ++i) f = std::move(f).then([](int v) { return v + 1; });
    p.set_exception(std::make_exception_ptr(lost()));
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
}

TEST(Chain, BrokenPromiseCrossesHundredThousandContinuations) {
    Future<int> f;
    {
        Promise<int> p;
        f = p.get_future();
        for (int i = 0; i < deep; ++i) f = std::move(f).then([](int v) { return v + 1; });
    }
    EXPECT_THROW(static_cast<void>(std::move(f).get()), InterfaceError);
}

// An asynchronous loop written as recursion: each step returns the future of the next.
Future<int> count_down(int n, int acc) {
    if (n == 0) return make_ready_future(acc);
    return make_ready_future().then([n, acc] { return count_down(n - 1, acc + 1); });
}

TEST(Chain, RecursiveFutureLoopDoesNotGrowTheStack) {
    EXPECT_EQ(count_down(deep, 0).get(), deep);                                    // called from plain code
    Future<int> f = make_ready_future().then([] { return count_down(deep, 0); });  // from a continuation
    EXPECT_EQ(std::move(f).get(), deep);
}

}  // namespace

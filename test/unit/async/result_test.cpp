// SPDX-License-Identifier: MIT
// Tests for Result<T>, Future::then_result() and co_await Future::result(): outcomes without throwing.
#include "uvmysql/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/task.hpp"

namespace {

using uvmysql::ErrorClass;
using uvmysql::Future;
using uvmysql::IntegrityError;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::Promise;
using uvmysql::Result;
using uvmysql::Task;

IntegrityError duplicate() {
    return IntegrityError(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'");
}

TEST(Result, HoldsAValue) {
    Result<std::string> r(std::string("abc"));
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), "abc");
    EXPECT_EQ(*r, "abc");
    EXPECT_EQ(r->size(), 3u);
    EXPECT_EQ(r.exception(), nullptr);
    EXPECT_EQ(std::move(r).value_or("x"), "abc");
}

TEST(Result, HoldsTheErrorWithItsClassErrnoAndSqlstate) {
    auto r = Result<int>::failure(std::make_exception_ptr(duplicate()));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(uvmysql::error_class_of(r.error()), ErrorClass::integrity);
    EXPECT_EQ(r.error().errno_code(), 1062);
    EXPECT_EQ(r.error().sqlstate(), "23000");
    EXPECT_EQ(r.error().message(), "Duplicate entry '1' for key 'PRIMARY'");
    EXPECT_STREQ(r.error().what(), "ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'");
    // The same object on every call: found once.
    EXPECT_EQ(&r.error(), &r.error());
    EXPECT_THROW(static_cast<void>(r.value()), IntegrityError);
    EXPECT_NE(r.exception(), nullptr);
    EXPECT_EQ(std::move(r).value_or(7), 7);
}

TEST(Result, TheErrorOutlivesCopiesAndMoves) {
    auto r = Result<int>::failure(std::make_exception_ptr(duplicate()));
    const uvmysql::Error* seen = &r.error();
    Result<int> copy = r;
    Result<int> moved = std::move(r);
    EXPECT_EQ(&moved.error(), seen);
    EXPECT_EQ(copy.error().errno_code(), 1062);
}

TEST(Result, AForeignExceptionShowsAsInterfaceErrorWithItsMessage) {
    auto r = Result<int>::failure(std::make_exception_ptr(std::runtime_error("mine")));
    EXPECT_EQ(uvmysql::error_class_of(r.error()), ErrorClass::interface);
    EXPECT_EQ(r.error().errno_code(), 0);
    EXPECT_EQ(r.error().message(), "mine");
    EXPECT_THROW(static_cast<void>(r.value()), std::runtime_error);   // value() rethrows the original
    auto odd = Result<int>::failure(std::make_exception_ptr(42));
    EXPECT_EQ(odd.error().message(), "unknown exception");
}

TEST(Result, VoidResults) {
    Result<void> ok;
    EXPECT_TRUE(ok.has_value());
    EXPECT_NO_THROW(ok.value());
    EXPECT_EQ(ok.exception(), nullptr);
    auto bad = Result<void>::failure(std::make_exception_ptr(duplicate()));
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.error().errno_code(), 1062);
    EXPECT_THROW(bad.value(), IntegrityError);
}

TEST(Result, MoveOnlyValues) {
    Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
    std::unique_ptr<int> p = std::move(r).value();
    EXPECT_EQ(*p, 5);
}

TEST(ThenResult, RunsOnSuccessAndOnFailure) {
    int seen = 0;
    std::move(make_ready_future(41)).then_result([&](Result<int> r) { seen = r.value() + 1; }).detach();
    EXPECT_EQ(seen, 42);
    int errno_seen = 0;
    std::move(make_exception_future<int>(duplicate()))
        .then_result([&](Result<int> r) { errno_seen = r ? 0 : r.error().errno_code(); })
        .detach();
    EXPECT_EQ(errno_seen, 1062);
}

TEST(ThenResult, ReturnsWhatTheContinuationReturnsAndFlattensFutures) {
    Promise<int> p;
    Future<std::string> f = p.get_future().then_result([](Result<int> r) {
        return r ? std::to_string(*r) : std::string("failed");
    });
    EXPECT_FALSE(f.is_ready());
    p.set_value(3);
    EXPECT_EQ(std::move(f).get(), "3");
    Future<int> g = make_exception_future<void>(duplicate()).then_result([](Result<void> r) {
        return make_ready_future(r ? 1 : 2);
    });
    EXPECT_EQ(std::move(g).get(), 2);
}

TEST(ThenResult, AThrowingContinuationFailsTheFuture) {
    Future<int> f = make_ready_future(1).then_result([](Result<int>) -> int { throw duplicate(); });
    EXPECT_THROW(std::move(f).get(), IntegrityError);
}

Task<int> await_result(Future<int> f, int& errno_seen) {
    Result<int> r = co_await std::move(f).result();
    if (!r) {
        errno_seen = r.error().errno_code();
        co_return -1;
    }
    co_return *r;
}

TEST(AwaitResult, GivesTheValueOrTheErrorWithoutThrowing) {
    int errno_seen = 0;
    EXPECT_EQ(uvmysql::spawn(await_result(make_ready_future(8), errno_seen)).get(), 8);
    Promise<int> p;
    Future<int> pending = uvmysql::spawn(await_result(p.get_future(), errno_seen));
    EXPECT_FALSE(pending.is_ready());
    p.set_exception(std::make_exception_ptr(duplicate()));
    EXPECT_EQ(std::move(pending).get(), -1);
    EXPECT_EQ(errno_seen, 1062);
}

TEST(AwaitResult, VoidFuturesAndInvalidFutures) {
    auto body = [](Future<void> f) -> Task<int> {
        Result<void> r = co_await std::move(f).result();
        co_return r ? 1 : (r.error().errno_code() == 1062 ? 2 : 3);
    };
    EXPECT_EQ(uvmysql::spawn(body(make_ready_future())).get(), 1);
    EXPECT_EQ(uvmysql::spawn(body(make_exception_future<void>(duplicate()))).get(), 2);
    auto invalid = []() -> Task<bool> {
        Result<int> r = co_await Future<int>().result();
        co_return !r && uvmysql::error_class_of(r.error()) == ErrorClass::interface;
    };
    EXPECT_TRUE(uvmysql::spawn(invalid()).get());
}

}  // namespace

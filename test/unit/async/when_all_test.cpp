// SPDX-License-Identifier: MIT
// Tests for when_all over a vector of futures and over a fixed set of futures (tuple).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"

namespace {

using uvmysql::Future;
using uvmysql::InterfaceError;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::OperationalError;
using uvmysql::ProgrammingError;
using uvmysql::Promise;
using uvmysql::when_all;

TEST(WhenAll, VectorDeliversValuesInPositionOrder) {
    std::vector<Promise<int>> promises(3);
    std::vector<Future<int>> futures;
    for (auto& p : promises) futures.push_back(p.get_future());
    Future<std::vector<int>> all = when_all(std::move(futures));
    promises[2].set_value(30);
    promises[0].set_value(10);
    EXPECT_FALSE(all.is_ready()) << "waits for every future";
    promises[1].set_value(20);
    EXPECT_EQ(std::move(all).get(), (std::vector<int>{10, 20, 30}));
}

TEST(WhenAll, EmptyVectorIsReadyAtOnce) {
    Future<std::vector<int>> all = when_all(std::vector<Future<int>>{});
    ASSERT_TRUE(all.is_ready());
    EXPECT_TRUE(std::move(all).get().empty());
    Future<void> none = when_all(std::vector<Future<void>>{});
    EXPECT_TRUE(none.is_ready());
    EXPECT_FALSE(none.failed());
}

TEST(WhenAll, AlreadyReadyFutures) {
    std::vector<Future<std::string>> futures;
    futures.push_back(make_ready_future<std::string>("a"));
    futures.push_back(make_ready_future<std::string>("b"));
    Future<std::vector<std::string>> all = when_all(std::move(futures));
    ASSERT_TRUE(all.is_ready());
    EXPECT_EQ(std::move(all).get(), (std::vector<std::string>{"a", "b"}));
}

TEST(WhenAll, VectorFailsWithFirstFailureByPositionAfterAllComplete) {
    std::vector<Promise<int>> promises(3);
    std::vector<Future<int>> futures;
    for (auto& p : promises) futures.push_back(p.get_future());
    Future<std::vector<int>> all = when_all(std::move(futures));
    promises[2].set_exception(std::make_exception_ptr(ProgrammingError(1064, "42000", "later position")));
    promises[1].set_exception(std::make_exception_ptr(OperationalError(2013, "HY000", "earlier position")));
    EXPECT_FALSE(all.is_ready()) << "a failure does not short-circuit";
    promises[0].set_value(1);
    ASSERT_TRUE(all.failed());
    try {
        static_cast<void>(std::move(all).get());
        FAIL() << "expected OperationalError";
    } catch (const OperationalError& e) {
        EXPECT_EQ(e.message(), "earlier position");
    }
}

TEST(WhenAll, VectorOfVoidFutures) {
    std::vector<Promise<void>> promises(4);
    std::vector<Future<void>> futures;
    for (auto& p : promises) futures.push_back(p.get_future());
    Future<void> all = when_all(std::move(futures));
    for (auto& p : promises) {
        EXPECT_FALSE(all.is_ready());
        p.set_value();
    }
    ASSERT_TRUE(all.is_ready());
    std::move(all).get();
}

TEST(WhenAll, VectorOfVoidFailure) {
    std::vector<Future<void>> futures;
    futures.push_back(make_ready_future());
    futures.push_back(make_exception_future(OperationalError(2006, "HY000", "gone")));
    EXPECT_THROW(when_all(std::move(futures)).get(), OperationalError);
}

TEST(WhenAll, VectorOfMoveOnlyValues) {
    std::vector<Future<std::unique_ptr<int>>> futures;
    for (int i = 0; i < 3; ++i) futures.push_back(make_ready_future(std::make_unique<int>(i)));
    std::vector<std::unique_ptr<int>> values = when_all(std::move(futures)).get();
    ASSERT_EQ(values.size(), 3u);
    EXPECT_EQ(*values[2], 2);
}

TEST(WhenAll, BrokenPromiseInsideVector) {
    std::vector<Future<int>> futures;
    futures.push_back(make_ready_future(1));
    {
        Promise<int> dropped;
        futures.push_back(dropped.get_future());
    }
    EXPECT_THROW(static_cast<void>(when_all(std::move(futures)).get()), InterfaceError);
}

TEST(WhenAll, TupleOfMixedTypesWithVoidAsMonostate) {
    Promise<std::string> name;
    Promise<void> done;
    Future<std::tuple<int, std::string, std::monostate>> all =
        when_all(make_ready_future(1), name.get_future(), done.get_future());
    done.set_value();
    EXPECT_FALSE(all.is_ready());
    name.set_value("x");
    auto [a, b, c] = std::move(all).get();
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, "x");
    EXPECT_EQ(c, std::monostate{});
}

TEST(WhenAll, TupleFailsWithFirstFailureByPosition) {
    Promise<int> late;
    auto all = when_all(make_ready_future(1), make_exception_future<std::string>(std::runtime_error("first")),
                        make_exception_future(OperationalError(2013, "HY000", "second")), late.get_future());
    EXPECT_FALSE(all.is_ready());
    late.set_value(4);
    try {
        static_cast<void>(std::move(all).get());
        FAIL() << "expected runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "first");
    }
}

TEST(WhenAll, TupleWithMoveOnlyValue) {
    auto all = when_all(make_ready_future(std::make_unique<int>(7)), make_ready_future());
    auto [p, v] = std::move(all).get();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 7);
    static_cast<void>(v);
}

TEST(WhenAll, EmptyTuple) {
    Future<std::tuple<>> all = when_all();
    EXPECT_TRUE(all.is_ready());
    std::move(all).get();
}

TEST(WhenAll, ComposesWithThen) {
    std::vector<Future<int>> futures;
    for (int i = 1; i <= 4; ++i) futures.push_back(make_ready_future().then([i] { return i * i; }));
    Future<int> sum = when_all(std::move(futures)).then([](std::vector<int> v) {
        int s = 0;
        for (int x : v) s += x;
        return s;
    });
    EXPECT_EQ(std::move(sum).get(), 30);
}

}  // namespace

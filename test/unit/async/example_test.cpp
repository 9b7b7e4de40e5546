// SPDX-License-Identifier: MIT
// The examples of docs/async.md, compiled and run: the same operation with .then() and co_await.
#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "run_until.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/task.hpp"

namespace {

using namespace std::chrono_literals;
using uvmysql::test::run_until;
using uvmysql::test::TestLoop;

// --- example: begin ---
// Stands in for a server round-trip: resolves to n after a millisecond on the loop.
uvmysql::Future<std::int64_t> count_rows(uv_loop_t* loop, std::int64_t n) {
    return uvmysql::sleep_for(loop, 1ms).then([n] { return n; });
}

uvmysql::Future<std::string> describe(uv_loop_t* loop) {
    return uvmysql::with_timeout(loop, 5s, count_rows(loop, 3))
        .then([](std::int64_t n) { return std::to_string(n) + " rows"; })
        .on_error([](const uvmysql::OperationalError& e) { return "failed: " + e.message(); })
        .finally([] { /* runs on success and on failure */ });
}

uvmysql::Task<std::string> describe_co(uv_loop_t* loop) {
    try {
        std::int64_t n = co_await uvmysql::with_timeout(loop, 5s, count_rows(loop, 3));
        co_return std::to_string(n) + " rows";
    } catch (const uvmysql::OperationalError& e) {
        co_return "failed: " + e.message();
    }
}

uvmysql::Future<std::int64_t> total(uv_loop_t* loop) {
    std::vector<uvmysql::Future<std::int64_t>> counts;
    for (std::int64_t n : {1, 2, 3}) counts.push_back(count_rows(loop, n));
    return uvmysql::when_all(std::move(counts)).then([](std::vector<std::int64_t> v) {
        return v[0] + v[1] + v[2];  // in the order of the vector
    });
}

uvmysql::Task<std::string> pair_co(uv_loop_t* loop) {
    auto [n, nothing] = co_await uvmysql::when_all(count_rows(loop, 4), uvmysql::sleep_for(loop, 1ms));
    static_assert(std::is_same_v<decltype(nothing), std::monostate>);
    co_return std::to_string(n);
}
// --- example: end ---

TEST(Example, ThenStyle) {
    TestLoop loop;
    EXPECT_EQ(run_until(loop.get(), describe(loop.get())), "3 rows");
    EXPECT_EQ(loop.close(), 0);
}

TEST(Example, CoroutineStyle) {
    TestLoop loop;
    EXPECT_EQ(run_until(loop.get(), uvmysql::spawn(describe_co(loop.get()))), "3 rows");
    EXPECT_EQ(loop.close(), 0);
}

TEST(Example, WhenAll) {
    TestLoop loop;
    EXPECT_EQ(run_until(loop.get(), total(loop.get())), 6);
    EXPECT_EQ(run_until(loop.get(), uvmysql::spawn(pair_co(loop.get()))), "4");
    EXPECT_EQ(loop.close(), 0);
}

}  // namespace

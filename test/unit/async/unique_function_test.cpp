// SPDX-License-Identifier: MIT
// Tests for detail::UniqueFunction: small-buffer storage, move-only captures, exact destruction.
#include "uvmysql/detail/unique_function.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <utility>

namespace {

using uvmysql::detail::UniqueFunction;

// Counts live instances so tests can check that every capture is destroyed exactly once.
struct Tracked {
    static inline int alive = 0;
    Tracked() noexcept { ++alive; }
    Tracked(const Tracked&) noexcept { ++alive; }
    Tracked(Tracked&&) noexcept { ++alive; }
    ~Tracked() { --alive; }
};

TEST(UniqueFunction, DefaultAndNullAreEmpty) {
    UniqueFunction<void()> a;
    UniqueFunction<void()> b = nullptr;
    EXPECT_FALSE(a);
    EXPECT_FALSE(b);
}

TEST(UniqueFunction, SmallCallableIsStoredInline) {
    auto small = [p = static_cast<void*>(nullptr)] { return p == nullptr; };
    using Big = std::array<char, 256>;
    auto big = [b = Big{}] { return b[0] == 0; };
    EXPECT_TRUE(UniqueFunction<bool()>::stores_inline<decltype(small)>);
    EXPECT_FALSE(UniqueFunction<bool()>::stores_inline<decltype(big)>);
    UniqueFunction<bool()> f = small;
    UniqueFunction<bool()> g = big;
    EXPECT_TRUE(f());
    EXPECT_TRUE(g());
}

TEST(UniqueFunction, ForwardsArgumentsAndReturnsResult) {
    UniqueFunction<std::string(std::string, int&)> f = [](std::string s, int& n) {
        ++n;
        return s + "!";
    };
    int calls = 0;
    EXPECT_EQ(f("hi", calls), "hi!");
    EXPECT_EQ(calls, 1);
}

TEST(UniqueFunction, HoldsMoveOnlyCapture) {
    auto p = std::make_unique<int>(42);
    UniqueFunction<int()> f = [p = std::move(p)] { return *p; };
    UniqueFunction<int()> g = std::move(f);
    EXPECT_FALSE(f);  // NOLINT(bugprone-use-after-move): moved-from is documented as empty
    ASSERT_TRUE(g);
    EXPECT_EQ(g(), 42);
}

TEST(UniqueFunction, MutableStateSurvivesCalls) {
    UniqueFunction<int()> counter = [n = 0]() mutable { return ++n; };
    counter();
    counter();
    EXPECT_EQ(counter(), 3);
}

TEST(UniqueFunction, DestroysInlineCaptureExactlyOnce) {
    Tracked::alive = 0;
    {
        UniqueFunction<void()> f = [t = Tracked{}] { static_cast<void>(t); };
        EXPECT_EQ(Tracked::alive, 1);
        UniqueFunction<void()> g = std::move(f);
        EXPECT_EQ(Tracked::alive, 1);
        UniqueFunction<void()> h;
        h = std::move(g);
        EXPECT_EQ(Tracked::alive, 1);
    }
    EXPECT_EQ(Tracked::alive, 0);
}

TEST(UniqueFunction, DestroysHeapCaptureExactlyOnce) {
    Tracked::alive = 0;
    {
        using Big = std::array<char, 256>;
        UniqueFunction<void()> f = [t = Tracked{}, b = Big{}] { static_cast<void>(t), static_cast<void>(b); };
        UniqueFunction<void()> g = std::move(f);
        EXPECT_EQ(Tracked::alive, 1);
        g = nullptr;
        EXPECT_FALSE(g);
        EXPECT_EQ(Tracked::alive, 0);
    }
    EXPECT_EQ(Tracked::alive, 0);
}

TEST(UniqueFunction, AssigningACallableReplacesTheOldOne) {
    Tracked::alive = 0;
    UniqueFunction<int()> f = [t = Tracked{}] { return 1; };
    EXPECT_EQ(Tracked::alive, 1);
    f = [] { return 2; };
    EXPECT_EQ(Tracked::alive, 0);
    EXPECT_EQ(f(), 2);
}

TEST(UniqueFunction, WorksWithPlainFunctionPointers) {
    UniqueFunction<int(int)> f = +[](int x) { return x * 2; };
    EXPECT_EQ(f(21), 42);
}

}  // namespace

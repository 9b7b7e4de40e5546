// SPDX-License-Identifier: MIT
// CancelSignal and its state: each subscriber is told once, unsubscribed ones never.
#include <gtest/gtest.h>

#include <vector>

#include "async/cancel_state.hpp"
#include "common/access.hpp"
#include "uvmysql/cancel.hpp"

namespace uvmysql::test {
namespace {

TEST(CancelState, TellsEverySubscriberOnce) {
    detail::CancelState state;
    std::vector<int> told;
    state.subscribe([&] { told.push_back(1); });
    const auto gone = state.subscribe([&] { told.push_back(2); });
    state.subscribe([&] { told.push_back(3); });
    state.unsubscribe(gone);
    state.unsubscribe(12345);   // unknown: ignored
    EXPECT_FALSE(state.cancelled());
    state.cancel();
    EXPECT_TRUE(state.cancelled());
    EXPECT_EQ(told, (std::vector<int>{1, 3}));
    state.cancel();   // idempotent: nobody is told twice
    EXPECT_EQ(told.size(), 2u);
}

TEST(CancelState, SubscriberMayUnsubscribeOthersWhileBeingTold) {
    detail::CancelState state;
    int told = 0;
    std::uint64_t second = 0;
    state.subscribe([&] {
        ++told;
        state.unsubscribe(second);   // the list being walked is not disturbed
    });
    second = state.subscribe([&] { ++told; });
    state.cancel();
    EXPECT_EQ(told, 2);
}

TEST(CancelSignal, CopiesShareTheSignal) {
    CancelSignal a;
    CancelSignal b = a;
    CancelSignal other;
    EXPECT_FALSE(a.cancelled());
    b.cancel();
    EXPECT_TRUE(a.cancelled());
    EXPECT_FALSE(other.cancelled());
    EXPECT_EQ(detail::Access::state(a), detail::Access::state(b));
}

}  // namespace
}  // namespace uvmysql::test

// SPDX-License-Identifier: MIT
// DeferContinuations: continuations wait until the state change that fulfilled them is over.
#include "async/defer_continuations.hpp"

#include <gtest/gtest.h>

#include <string>

#include "uvmysql/future.hpp"

namespace uvmysql::detail {
namespace {

TEST(DeferContinuations, ContinuationsRunWhenTheScopeEnds) {
    std::string trace;
    Promise<void> p;
    p.get_future().then([&] { trace += "continuation "; }).detach();
    {
        DeferContinuations defer;
        p.set_value();
        trace += "state-change-done ";
    }
    trace += "after";
    EXPECT_EQ(trace, "state-change-done continuation after");
}

TEST(DeferContinuations, NestedScopesWaitForTheOutermost) {
    std::string trace;
    Promise<int> p;
    p.get_future().then([&](int v) { trace += "got" + std::to_string(v) + " "; }).detach();
    {
        DeferContinuations outer;
        {
            DeferContinuations inner;
            p.set_value(1);
        }
        trace += "inner-done ";
    }
    EXPECT_EQ(trace, "inner-done got1 ");
}

TEST(DeferContinuations, InsideAContinuationTheQueueRunsItLater) {
    std::string trace;
    Promise<void> inner;
    inner.get_future().then([&] { trace += "inner "; }).detach();
    make_ready_future()
        .then([&] {
            DeferContinuations defer;   // not the outermost: the running continuation is
            inner.set_value();
            trace += "outer ";
        })
        .detach();
    EXPECT_EQ(trace, "outer inner ");
}

TEST(DeferContinuations, ContinuationsQueuedByContinuationsAllRun) {
    int count = 0;
    Promise<void> a;
    Promise<void> b;
    a.get_future().then([&] { ++count; b.set_value(); }).detach();
    b.get_future().then([&] { ++count; }).detach();
    {
        DeferContinuations defer;
        a.set_value();
        EXPECT_EQ(count, 0);
    }
    EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace uvmysql::detail

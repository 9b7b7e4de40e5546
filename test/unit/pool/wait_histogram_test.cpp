// SPDX-License-Identifier: MIT
// WaitHistogram: bucket placement, cumulative counts, sum and count.
#include <gtest/gtest.h>

#include <chrono>

#include "uvmysql/pool_stats.hpp"

namespace {

using std::chrono::microseconds;
using uvmysql::WaitHistogram;

TEST(WaitHistogram, BoundsAreIncreasing) {
    for (std::size_t i = 1; i < WaitHistogram::bounds_us.size(); ++i)
        EXPECT_LT(WaitHistogram::bounds_us[i - 1], WaitHistogram::bounds_us[i]) << i;
}

TEST(WaitHistogram, BoundsAreInclusive) {
    WaitHistogram h;
    h.record(microseconds(50));  // le=50
    h.record(microseconds(51));  // le=100
    h.record(microseconds(0));   // le=50
    h.record(microseconds(-5));  // a clock oddity counts as 0
    EXPECT_EQ(h.counts[0], 3u);
    EXPECT_EQ(h.counts[1], 1u);
    EXPECT_EQ(h.count, 4u);
    EXPECT_EQ(h.sum_us, 101u);
}

TEST(WaitHistogram, LongWaitsGoToTheLastBucket) {
    WaitHistogram h;
    h.record(std::chrono::seconds(10));  // exactly the last bound
    h.record(std::chrono::seconds(11));  // +Inf
    EXPECT_EQ(h.counts[WaitHistogram::bounds_us.size() - 1], 1u);
    EXPECT_EQ(h.counts.back(), 1u);
}

TEST(WaitHistogram, CumulativeMatchesPrometheusBuckets) {
    WaitHistogram h;
    for (auto us : {10, 90, 300, 300, 2'000, 20'000'000}) h.record(microseconds(us));
    EXPECT_EQ(h.cumulative(0), 1u);  // le=50
    EXPECT_EQ(h.cumulative(1), 2u);  // le=100
    EXPECT_EQ(h.cumulative(2), 2u);  // le=250
    EXPECT_EQ(h.cumulative(3), 4u);  // le=500
    EXPECT_EQ(h.cumulative(5), 5u);  // le=2500
    EXPECT_EQ(h.cumulative(WaitHistogram::bounds_us.size() - 1), 5u);
    EXPECT_EQ(h.cumulative(WaitHistogram::bounds_us.size()), h.count);  // +Inf
    EXPECT_EQ(h.cumulative(1000), h.count);
}

}  // namespace

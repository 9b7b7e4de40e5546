// SPDX-License-Identifier: MIT
// Date, DateTime, Time: parsing and formatting in MySQL's text format, validity rules.
#include "uvmysql/temporal.hpp"

#include <gtest/gtest.h>

using namespace uvmysql;
using namespace std::chrono_literals;

TEST(Date, ParsesAndFormats) {
    EXPECT_EQ(Date::parse("2024-01-02"), (Date{2024, 1, 2}));
    EXPECT_EQ(Date::parse("2024-2-29"), (Date{2024, 2, 29}));
    EXPECT_EQ(Date::parse("0001-01-01"), (Date{1, 1, 1}));
    EXPECT_EQ((Date{2024, 1, 2}).to_string(), "2024-01-02");
    EXPECT_EQ((Date{33, 12, 31}).to_string(), "0033-12-31");
}

TEST(Date, RefusesZeroInvalidAndMalformed) {
    for (const char* bad : {"0000-00-00", "2020-00-10", "2020-01-00", "2021-02-29", "2020-02-30", "1900-02-29",
                            "2020-13-01", "0000-01-01", "2020-01-01 ", "2020/01/01", "20200-01-01", "2020-1",
                            "", "2020-01-011"}) {
        EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
    }
    EXPECT_TRUE(Date::parse("2000-02-29").has_value());
}

TEST(DateTime, ParsesFractionsLikePyMySQL) {
    EXPECT_EQ(DateTime::parse("2024-01-02 03:04:05"), (DateTime{2024, 1, 2, 3, 4, 5, 0}));
    EXPECT_EQ(DateTime::parse("2024-01-02 03:04:05.000006"), (DateTime{2024, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(DateTime::parse("2024-01-02T03:04:05.5"), (DateTime{2024, 1, 2, 3, 4, 5, 500000}));
    EXPECT_EQ(DateTime::parse("2024-01-02 23:59:59.999999"), (DateTime{2024, 1, 2, 23, 59, 59, 999999}));
    for (const char* bad : {"0000-00-00 00:00:00", "2024-01-02 24:00:00", "2024-01-02 03:60:00",
                            "2024-01-02 03:04:05.", "2024-01-02 03:04:05.1234567", "2024-01-02", "2024-01-02 03:04",
                            "2024-02-30 00:00:00"}) {
        EXPECT_FALSE(DateTime::parse(bad).has_value()) << bad;
    }
}

TEST(DateTime, ServerLayoutAndOtherLayoutsAgree) {
    // The server's fixed layout takes a fast path; shorter fields go through the general scanner.
    EXPECT_EQ(DateTime::parse("2024-01-02 03:04:05.12"), (DateTime{2024, 1, 2, 3, 4, 5, 120000}));
    EXPECT_EQ(DateTime::parse("2024-01-02 3:04:05"), (DateTime{2024, 1, 2, 3, 4, 5, 0}));
    EXPECT_EQ(DateTime::parse("2024-1-2 03:04:05.5"), (DateTime{2024, 1, 2, 3, 4, 5, 500000}));
    for (const char* bad : {"2024-01-02 03:04:05.1x", "2024-01-0a 03:04:05", "2024-01-02 03:04:0x", "2024-01-02 03-04-05",
                            "2024-01-02  03:04:05", "2024-01-02 03:04:05.-12345"}) {
        EXPECT_FALSE(DateTime::parse(bad).has_value()) << bad;
    }
    EXPECT_EQ(Date::parse("2024-01-02"), (Date{2024, 1, 2}));
    EXPECT_FALSE(Date::parse("2024-01-0x").has_value());
    EXPECT_FALSE(Date::parse("2024-0x-02").has_value());
}

TEST(DateTime, FormatsMicrosecondsOnlyWhenNonZero) {
    EXPECT_EQ((DateTime{2024, 1, 2, 3, 4, 5, 0}).to_string(), "2024-01-02 03:04:05");
    EXPECT_EQ((DateTime{2024, 1, 2, 3, 4, 5, 6}).to_string(), "2024-01-02 03:04:05.000006");
    EXPECT_EQ((DateTime{2024, 1, 2, 3, 4, 5, 6}).date(), (Date{2024, 1, 2}));
}

TEST(Time, ParsesNegativeLongAndFractional) {
    EXPECT_EQ(Time::parse("00:00:00"), Time());
    EXPECT_EQ(Time::parse("12:34:56")->duration(), 12h + 34min + 56s);
    EXPECT_EQ(Time::parse("-838:59:59")->duration(), -(838h + 59min + 59s));
    EXPECT_EQ(Time::parse("838:59:59.999999")->duration(), 838h + 59min + 59s + 999999us);
    EXPECT_EQ(Time::parse("-00:00:01.5")->duration(), -1500000us);
    EXPECT_EQ(Time::parse("100:00:00")->hours(), 100);
    for (const char* bad : {"", "1:2", "12:60:00", "12:00:60", "--1:00:00", "1:00:00.", "a:00:00",
                            "1:00:00.1234567", "1 02:00:00"}) {
        EXPECT_FALSE(Time::parse(bad).has_value()) << bad;
    }
}

TEST(Time, PartsAndFormatting) {
    const Time t = Time::from_parts(true, 25, 6, 17, 42);
    EXPECT_TRUE(t.negative());
    EXPECT_EQ(t.hours(), 25);
    EXPECT_EQ(t.minute(), 6);
    EXPECT_EQ(t.second(), 17);
    EXPECT_EQ(t.microsecond(), 42);
    EXPECT_EQ(t.to_string(), "-25:06:17.000042");
    EXPECT_EQ(Time(5s).to_string(), "00:00:05");
    EXPECT_EQ(Time(-(838h + 59min + 59s)).to_string(), "-838:59:59");
    EXPECT_EQ(Time(std::chrono::microseconds::min()).negative(), true);   // no overflow on the magnitude
    EXPECT_FALSE(Time(std::chrono::microseconds::min()).to_string().empty());
}

TEST(Time, RoundTripsThroughText) {
    for (const char* s : {"00:00:00", "-00:00:00.000001", "01:02:03.040506", "-838:59:59.999999", "123456:00:00"}) {
        const auto t = Time::parse(s);
        ASSERT_TRUE(t.has_value()) << s;
        EXPECT_EQ(t->to_string(), s);
    }
}

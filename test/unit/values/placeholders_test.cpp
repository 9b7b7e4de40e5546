// SPDX-License-Identifier: MIT
// to_question_marks: %s -> ? outside quotes and comments, %% -> %, and what cannot be prepared.
#include "values/placeholders.hpp"

#include <gtest/gtest.h>

namespace uvmysql::detail {
namespace {

std::string translate(std::string_view q, std::size_t* count = nullptr) {
    std::string out;
    std::size_t n = 0;
    const Status st = to_question_marks(q, out, n);
    EXPECT_TRUE(st.ok()) << st.message;
    if (count) *count = n;
    return out;
}

bool refused(std::string_view q) {
    std::string out = "kept";
    std::size_t n = 0;
    const Status st = to_question_marks(q, out, n);
    EXPECT_EQ(out, "kept");   // left as it was
    return !st.ok() && st.client_kind == ClientKind::programming;
}

TEST(Placeholders, PercentSBecomesQuestionMark) {
    std::size_t n = 0;
    EXPECT_EQ(translate("SELECT * FROM t WHERE a = %s AND b IN (%s, %s)", &n), "SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(translate("SELECT 1", &n), "SELECT 1");
    EXPECT_EQ(n, 0u);
}

TEST(Placeholders, QuotesAndCommentsAreKept) {
    EXPECT_EQ(translate("SELECT 'a?b', \"c?\", `d?` FROM t WHERE x = %s"), "SELECT 'a?b', \"c?\", `d?` FROM t WHERE x = ?");
    EXPECT_EQ(translate("SELECT 'it''s', 'back\\'slash?' , %s"), "SELECT 'it''s', 'back\\'slash?' , ?");
    EXPECT_EQ(translate("SELECT %s -- why?\n, %s # and?\n /* what? */ , %s"),
              "SELECT ? -- why?\n, ? # and?\n /* what? */ , ?");
    EXPECT_EQ(translate("SELECT 5--%s"), "SELECT 5--?");   // no space after --: a minus sign
}

TEST(Placeholders, DoublePercentIsAPercentEverywhere) {
    EXPECT_EQ(translate("SELECT 100 %% 7, '50%%' LIKE %s"), "SELECT 100 % 7, '50%' LIKE ?");
}

TEST(Placeholders, WhatCannotBePreparedIsAProgrammingError) {
    EXPECT_TRUE(refused("SELECT ?"));
    EXPECT_TRUE(refused("SELECT '%s'"));
    EXPECT_TRUE(refused("SELECT 1 -- %s"));
    EXPECT_TRUE(refused("SELECT %(name)s"));
    EXPECT_TRUE(refused("SELECT %d"));
    EXPECT_TRUE(refused("SELECT %"));
}

}  // namespace
}  // namespace uvmysql::detail

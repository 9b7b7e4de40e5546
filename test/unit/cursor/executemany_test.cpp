// SPDX-License-Identifier: MIT
// executemany's builder: which statements batch (PyMySQL's RE_INSERT_VALUES) and how rows are packed.
#include "cursor/executemany.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace uvmysql::test {
namespace {

using detail::build_executemany;
using detail::ClientKind;
using detail::EscapeOptions;
using detail::InsertValuesParts;
using detail::split_insert_values;
using detail::Status;

struct Split {
    std::string prefix;
    std::string values;
    std::string postfix;
    bool operator==(const Split&) const = default;
};

void PrintTo(const Split& s, std::ostream* os) {
    *os << "{prefix \"" << s.prefix << "\", values \"" << s.values << "\", postfix \"" << s.postfix << "\"}";
}

/// The parts of a batchable statement; fails the test when it does not split.
Split split(std::string_view query) {
    InsertValuesParts parts;
    EXPECT_TRUE(split_insert_values(query, parts)) << query;
    return {std::string(parts.prefix), std::string(parts.values), std::string(parts.postfix)};
}

bool splits(std::string_view query) {
    InsertValuesParts parts;
    return split_insert_values(query, parts);
}

/// The statements for `query` and `seq`; fails the test on an error Status.
std::vector<std::string> build(std::string_view query, const std::vector<Args>& seq,
                               std::size_t limit = 1024 * 1024, bool nbe = false) {
    std::vector<std::string> out;
    const Status st = build_executemany(query, seq, EscapeOptions{nbe}, limit, out);
    EXPECT_TRUE(st.ok()) << st.message;
    return out;
}

Status build_error(std::string_view query, const std::vector<Args>& seq) {
    std::vector<std::string> out;
    const Status st = build_executemany(query, seq, EscapeOptions{}, 1024 * 1024, out);
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.client_kind, ClientKind::programming) << st.message;
    return st;
}

TEST(SplitInsertValues, PlainInsert) {
    EXPECT_EQ(split("INSERT INTO t (a, b) VALUES (%s, %s)"),
              (Split{"INSERT INTO t (a, b) VALUES ", "(%s, %s)", ""}));
}

TEST(SplitInsertValues, ValueAndValuesBothWork) {
    EXPECT_EQ(split("INSERT INTO t VALUE (%s)"), (Split{"INSERT INTO t VALUE ", "(%s)", ""}));
    EXPECT_EQ(split("INSERT INTO t VALUES(%s)"), (Split{"INSERT INTO t VALUES", "(%s)", ""}));
}

TEST(SplitInsertValues, ReplaceIsBatchable) {
    EXPECT_EQ(split("REPLACE INTO t (a) VALUES (%s)"), (Split{"REPLACE INTO t (a) VALUES ", "(%s)", ""}));
}

TEST(SplitInsertValues, NamedPlaceholders) {
    EXPECT_EQ(split("INSERT INTO t (a, b) VALUES (%(a)s, %(b)s)"),
              (Split{"INSERT INTO t (a, b) VALUES ", "(%(a)s, %(b)s)", ""}));
    EXPECT_EQ(split("INSERT INTO t VALUES (%(a)s,%s)").values, "(%(a)s,%s)");   // the regex mixes too
}

TEST(SplitInsertValues, OnDuplicateKeyUpdateIsThePostfix) {
    EXPECT_EQ(split("INSERT INTO t (a, b) VALUES (%s, %s) ON DUPLICATE KEY UPDATE b = VALUES(b)"),
              (Split{"INSERT INTO t (a, b) VALUES ", "(%s, %s)", " ON DUPLICATE KEY UPDATE b = VALUES(b)"}));
    // A literal that mentions VALUES (%s) in the clause does not fool the greedy match.
    EXPECT_EQ(split("INSERT INTO t (a) VALUES (%s) ON DUPLICATE KEY UPDATE b = 'VALUES (%s)'"),
              (Split{"INSERT INTO t (a) VALUES ", "(%s)", " ON DUPLICATE KEY UPDATE b = 'VALUES (%s)'"}));
}

TEST(SplitInsertValues, TrailingSemicolonAndSpaces) {
    EXPECT_EQ(split("INSERT INTO t VALUES (%s);"), (Split{"INSERT INTO t VALUES ", "(%s)", ""}));
    EXPECT_EQ(split("INSERT INTO t VALUES (%s) ;  \n"), (Split{"INSERT INTO t VALUES ", "(%s)", ""}));
    EXPECT_EQ(split("INSERT INTO t VALUES (%s) ON DUPLICATE KEY UPDATE a = 1;").postfix,
              " ON DUPLICATE KEY UPDATE a = 1");
}

TEST(SplitInsertValues, LowerCaseKeywords) {
    EXPECT_EQ(split("insert into t (a) values (%s)"), (Split{"insert into t (a) values ", "(%s)", ""}));
    EXPECT_EQ(split("Replace Into t Value (%s)").values, "(%s)");
    EXPECT_EQ(split("insert into t values (%s) on duplicate key update a = a").postfix,
              " on duplicate key update a = a");
}

TEST(SplitInsertValues, ExtraSpacesEverywhere) {
    const Split s = split("  INSERT\n  INTO t\t(a,b)   VALUES \n (  %s ,\t%(x)s  )  ");
    EXPECT_EQ(s.values, "(  %s ,\t%(x)s  )");
    EXPECT_EQ(s.postfix, "");
    EXPECT_TRUE(s.prefix.ends_with("VALUES \n ")) << s.prefix;
    EXPECT_NE(s.prefix.find("INSERT\n  INTO t\t(a,b)"), std::string::npos) << s.prefix;
}

TEST(SplitInsertValues, OtherStatementsAreNotBatched) {
    EXPECT_FALSE(splits("UPDATE t SET a = %s WHERE id = %s"));
    EXPECT_FALSE(splits("DELETE FROM t WHERE id = %s"));
    EXPECT_FALSE(splits("SELECT %s"));
    EXPECT_FALSE(splits("INSERT INTO t (a) SELECT a FROM u WHERE b = %s"));
    EXPECT_FALSE(splits("INSERTINTO t VALUES (%s)"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES (%s) RETURNING id"));
    EXPECT_FALSE(splits("INSERT INTO t VALUES (%s), (%s)"));   // two row templates
    EXPECT_FALSE(splits(""));
    EXPECT_FALSE(splits("INSERT"));
}

TEST(SplitInsertValues, OnlyPlaceholdersMayFormTheRow) {
    // PyMySQL's row template is `\(\s*(?:%s|%\(.+\)s)\s*(?:,\s*(?:%s|%\(.+\)s)\s*)*\)`: a
    // constant, an expression or NOW() in the row makes the statement non-batchable.
    EXPECT_FALSE(splits("INSERT INTO t (a, b) VALUES (1, %s)"));
    EXPECT_FALSE(splits("INSERT INTO t (a, b) VALUES (%s, NOW())"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES ('%s')"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES (%d)"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES ()"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES (%s,)"));
    EXPECT_FALSE(splits("INSERT INTO t (a) VALUES (%()s)"));
}

TEST(SplitInsertValues, ValuesInsideNamesAndStrings) {
    // A column named my_values or values_count is not the keyword.
    EXPECT_EQ(split("INSERT INTO t (my_values, values_count) VALUES (%s, %s)"),
              (Split{"INSERT INTO t (my_values, values_count) VALUES ", "(%s, %s)", ""}));
    EXPECT_EQ(split("INSERT INTO `values` (a) VALUES (%s)").prefix, "INSERT INTO `values` (a) VALUES ");
    // "values (%s)" inside a string literal of the row: the row is not placeholders only.
    EXPECT_FALSE(splits("INSERT INTO t (a, b) VALUES (%s, 'values (%s)')"));
    EXPECT_FALSE(splits("INSERT INTO t (a) SELECT 'VALUES (%s)'"));
}

TEST(BuildExecutemany, BatchesRowsIntoOneStatement) {
    EXPECT_EQ(build("INSERT INTO t (a, b) VALUES (%s, %s)", {{1, "x"}, {2, "y'z"}, {3, nullptr}}),
              std::vector<std::string>{"INSERT INTO t (a, b) VALUES (1, 'x'),(2, 'y\\'z'),(3, NULL)"});
}

TEST(BuildExecutemany, NamedRowsAndPostfix) {
    EXPECT_EQ(build("INSERT INTO t (a, b) VALUES (%(a)s, %(b)s) ON DUPLICATE KEY UPDATE b = VALUES(b);",
                    {{{"a", 1}, {"b", "p"}}, {{"b", "q"}, {"a", 2}}}),
              std::vector<std::string>{
                  "INSERT INTO t (a, b) VALUES (1, 'p'),(2, 'q') ON DUPLICATE KEY UPDATE b = VALUES(b)"});
}

TEST(BuildExecutemany, NoBackslashEscapesIsHonoured) {
    EXPECT_EQ(build("INSERT INTO t VALUES (%s)", {{"a'b\\"}}, 1024, true),
              std::vector<std::string>{"INSERT INTO t VALUES ('a''b\\')"});
}

TEST(BuildExecutemany, SplitsAtTheSizeLimit) {
    const std::string query = "INSERT INTO t VALUES (%s)";
    std::vector<Args> seq;
    for (int i = 0; i < 100; ++i) seq.push_back({1000 + i});   // every row is "(1xyz)": 6 bytes
    const std::string prefix = "INSERT INTO t VALUES ";
    for (std::size_t limit = prefix.size() + 6; limit < prefix.size() + 700; limit += 7) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        const auto statements = build(query, seq, limit);
        // Every statement fits, is as full as the limit allows, and together they hold the rows in order.
        const std::size_t per_statement = (limit - prefix.size() + 1) / 7;
        ASSERT_GE(per_statement, 1u);
        EXPECT_EQ(statements.size(), (seq.size() + per_statement - 1) / per_statement);
        std::string joined;
        for (const auto& s : statements) {
            EXPECT_LE(s.size(), limit);
            ASSERT_TRUE(s.starts_with(prefix)) << s;
            if (!joined.empty()) joined += ',';
            joined += s.substr(prefix.size());
        }
        std::string expected;
        for (int i = 0; i < 100; ++i) expected += (i ? ",(" : "(") + std::to_string(1000 + i) + ")";
        EXPECT_EQ(joined, expected);
    }
}

TEST(BuildExecutemany, PostfixCountsTowardsTheLimitAndEndsEveryBatch) {
    const auto statements = build("INSERT INTO t VALUES (%s) ON DUPLICATE KEY UPDATE a = a",
                                  {{1}, {2}, {3}}, std::string("INSERT INTO t VALUES (1),(2) ON DUPLICATE KEY UPDATE a = a").size());
    EXPECT_EQ(statements, (std::vector<std::string>{"INSERT INTO t VALUES (1),(2) ON DUPLICATE KEY UPDATE a = a",
                                                    "INSERT INTO t VALUES (3) ON DUPLICATE KEY UPDATE a = a"}));
}

TEST(BuildExecutemany, RowLargerThanTheLimitGoesAlone) {
    const std::string big(200, 'x');
    const auto statements = build("INSERT INTO t VALUES (%s)", {{1}, {big}, {2}}, 40);
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[0], "INSERT INTO t VALUES (1)");
    EXPECT_EQ(statements[1], "INSERT INTO t VALUES ('" + big + "')");
    EXPECT_EQ(statements[2], "INSERT INTO t VALUES (2)");
}

TEST(BuildExecutemany, NonBatchableStatementsRunOncePerArgs) {
    EXPECT_EQ(build("UPDATE t SET b = %s WHERE a = %s", {{"x", 1}, {"y", 2}}),
              (std::vector<std::string>{"UPDATE t SET b = 'x' WHERE a = 1", "UPDATE t SET b = 'y' WHERE a = 2"}));
    EXPECT_EQ(build("INSERT INTO t (a, b) VALUES (%s, NOW())", {{1}, {2}}),
              (std::vector<std::string>{"INSERT INTO t (a, b) VALUES (1, NOW())",
                                        "INSERT INTO t (a, b) VALUES (2, NOW())"}));
    EXPECT_EQ(build("DELETE FROM t WHERE a = %(a)s AND b LIKE 'x%%'", {{{"a", 5}}}),
              std::vector<std::string>{"DELETE FROM t WHERE a = 5 AND b LIKE 'x%'"});
}

TEST(BuildExecutemany, PercentPercentInThePrefixBecomesPercent) {
    // PyMySQL formats the prefix with `m.group(1) % ()`, so "%%" there reaches the server as
    // "%", exactly as one execute() of the same statement would send it.
    // Library bug (reported): the prefix is copied without `%` processing, so "%%" is sent.
    EXPECT_EQ(build("INSERT /* 100%% sure */ INTO t VALUES (%s)", {{1}, {2}}),
              std::vector<std::string>{"INSERT /* 100% sure */ INTO t VALUES (1),(2)"});
}

TEST(BuildExecutemany, EmptySequenceBuildsNothing) {
    // PyMySQL returns at once for an empty sequence. Library bug (reported, latent: the cursor
    // checks first): a batchable statement yields the bare prefix "INSERT INTO t VALUES ".
    EXPECT_TRUE(build("INSERT INTO t VALUES (%s)", {}).empty());
    EXPECT_TRUE(build("UPDATE t SET a = %s", {}).empty());
}

TEST(BuildExecutemany, BadArgumentsAreProgrammingErrors) {
    EXPECT_NE(build_error("INSERT INTO t VALUES (%s, %s)", {{1, 2}, {3}}).message.find("not enough arguments"),
              std::string::npos);
    EXPECT_NE(build_error("INSERT INTO t VALUES (%s)", {{1}, {2, 3}}).message.find("not all arguments converted"),
              std::string::npos);
    EXPECT_NE(build_error("INSERT INTO t VALUES (%(a)s)", {{{"b", 1}}}).message.find("'a'"), std::string::npos);
    (void)build_error("INSERT INTO t VALUES (%(a)s)", {{1}});
    (void)build_error("UPDATE t SET a = %s", {{1}, {1, 2}});
    (void)build_error("INSERT INTO t VALUES (%s)", {{std::numeric_limits<double>::infinity()}});
}

}  // namespace
}  // namespace uvmysql::test

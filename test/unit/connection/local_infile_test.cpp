// SPDX-License-Identifier: MIT
// local_infile_name(): the one file a LOAD DATA LOCAL INFILE statement may send.
#include "connection/local_infile.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace uvmysql::test {
namespace {

using detail::local_infile_name;

TEST(LocalInfileName, SingleAndDoubleQuotes) {
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '/tmp/a.csv' INTO TABLE t"), "/tmp/a.csv");
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE \"/tmp/b.csv\" INTO TABLE t"), "/tmp/b.csv");
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '/tmp/it\"s.csv' INTO TABLE t"), "/tmp/it\"s.csv");
}

TEST(LocalInfileName, CaseAndSpaces) {
    EXPECT_EQ(local_infile_name("load data local infile '/x' into table t"), "/x");
    EXPECT_EQ(local_infile_name("LOAD DATA\n  LOCAL\tINFILE\n\t'/y'\nINTO TABLE t"), "/y");
    EXPECT_EQ(local_infile_name("LOAD DATA LOW_PRIORITY LOCAL INFILE '/z' REPLACE INTO TABLE t"), "/z");
}

TEST(LocalInfileName, DoubledQuotes) {
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '/tmp/it''s.csv' INTO TABLE t"), "/tmp/it's.csv");
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE \"/tmp/say \"\"hi\"\".csv\" INTO TABLE t"),
              "/tmp/say \"hi\".csv");
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '''' INTO TABLE t"), "'");
}

TEST(LocalInfileName, BackslashEscapes) {
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/it\'s.csv' INTO TABLE t)"), "/tmp/it's.csv");
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/back\\slash.csv' INTO TABLE t)"),
              "/tmp/back\\slash.csv");
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE "/tmp/q\"q.csv" INTO TABLE t)"), "/tmp/q\"q.csv");
}

TEST(LocalInfileName, EscapesMeanWhatTheServerReads) {
    // The server unescapes the literal as a string ('\n' is a newline, '\t' a tab, '\0' NUL...) and
    // asks for that name; the client must compute the same name or it refuses a legitimate request.
    // Library bug (reported): local_infile_name drops the backslash and keeps the letter ("/tmp/anb").
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/a\nb' INTO TABLE t)"), "/tmp/a\nb");
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/a\tb' INTO TABLE t)"), "/tmp/a\tb");
}

TEST(LocalInfileName, NoBackslashEscapesKeepsBackslashes) {
    // Under sql_mode NO_BACKSLASH_ESCAPES a backslash is an ordinary character; only a doubled
    // quote stands for a quote.
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE 'C:\tmp\new.csv' INTO TABLE t)", true),
              R"(C:\tmp\new.csv)");
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/it''s\' INTO TABLE t)", true), R"(/tmp/it's\)");
    EXPECT_EQ(local_infile_name(R"(LOAD DATA LOCAL INFILE '/tmp/x\' INTO TABLE t)", false), std::nullopt);
}

TEST(LocalInfileName, NotALocalInfileStatement) {
    EXPECT_EQ(local_infile_name("SELECT 1"), std::nullopt);
    EXPECT_EQ(local_infile_name(""), std::nullopt);
    EXPECT_EQ(local_infile_name("SELECT infile FROM t"), std::nullopt);
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE"), std::nullopt);
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE /tmp/x INTO TABLE t"), std::nullopt);
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '/tmp/unterminated"), std::nullopt);
    EXPECT_EQ(local_infile_name("LOAD DATA LOCAL INFILE '/tmp/x\\'"), std::nullopt);
}

TEST(LocalInfileName, ServerSideInfileIsNotLocal) {
    // LOAD DATA INFILE (without LOCAL) reads on the server; a server that answers it with a
    // LOCAL INFILE request must not get the client's copy of that file.
    // Library bug (reported): the LOCAL keyword is never checked, so these return the name.
    EXPECT_EQ(local_infile_name("LOAD DATA INFILE '/etc/passwd' INTO TABLE t"), std::nullopt);
    EXPECT_EQ(local_infile_name("SELECT 'no LOCAL INFILE \"/etc/passwd\" here'"), std::nullopt);
    EXPECT_EQ(local_infile_name("SELECT * FROM t WHERE note = 'LOAD DATA LOCAL INFILE \"/etc/passwd\"'"),
              std::nullopt);
}

}  // namespace
}  // namespace uvmysql::test

// SPDX-License-Identifier: MIT
// Pipelining against the private MariaDB: many statements in flight on one connection, replies
// matched in order, one failure failing only its own future.
#include <string>
#include <vector>

#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using PipelineTest = ServerTest;

TEST_F(PipelineTest, ThousandStatementsWithOneFailingInTheMiddle) {
    ConnectOptions opt = server_options();
    opt.pipeline = true;
    Connection c = open(opt);
    std::vector<Future<std::vector<ResultSet>>> replies;
    for (int i = 0; i < 1000; ++i) {
        replies.push_back(c.query(i == 500 ? std::string("SELECT * FROM pipeline_no_such_table")
                                           : "SELECT " + std::to_string(i)));
    }
    for (int i = 0; i < 1000; ++i) {
        if (i == 500) {
            EXPECT_TRUE(failure_of<ProgrammingError>(std::move(replies[500])));
            continue;
        }
        const auto sets = wait(std::move(replies[static_cast<std::size_t>(i)]));
        ASSERT_EQ(sets.size(), 1u);
        EXPECT_EQ(sets[0].rows.at(0).at(0).as<std::int64_t>(), i);
    }
    EXPECT_FALSE(c.closed());
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

TEST_F(PipelineTest, PipelinedStatementsRunInOrder) {
    ConnectOptions opt = server_options();
    opt.pipeline = true;
    Connection c = open(opt);
    auto set = c.query("SET @pipelined = 41");
    auto cur = c.cursor();
    auto read = cur.execute("SELECT @pipelined + 1");
    (void)wait(std::move(set));
    EXPECT_EQ(wait(std::move(read)), 1u);
    EXPECT_EQ((*wait(cur.fetchone()))[0].as<std::int64_t>(), 42);
}

TEST_F(PipelineTest, BatchSendsEveryStatementAndFailsOnlyTheBadOne) {
    Connection c = open(server_options());   // no pipeline option: the batch pipelines anyway
    auto replies = c.pipeline("SELECT 1", "SELEC 2", "SELECT 3");
    ASSERT_EQ(replies.size(), 3u);
    EXPECT_EQ(wait(std::move(replies[0])).at(0).rows.at(0).at(0).as<std::int64_t>(), 1);
    auto e = failure_of<ProgrammingError>(std::move(replies[1]));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1064);
    EXPECT_EQ(wait(std::move(replies[2])).at(0).rows.at(0).at(0).as<std::int64_t>(), 3);
    std::vector<std::string> statements;
    statements.emplace_back("SELECT 4");
    auto one = c.pipeline(std::move(statements));
    EXPECT_EQ(wait(std::move(one.at(0))).at(0).rows.at(0).at(0).as<std::int64_t>(), 4);
}

TEST_F(PipelineTest, TransactionControlWaitsForWhatIsBeforeIt) {
    ConnectOptions opt = server_options();
    opt.pipeline = true;
    Connection c = open(opt);
    (void)wait(c.query("CREATE TEMPORARY TABLE pipeline_tx (id INT PRIMARY KEY) ENGINE=InnoDB"));
    auto begun = c.begin();
    auto first = c.query("INSERT INTO pipeline_tx VALUES (1)");
    auto duplicate = c.query("INSERT INTO pipeline_tx VALUES (1)");
    auto second = c.query("INSERT INTO pipeline_tx VALUES (2)");   // still runs after the failure
    auto rolled_back = c.rollback();
    wait(std::move(begun));
    (void)wait(std::move(first));
    EXPECT_TRUE(failure_of<IntegrityError>(std::move(duplicate)));
    (void)wait(std::move(second));
    wait(std::move(rolled_back));
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM pipeline_tx").as<std::int64_t>(), 0);
}

}  // namespace
}  // namespace uvmysql::test

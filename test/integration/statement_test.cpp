// SPDX-License-Identifier: MIT
// Server-side prepared statements against MariaDB: binary rows equal to text rows for every
// column type, typed parameters, SEND_LONG_DATA with a 20 MiB blob, the statement cache (hits,
// eviction closing statements, invalidation on reset and reconnect) and each error.
#include <string>
#include <vector>

#include "common/access.hpp"
#include "connection/connection_impl.hpp"
#include "integration_support.hpp"
#include "protocol/capabilities.hpp"

namespace uvmysql::test {
namespace {

class StatementTest : public ServerTest {
protected:
    /// Prepared statements open on the whole server, read from another session
    /// (Prepared_stmt_count is a global status variable).
    std::int64_t prepared_count() {
        if (observer_.closed()) observer_ = open(server_options());
        auto sets = wait(observer_.query("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'"));
        return std::stoll(sets.at(0).rows.at(0).at(1).as<std::string>());
    }
    /// Prepared_stmt_count once the statements of the connections closed by earlier tests are
    /// gone (the server frees them after the disconnect, asynchronously).
    std::int64_t settled_prepared_count() {
        std::int64_t n = prepared_count();
        for (int i = 0; i < 40 && n != 0; ++i) {
            (void)wait(observer_.query("DO SLEEP(0.05)"));
            n = prepared_count();
        }
        return n;
    }
    /// A session status counter of `c`.
    std::int64_t session_counter(Connection& c, const std::string& name) {
        auto sets = wait(c.query("SHOW SESSION STATUS LIKE '" + name + "'"));
        return std::stoll(sets.at(0).rows.at(0).at(1).as<std::string>());
    }
    /// How many COM_STMT_PREPARE this session sent.
    std::int64_t prepares_sent(Connection& c) {
        auto sets = wait(c.query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'"));
        return std::stoll(sets.at(0).rows.at(0).at(1).as<std::string>());
    }
    Connection observer_;
};

/// Columns of every type the cursor and value tests read, with boundary values.
constexpr const char* all_types_table =
    "CREATE TEMPORARY TABLE t_types ("
    " id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED,"
    " mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,"
    " f FLOAT, f73 FLOAT(7,3), d DOUBLE, d102 DOUBLE(10,2), dec1 DECIMAL(20,6), dt DATE, dtm DATETIME,"
    " dtm6 DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME, tm6 TIME(6), y YEAR, b BIT(10), c CHAR(5),"
    " vc VARCHAR(50), tx TEXT, bl BLOB, vb VARBINARY(20), js JSON, en ENUM('a','b'), st SET('x','y'),"
    " zf INT(5) ZEROFILL, g GEOMETRY)";

constexpr const char* all_types_rows =
    "INSERT INTO t_types VALUES"
    " (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,"
    "  -9223372036854775808, 18446744073709551615, 3.1415927, 1234.5678, 2.718281828459045, 12345678.91,"
    "  '-12345678901234.123456', '2024-02-29', '1999-12-31 23:59:59', '2020-01-02 03:04:05.123456',"
    "  '2021-06-07 08:09:10.5', '-838:59:59', '123:45:06.789012', 2155, b'1010101010', 'abc',"
    "  'héllo wörld ✓', REPEAT('t', 300), x'00ff10', x'cafe', '{\"k\": [1, 2]}', 'b', 'x,y', 42,"
    "  ST_GeomFromText('POINT(1 2)')),"
    " (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, -0.5, -1.0, -1e300, 0,"
    "  '0.000001', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', NULL, '00:00:00',"
    "  '-00:00:00.000001', 0, b'0', '', '', '', '', '', '[]', 'a', '', 0, NULL),"
    " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

class StatementLinks : public StatementTest, public testing::WithParamInterface<Link> {};

TEST_P(StatementLinks, BinaryRowsEqualTextRowsForEveryType) {
    Connection c = open(server_options(GetParam()));
    (void)wait(c.query("SET SESSION sql_mode = ''"));   // the zero dates
    (void)wait(c.query(all_types_table));
    (void)wait(c.query(all_types_rows));
    auto text = wait(c.query("SELECT * FROM t_types ORDER BY id"));
    Statement stmt = wait(c.prepare("SELECT * FROM t_types WHERE id >= ? ORDER BY id"));
    EXPECT_EQ(stmt.param_count(), 1u);
    EXPECT_EQ(stmt.columns()->size(), text.at(0).columns->size());
    ResultSet binary = wait(stmt.execute(1));
    ASSERT_EQ(binary.rows.size(), 3u);
    const auto& cols = *text.at(0).columns;
    for (std::size_t r = 0; r < 3; ++r) {
        for (std::size_t i = 0; i < cols.size(); ++i) {
            EXPECT_EQ(binary.rows[r].at(i), text.at(0).rows[r].at(i)) << "row " << r << " column " << cols[i].name;
        }
    }
    for (std::size_t i = 0; i < cols.size(); ++i) EXPECT_EQ((*binary.columns)[i].name, cols[i].name);
}

TEST_P(StatementLinks, TypedParametersRoundTrip) {
    Connection c = open(server_options(GetParam()));
    Statement stmt = wait(c.prepare("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"));
    ASSERT_EQ(stmt.param_count(), 10u);
    const Params params{Value(nullptr),
                        Value(std::int64_t{-9223372036854775807 - 1}),
                        Value(std::uint64_t{18446744073709551615u}),
                        Value(2.5),
                        Value("text ✓"),
                        Value(Bytes("\x00\x01\xff", 3)),
                        Value(*Decimal::parse("-123.4500")),
                        Value(Date{2024, 2, 29}),
                        Value(DateTime{2020, 1, 2, 3, 4, 5, 123456}),
                        Value(Time::from_parts(true, 100, 2, 3, 4))};
    ResultSet rs = wait(stmt.execute(params));
    ASSERT_EQ(rs.rows.size(), 1u);
    const Row& row = rs.rows[0];
    EXPECT_TRUE(row.at(0).is_null());
    EXPECT_EQ(row.at(1).as<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(row.at(2).as<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_DOUBLE_EQ(row.at(3).as<double>(), 2.5);
    EXPECT_EQ(row.at(4).as<std::string>(), "text ✓");
    EXPECT_EQ(row.at(5), Value(Bytes("\x00\x01\xff", 3)));
    EXPECT_EQ(row.at(6).to_string(), "-123.4500");
    EXPECT_EQ(row.at(7), Value(Date{2024, 2, 29}));
    EXPECT_EQ(row.at(8), Value(DateTime{2020, 1, 2, 3, 4, 5, 123456}));
    EXPECT_EQ(row.at(9), Value(Time::from_parts(true, 100, 2, 3, 4)));
}

INSTANTIATE_TEST_SUITE_P(Links, StatementLinks, testing::Values(Link::tcp, Link::unix_socket, Link::tls, Link::compressed),
                         link_name);

TEST_F(StatementTest, InsertReportsAffectedRowsAndInsertId) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE t_ins (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))"));
    Statement ins = wait(c.prepare("INSERT INTO t_ins (v) VALUES (?), (?)"));
    ResultSet rs = wait(ins.execute("a", "b"));
    EXPECT_FALSE(rs.has_rows());
    EXPECT_EQ(rs.affected_rows, 2u);
    EXPECT_EQ(rs.insert_id, 1u);
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_ins").as<std::int64_t>(), 2);
}

TEST_F(StatementTest, LongDataOf20MiB) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE t_long (id INT, data LONGBLOB)"));
    std::string blob(20u * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
    Statement ins = wait(c.prepare("INSERT INTO t_long VALUES (?, ?)"));
    wait(ins.send_long_data(1, blob), std::chrono::seconds(60));
    ResultSet rs = wait(ins.execute(1, nullptr), std::chrono::seconds(60));
    EXPECT_EQ(rs.affected_rows, 1u);
    auto sets = wait(c.query("SELECT LENGTH(data), MD5(data) FROM t_long WHERE id = 1"), std::chrono::seconds(60));
    EXPECT_EQ(sets.at(0).rows.at(0).at(0).as<std::int64_t>(), static_cast<std::int64_t>(blob.size()));
    Statement md5 = wait(c.prepare("SELECT MD5(?)"));
    wait(md5.send_long_data(0, blob), std::chrono::seconds(60));
    EXPECT_EQ(wait(md5.execute(nullptr), std::chrono::seconds(60)).rows.at(0).at(0), sets.at(0).rows.at(0).at(1));
    // Reading it back through the binary protocol: a row larger than one 16 MiB frame.
    Statement sel = wait(c.prepare("SELECT data FROM t_long WHERE id = ?"));
    ResultSet back = wait(sel.execute(1), std::chrono::seconds(60));
    EXPECT_EQ(back.rows.at(0).at(0).as<Bytes>().size(), blob.size());
    EXPECT_TRUE(back.rows.at(0).at(0) == Value(Bytes(blob.data(), blob.size())));
}

TEST_F(StatementTest, ResetForgetsLongData) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT CONCAT('[', ?, ']')"));
    wait(stmt.send_long_data(0, "lost"));
    wait(stmt.reset());
    EXPECT_EQ(wait(stmt.execute("kept")).rows.at(0).at(0).as<std::string>(), "[kept]");
}

TEST_F(StatementTest, WrongParameterCountIsAProgrammingErrorBeforeSending) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT ? + ?"));
    auto e = failure_of<ProgrammingError>(stmt.execute(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1210);
    EXPECT_TRUE(failure_of<ProgrammingError>(stmt.execute(Params{})));
    EXPECT_EQ(wait(stmt.execute(1, 2)).rows.at(0).at(0).as<std::int64_t>(), 3);   // still usable
}

TEST_F(StatementTest, MultiStatementStringIsRefusedByTheServer) {
    Connection c = open(server_options());
    auto e = failure_of<ProgrammingError>(c.prepare("SELECT 1; SELECT 2"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1064);
    auto syntax = failure_of<ProgrammingError>(c.prepare("SELEC 1"));
    ASSERT_TRUE(syntax);
    EXPECT_EQ(syntax->errno_code(), 1064);
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7);
}

TEST_F(StatementTest, ServerErrorAtExecuteLeavesTheConnectionUsable) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE t_uniq (id INT PRIMARY KEY)"));
    Statement ins = wait(c.prepare("INSERT INTO t_uniq VALUES (?)"));
    (void)wait(ins.execute(1));
    auto e = failure_of<IntegrityError>(ins.execute(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1062);
    EXPECT_EQ(wait(ins.execute(2)).affected_rows, 1u);
}

TEST_F(StatementTest, ExecuteOfAProcedureGivesItsFirstResultSet) {
    Connection c = open(server_options());
    (void)wait(c.query("DROP PROCEDURE IF EXISTS uvm_two_sets"));
    (void)wait(c.query("CREATE PROCEDURE uvm_two_sets(IN n INT) BEGIN SELECT n AS first, 'a' AS s; "
                       "SELECT n + 1 AS second UNION ALL SELECT n + 2; END"));
    Statement call = wait(c.prepare("CALL uvm_two_sets(?)"));
    for (int n : {10, 20}) {   // twice: the sets after the first are read and dropped each time
        ResultSet rs = wait(call.execute(n));
        ASSERT_TRUE(rs.has_rows());
        ASSERT_EQ(rs.rows.size(), 1u);
        EXPECT_EQ(rs.rows.at(0).at(0).as<std::int64_t>(), n);
        EXPECT_EQ(rs.rows.at(0).at(1).as<std::string>(), "a");
        EXPECT_EQ(rs.columns->at(0).name, "first");
        EXPECT_EQ(rs.affected_rows, 1u);
    }
    // A later statement of the procedure failing fails the execute, as a cursor reports it.
    (void)wait(c.query("DROP PROCEDURE IF EXISTS uvm_fails_later"));
    (void)wait(c.query("CREATE PROCEDURE uvm_fails_later() BEGIN SELECT 1; SELECT * FROM uvm_no_such_table; END"));
    Statement bad = wait(c.prepare("CALL uvm_fails_later()"));
    auto e = failure_of<ProgrammingError>(bad.execute());
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1146);
    EXPECT_EQ(wait(call.execute(1)).rows.at(0).at(0).as<std::int64_t>(), 1);   // the connection goes on
    (void)wait(c.query("DROP PROCEDURE uvm_two_sets"));
    (void)wait(c.query("DROP PROCEDURE uvm_fails_later"));
}

TEST_F(StatementTest, StatementOfAClosedConnectionIsAnInterfaceError) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT ?"));
    c.close();
    EXPECT_TRUE(stmt.closed());
    EXPECT_TRUE(failure_of<InterfaceError>(stmt.execute(1)));
    EXPECT_TRUE(failure_of<InterfaceError>(c.prepare("SELECT 1")));
    wait(stmt.close());   // only marked closed
}

TEST_F(StatementTest, ResetConnectionInvalidatesStatementsAndTheCache) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT ? + 1"));
    EXPECT_EQ(wait(stmt.execute(1)).rows.at(0).at(0).as<std::int64_t>(), 2);
    wait(c.reset_connection());
    EXPECT_TRUE(stmt.closed());
    auto e = failure_of<ProgrammingError>(stmt.execute(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1243);
    const auto before = prepares_sent(c);
    Statement again = wait(c.prepare("SELECT ? + 1"));   // not the forgotten statement from the cache
    EXPECT_EQ(prepares_sent(c), before + 1);
    EXPECT_EQ(wait(again.execute(41)).rows.at(0).at(0).as<std::int64_t>(), 42);
}

TEST_F(StatementTest, ReconnectInvalidatesStatements) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT ?"));
    c.close();
    wait(c.ping(true));
    EXPECT_TRUE(stmt.closed());
    auto e = failure_of<ProgrammingError>(stmt.execute(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1243);
    EXPECT_EQ(wait(wait(c.prepare("SELECT ?")).execute(5)).rows.at(0).at(0).as<std::int64_t>(), 5);
}

TEST_F(StatementTest, CacheHitsAndEvictionClosesOnTheServer) {
    ConnectOptions opt = server_options();
    opt.prepared_statement_cache_size = 2;
    Connection c = open(opt);
    const auto base = settled_prepared_count();
    const auto sent = prepares_sent(c);
    {
        Statement a = wait(c.prepare("SELECT 'a', ?"));
        Statement b = wait(c.prepare("SELECT 'b', ?"));
        EXPECT_EQ(prepared_count(), base + 2);
        Statement a2 = wait(c.prepare("SELECT 'a', ?"));   // a hit: no round trip
        EXPECT_EQ(prepares_sent(c), sent + 2);
        EXPECT_EQ(wait(a2.execute(1)).rows.at(0).at(0).as<std::string>(), "a");
    }
    // 'b' is now the least recently used: a third statement evicts it, closing it on the server.
    Statement d = wait(c.prepare("SELECT 'd', ?"));
    (void)wait(c.query("DO 1"));   // the COM_STMT_CLOSE has gone out before this
    EXPECT_EQ(prepared_count(), base + 2);
    const auto sent_now = prepares_sent(c);
    (void)wait(c.prepare("SELECT 'a', ?"));   // still cached
    EXPECT_EQ(prepares_sent(c), sent_now);
    (void)wait(c.prepare("SELECT 'b', ?"));   // evicted: prepared again
    EXPECT_EQ(prepares_sent(c), sent_now + 1);
}

TEST_F(StatementTest, EvictedStatementHeldByTheUserStaysUsable) {
    ConnectOptions opt = server_options();
    opt.prepared_statement_cache_size = 1;
    Connection c = open(opt);
    const auto base = settled_prepared_count();
    Statement a = wait(c.prepare("SELECT 'a', ?"));
    Statement b = wait(c.prepare("SELECT 'b', ?"));   // evicts 'a' from the cache, not from the user
    EXPECT_EQ(wait(a.execute(1)).rows.at(0).at(0).as<std::string>(), "a");
    EXPECT_EQ(prepared_count(), base + 2);
    a = Statement();   // the last holder: closed on the server
    (void)wait(c.query("DO 1"));
    EXPECT_EQ(prepared_count(), base + 1);
    (void)b;
}

TEST_F(StatementTest, WithoutCacheCloseFreesTheStatement) {
    ConnectOptions opt = server_options();
    opt.prepared_statement_cache_size = 0;
    Connection c = open(opt);
    const auto base = settled_prepared_count();
    Statement a = wait(c.prepare("SELECT ?"));
    EXPECT_EQ(prepared_count(), base + 1);
    wait(a.close());
    EXPECT_TRUE(a.closed());
    (void)wait(c.query("DO 1"));
    EXPECT_EQ(prepared_count(), base);
    auto e = failure_of<ProgrammingError>(a.execute(1));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1243);
}

TEST_F(StatementTest, TooManyPreparedStatementsIsTheServersError) {
    Connection c = open(server_options());
    (void)wait(c.query("SET GLOBAL max_prepared_stmt_count = " + std::to_string(settled_prepared_count() + 1)));
    Statement one = wait(c.prepare("SELECT 1"));
    auto e = failure_of<OperationalError>(c.prepare("SELECT 2"));
    (void)wait(c.query("SET GLOBAL max_prepared_stmt_count = DEFAULT"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1461);
    EXPECT_EQ(wait(one.execute()).rows.at(0).at(0).as<std::int64_t>(), 1);
}

TEST_F(StatementTest, QueryTimeoutAppliesToExecute) {
    ConnectOptions opt = server_options();
    opt.query_timeout = std::chrono::milliseconds(300);
    Connection c = open(opt);
    Statement slow = wait(c.prepare("SELECT SLEEP(?)"));
    EXPECT_TRUE(failure_of<QueryTimeoutError>(slow.execute(5)));
    EXPECT_EQ(scalar(c, "SELECT 3").as<std::int64_t>(), 3);
}

TEST_F(StatementTest, PreparedCursorGivesTheSameValuesAsTheTextCursor) {
    ConnectOptions opt = server_options();
    Connection c = open(opt);
    (void)wait(c.query("SET SESSION sql_mode = ''"));
    (void)wait(c.query(all_types_table));
    (void)wait(c.query(all_types_rows));
    auto text = c.cursor();
    auto prep = c.cursor();
    prep.set_prepared(true);
    EXPECT_TRUE(prep.prepared());
    const std::string q = "SELECT * FROM t_types WHERE id >= %s AND c <> '?%%' ORDER BY id";
    EXPECT_EQ(wait(text.execute(q, 1)), 2u);   // row 3 has c NULL
    EXPECT_EQ(wait(prep.execute(q, 1)), 2u);
    EXPECT_EQ(prep.last_executed(), "SELECT * FROM t_types WHERE id >= ? AND c <> '?%' ORDER BY id");
    auto a = wait(text.fetchall());
    auto b = wait(prep.fetchall());
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t r = 0; r < a.size(); ++r) EXPECT_EQ(a[r], b[r]) << "row " << r;
    EXPECT_EQ(prep.description().size(), text.description().size());
    // Run again: the statement comes from the cache.
    const auto sent = prepares_sent(c);
    EXPECT_EQ(wait(prep.execute(q, 2)), 1u);
    EXPECT_EQ(prepares_sent(c), sent);
    // executemany prepares once and executes per row.
    (void)wait(c.query("CREATE TEMPORARY TABLE t_pm (id INT PRIMARY KEY, v VARCHAR(10))"));
    EXPECT_EQ(wait(prep.executemany("INSERT INTO t_pm VALUES (%s, %s)", positional(1, "a"), positional(2, "b"),
                                    positional(3, nullptr))),
              3u);
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_pm").as<std::int64_t>(), 3);
    EXPECT_TRUE(failure_of<ProgrammingError>(prep.execute("SELECT %(a)s", uvmysql::named("a", 1))));
    EXPECT_TRUE(failure_of<ProgrammingError>(prep.execute("SELECT ? + %s", 1)));
    EXPECT_TRUE(failure_of<IntegrityError>(prep.execute("INSERT INTO t_pm VALUES (%s, %s)", 1, "dup")));
    EXPECT_EQ(wait(prep.execute("SELECT %s", 9)), 1u);
}

TEST_F(StatementTest, BulkExecutemany) {
    Connection c = open(server_options());
    (void)wait(c.query("CREATE TEMPORARY TABLE t_bulk (id INT PRIMARY KEY, v VARCHAR(20), d DOUBLE)"));
    Statement ins = wait(c.prepare("INSERT INTO t_bulk VALUES (?, ?, ?)"));
    std::vector<Params> rows;
    for (int i = 0; i < 5000; ++i) {
        rows.push_back(Params{Value(i), i % 7 == 0 ? Value(nullptr) : Value("v" + std::to_string(i)), Value(i * 0.5)});
    }
    const auto before = prepares_sent(c);
    const auto executes = session_counter(c, "Com_stmt_execute");
    EXPECT_EQ(wait(ins.executemany(rows)), 5000u);
    EXPECT_EQ(prepares_sent(c), before);
    // A handful of bulk commands (4 MiB each at most), not one execute per row.
    EXPECT_LT(session_counter(c, "Com_stmt_execute") - executes, 10);
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_bulk").as<std::int64_t>(), 5000);
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM t_bulk WHERE v IS NULL").as<std::int64_t>(), 715);
    EXPECT_EQ(scalar(c, "SELECT v FROM t_bulk WHERE id = 4999").as<std::string>(), "v4999");
    // Mixed types in one parameter: executed row by row instead.
    std::vector<Params> mixed{Params{Value(6000), Value("x"), Value(1.0)}, Params{Value(6001), Value(5), Value("2.5")}};
    EXPECT_EQ(wait(ins.executemany(mixed)), 2u);
    EXPECT_EQ(scalar(c, "SELECT v FROM t_bulk WHERE id = 6001").as<std::string>(), "5");
    // A duplicate key in the batch: the server's error, and the connection stays usable.
    std::vector<Params> dup{Params{Value(7000), Value("a"), Value(0.0)}, Params{Value(1), Value("dup"), Value(0.0)}};
    auto e = failure_of<IntegrityError>(ins.executemany(dup));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->errno_code(), 1062);
    std::vector<Params> wrong{Params{Value(1)}};
    auto wrong_count = failure_of<ProgrammingError>(ins.executemany(wrong));
    ASSERT_TRUE(wrong_count);
    EXPECT_EQ(wrong_count->errno_code(), 1210);
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

TEST_F(StatementTest, PreparedStreamingCursor) {
    for (std::size_t cache : {std::size_t{256}, std::size_t{0}}) {
        ConnectOptions opt = server_options();
        opt.prepared_statement_cache_size = cache;
        Connection c = open(opt);
        auto ss = c.cursor<SSCursor>();
        ss.set_prepared(true);
        EXPECT_EQ(wait(ss.execute("SELECT seq, CONCAT('r', seq) FROM seq_1_to_5000 WHERE seq > %s", 10)), 0u);
        std::size_t n = 0;
        std::int64_t last = 0;
        for (;;) {
            auto some = wait(ss.fetchmany(1000));
            if (some.empty()) break;
            n += some.size();
            last = some.back().at(0).as<std::int64_t>();
        }
        EXPECT_EQ(n, 4990u);
        EXPECT_EQ(last, 5000);
        // Again while the first result is half read: it is discarded first.
        (void)wait(ss.execute("SELECT seq FROM seq_1_to_5000 WHERE seq > %s", 4000));
        (void)wait(ss.fetchone());
        (void)wait(ss.execute("SELECT %s + 1", 1));
        EXPECT_EQ(wait(ss.fetchone())->at(0).as<std::int64_t>(), 2);
        wait(ss.close());
        EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
    }
}

TEST_F(StatementTest, ExecuteDirectOnACacheMiss) {
    for (std::size_t cache : {std::size_t{256}, std::size_t{0}}) {
        const std::int64_t before = settled_prepared_count();
        ConnectOptions opt = server_options();
        opt.prepared_statement_cache_size = cache;
        Connection c = open(opt);
        auto cur = c.cursor();
        cur.set_prepared(true);
        for (int i = 1; i <= 3; ++i) {   // a miss (PREPARE + EXECUTE(-1) together), then hits
            (void)wait(cur.execute("SELECT %s * 10, CONCAT('v', %s)", i, i));
            auto row = wait(cur.fetchone());
            EXPECT_EQ(row->at(0).as<std::int64_t>(), i * 10);
            EXPECT_EQ(row->at(1).as<std::string>(), "v" + std::to_string(i));
        }
        EXPECT_EQ(prepares_sent(c), cache ? 1 : 3);
        // Without parameters the execute leaves out the definitions the prepare just sent.
        (void)wait(cur.execute("SELECT COUNT(*) AS n FROM seq_1_to_10"));
        EXPECT_EQ(cur.description().at(0).name, "n");
        EXPECT_EQ(wait(cur.fetchone())->at(0).as<std::int64_t>(), 10);
        // Without the cache each statement is closed once executed; with it, it stays prepared.
        EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
        EXPECT_EQ(prepared_count(), before + (cache ? 2 : 0));
        auto syntax = failure_of<ProgrammingError>(cur.execute("SELEC %s", 1));
        ASSERT_TRUE(syntax);
        EXPECT_EQ(syntax->errno_code(), 1064);   // the prepare's error, not the execute's 1243
        auto count = failure_of<ProgrammingError>(cur.execute("SELECT %s, %s", 1));
        ASSERT_TRUE(count);
        EXPECT_EQ(count->errno_code(), 1210);   // one value for two placeholders: nothing sent
        // With a time limit the execute waits for PREPARE_OK instead of riding along: same result.
        cur.set_timeout(std::chrono::seconds(5));
        (void)wait(cur.execute("SELECT %s + 100", 1));
        EXPECT_EQ(wait(cur.fetchone())->at(0).as<std::int64_t>(), 101);
        EXPECT_EQ(scalar(c, "SELECT 2").as<std::int64_t>(), 2);
    }
}

TEST_F(StatementTest, StatementDroppedDuringAStreamIsClosedAfterIt) {
    const std::int64_t before = settled_prepared_count();
    ConnectOptions opt = server_options();
    opt.prepared_statement_cache_size = 0;
    Connection c = open(opt);
    auto stmt = std::make_optional(wait(c.prepare("SELECT ?")));
    auto ss = c.cursor<SSCursor>();
    (void)wait(ss.execute("SELECT seq FROM seq_1_to_100000"));
    EXPECT_EQ(wait(ss.fetchmany(10)).size(), 10u);
    stmt.reset();   // its COM_STMT_CLOSE cannot be queued behind the unread rows: it waits
    EXPECT_EQ(prepared_count(), before + 1);
    EXPECT_EQ(wait(ss.fetchall()).size(), 100000u - 10u);
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);   // behind the CLOSE
    EXPECT_EQ(prepared_count(), before);
}

TEST_F(StatementTest, CursorsExecuteAStatement) {
    Connection c = open(server_options());
    Statement stmt = wait(c.prepare("SELECT seq, CONCAT('r', seq) AS name FROM seq_1_to_3000 WHERE seq > ?"));
    auto dict = c.cursor<DictCursor>();
    EXPECT_EQ(wait(dict.execute(stmt, 2990)), 10u);
    EXPECT_EQ(dict.description().at(1).name, "name");
    auto rows = wait(dict.fetchall());
    ASSERT_EQ(rows.size(), 10u);
    EXPECT_EQ(rows[0].at("name").as<std::string>(), "r2991");
    // Streamed, then through a server-side cursor on the same statement.
    auto ss = c.cursor<SSCursor>();
    (void)wait(ss.execute(stmt, 1000));
    EXPECT_EQ(wait(ss.fetchall()).size(), 2000u);
    ss.set_fetch_size(64);
    Params from;
    from.emplace_back(2000);
    (void)wait(ss.execute(stmt, from));
    EXPECT_EQ(wait(ss.fetchone())->at(0).as<std::int64_t>(), 2001);
    EXPECT_EQ(wait(ss.fetchall()).size(), 999u);
    EXPECT_EQ(ss.rowcount(), 1000);
    // Statement and cursor must share their connection; the statement's own errors stay its.
    Connection other = open(server_options());
    auto foreign = failure_of<ProgrammingError>(other.cursor().execute(stmt, 1));
    ASSERT_TRUE(foreign);
    EXPECT_NE(std::string(foreign->what()).find("another connection"), std::string::npos);
    auto empty = failure_of<ProgrammingError>(c.cursor<SSCursor>().execute(Statement(), 1));
    ASSERT_TRUE(empty);
    auto count = failure_of<ProgrammingError>(dict.execute(stmt, 1, 2));
    ASSERT_TRUE(count);
    EXPECT_EQ(count->errno_code(), 1210);
    EXPECT_EQ(scalar(c, "SELECT 1").as<std::int64_t>(), 1);
}

TEST_F(StatementTest, CachedMetadataFollowsTableChanges) {
    Connection c = open(server_options());
    // MariaDB 10.6+ offers MARIADB_CLIENT_CACHE_METADATA: executes leave out unchanged definitions.
    EXPECT_TRUE(uvmysql::detail::Access::impl(c)->session().capabilities & uvmysql::detail::mariadb_cap::cache_metadata);
    (void)wait(c.query("CREATE TEMPORARY TABLE t_meta (a INT)"));
    (void)wait(c.query("INSERT INTO t_meta VALUES (1)"));
    Statement stmt = wait(c.prepare("SELECT * FROM t_meta WHERE a >= ?"));
    for (int i = 0; i < 3; ++i) {   // the first execute sends the definitions, the next ones not
        ResultSet rs = wait(stmt.execute(0));
        ASSERT_EQ(rs.columns->size(), 1u);
        EXPECT_EQ((*rs.columns)[0].name, "a");
        EXPECT_EQ(rs.rows.at(0).at(0).as<std::int64_t>(), 1);
    }
    (void)wait(c.query("ALTER TABLE t_meta ADD COLUMN b VARCHAR(5) DEFAULT 'x', MODIFY a BIGINT UNSIGNED"));
    for (int i = 0; i < 2; ++i) {
        ResultSet rs = wait(stmt.execute(0));
        ASSERT_EQ(rs.columns->size(), 2u);
        EXPECT_EQ((*rs.columns)[1].name, "b");
        EXPECT_EQ((*rs.columns)[0].type, FieldType::longlong);
        EXPECT_EQ(rs.rows.at(0).at(0), Value(std::uint64_t{1}));
        EXPECT_EQ(rs.rows.at(0).at(1).as<std::string>(), "x");
    }
    EXPECT_EQ(stmt.columns()->size(), 2u);   // the statement's columns are the latest sent
    // A text query's header carries the flag too (always "metadata follows").
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7);
}

}  // namespace
}  // namespace uvmysql::test

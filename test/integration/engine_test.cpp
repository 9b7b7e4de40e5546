// SPDX-License-Identifier: MIT
// The engine layer against the private MariaDB: expression statements round-trip, results and
// rows, pool accounting, transactions, streaming a million rows, create_all / drop_all.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "connection/row_stream.hpp"
#include "cursor/cursor_state.hpp"
#include "engine/engine_state.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

EngineOptions sized(std::size_t minsize, std::size_t maxsize) {
    EngineOptions eo;
    eo.minsize = minsize;
    eo.maxsize = maxsize;
    return eo;
}

/// The schema the tests share; each test creates the tables it uses and drops them after.
struct Shop {
    sql::MetaData md;
    sql::Table users{md, "engine_users", sql::Column("id", sql::Integer(), {.primary_key = true}),
                     sql::Column("name", sql::String(50)), sql::Column("age", sql::Integer())};
    sql::Table orders{md, "engine_orders", sql::Column("id", sql::Integer(), {.primary_key = true}),
                      sql::Column("user_id", sql::Integer()), sql::Column("total", sql::Numeric(10, 2))};
};

/// What a co_await loop over a result saw.
struct Iterated {
    std::int64_t rows = 0;
    std::int64_t sum = 0;
    bool closed_after = false;
    bool nothing_after = false;
};

/// The co_await iteration form: `while (auto row = co_await r.fetchone())` to the end.
Task<Iterated> iterate(ResultProxy r) {
    Iterated out;
    while (auto row = co_await r.fetchone()) {
        ++out.rows;
        out.sum += (*row)[0].as<std::int64_t>();
    }
    out.closed_after = r.closed();
    out.nothing_after = !(co_await r.fetchone()).has_value();
    co_return out;
}

/// The same loop inside one coroutine that runs the statement too (the docs' form).
Task<Iterated> execute_and_iterate(EngineConnection c, std::string sql) {
    ResultProxy r = co_await c.execute(std::move(sql));
    Iterated out;
    while (auto row = co_await r.fetchone()) {
        ++out.rows;
        out.sum += (*row)["seq"].as<std::int64_t>();
    }
    out.closed_after = r.closed();
    out.nothing_after = !(co_await r.fetchone()).has_value();
    co_return out;
}

class EngineTest : public ServerTest {
protected:
    Engine make_engine(EngineOptions eo = sized(1, 10)) {
        Engine e = wait(create_engine(loop(), server_options(), eo));
        engines_.push_back(e);
        return e;
    }
    /// A fresh engine connection with the shop's tables created empty.
    EngineConnection shop_connection(Engine& e, const Shop& shop) {
        EngineConnection c = wait(e.acquire());
        wait(drop_all(c, shop.md));
        wait(create_all(c, shop.md));
        return c;
    }
    void fill(EngineConnection& c, const Shop& shop) {
        const std::vector<NamedParams> users{named("id", 1, "name", "ann", "age", 31),
                                             named("id", 2, "name", "bob", "age", 17),
                                             named("id", 3, "name", "cy", "age", 45)};
        wait(c.execute(shop.users.insert().values_many(users)));
        const std::vector<NamedParams> orders{named("user_id", 1, "total", Decimal("10.50")),
                                              named("user_id", 1, "total", Decimal("4.50")),
                                              named("user_id", 3, "total", Decimal("7.00"))};
        wait(c.execute(shop.orders.insert().values_many(orders)));
    }
    void TearDown() override {
        for (auto& e : engines_) e.terminate();
        for (auto& e : engines_) wait(e.wait_closed());
        engines_.clear();
        ServerTest::TearDown();
    }

    std::vector<Engine> engines_;
};

TEST_F(EngineTest, PropertiesAndPoolAccounting) {
    Engine e = make_engine(sized(2, 4));
    EXPECT_EQ(e.name(), "mariadb");
    EXPECT_EQ(e.driver(), "uvmysql");
    EXPECT_EQ(e.minsize(), 2u);
    EXPECT_EQ(e.maxsize(), 4u);
    EXPECT_EQ(e.size(), 2u);
    EXPECT_EQ(e.freesize(), 2u);
    EngineConnection a = wait(e.acquire());
    EngineConnection b = wait(e.acquire());
    EngineConnection c = wait(e.acquire());
    EXPECT_EQ(e.size(), 3u);
    EXPECT_EQ(e.freesize(), 0u);
    e.release(a);
    wait(c.close());
    EXPECT_TRUE(c.closed());
    EXPECT_EQ(e.size(), 3u);
    EXPECT_EQ(e.freesize(), 2u);
    EXPECT_THROW(wait(c.execute("SELECT 1")), InterfaceError);
    wait(c.close());   // idempotent
    e.close();
    EXPECT_TRUE(e.closed());
    EXPECT_THROW(wait(e.acquire()), InterfaceError);
    wait(b.close());
    wait(e.wait_closed());
    EXPECT_EQ(e.size(), 0u);
    EXPECT_EQ(e.freesize(), 0u);
}

TEST_F(EngineTest, InsertOneAndManyThenSelectWhereOrderLimit) {
    Engine e = make_engine();
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    ResultProxy one = wait(c.execute(shop.users.insert().values("name", "ann", "age", 31)));
    EXPECT_FALSE(one.returns_rows());
    EXPECT_TRUE(one.closed());
    EXPECT_EQ(one.rowcount(), 1);
    EXPECT_EQ(one.lastrowid(), 1u);
    EXPECT_THROW(wait(one.fetchone()), InterfaceError);
    const std::vector<NamedParams> more{named("name", "bob", "age", 17), named("name", "cy", "age", 45),
                                        named("name", "dee", "age", 22)};
    ResultProxy many = wait(c.execute(shop.users.insert().values_many(more)));
    EXPECT_EQ(many.rowcount(), 3);
    wait(c.execute(shop.users.insert(), named("name", "eve", "age", 60)));   // aiomysql's execute(insert, dict)

    const sql::Column& age = shop.users.c("age");
    const sql::Column& name = shop.users.c("name");
    const auto q = sql::select(name, age).where(age >= 18).order_by(age.desc()).limit(2).offset(1);
    ResultProxy r = wait(c.execute(q));
    EXPECT_TRUE(r.returns_rows());
    EXPECT_EQ(r.keys(), (std::vector<std::string>{"name", "age"}));
    EXPECT_EQ(r.rowcount(), 2);
    auto rows = wait(r.fetchall());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], positional("cy", 45));
    EXPECT_EQ(rows[1], positional("ann", 31));
    EXPECT_TRUE(r.closed());
    EXPECT_TRUE(wait(r.fetchall()).empty());
    EXPECT_FALSE(wait(r.fetchone()));

    auto in = wait(c.execute(sql::select(name).where(name.in_("bob", "eve") || name.like("d%")).order_by(name)));
    auto names = wait(in.fetchall());
    ASSERT_EQ(names.size(), 3u);
    EXPECT_EQ(names[0]["name"], Value("bob"));
    EXPECT_EQ(names[1]["name"], Value("dee"));
    EXPECT_EQ(names[2]["name"], Value("eve"));
    EXPECT_EQ(wait(c.scalar(sql::select(sql::count()).select_from(shop.users).where(age.between(20, 40)))),
              Value(2));
}

TEST_F(EngineTest, JoinGroupByHaving) {
    Engine e = make_engine();
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    fill(c, shop);
    const auto& u = shop.users;
    const auto& o = shop.orders;
    const sql::Expr spent = sql::sum(o.c("total")).label("spent");
    const auto q = sql::select(u.c("name"), sql::count(o.c("id")).label("n"), spent)
                       .select_from(u.outerjoin(o, u.c("id") == o.c("user_id")))
                       .group_by(u.c("name"))
                       .having(sql::count(o.c("id")) >= 1)
                       .order_by(spent.desc());
    auto rows = wait(wait(c.execute(q)).fetchall());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], positional("ann", 2, Decimal("15.00")));
    EXPECT_EQ(rows[1], positional("cy", 1, Decimal("7.00")));
    EXPECT_EQ(rows[0]["spent"], Value(Decimal("15.00")));
    const auto inner = sql::select(u.c("name"), o.c("total"))
                           .select_from(u.join(o, u.c("id") == o.c("user_id")))
                           .where(o.c("total") < 10)
                           .order_by(o.c("total"));
    auto cheap = wait(wait(c.execute(inner)).fetchall());
    ASSERT_EQ(cheap.size(), 2u);
    EXPECT_EQ(cheap[0][o.c("total")], Value(Decimal("4.50")));
    EXPECT_EQ(cheap[1][u.c("name")], Value("cy"));
    EXPECT_EQ(wait(c.scalar(sql::select(sql::count(sql::distinct(o.c("user_id")))))), Value(2));
}

TEST_F(EngineTest, PredicatesArithmeticDistinctAndOuterJoinRoundTrip) {
    Engine e = make_engine();
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    fill(c, shop);
    wait(c.execute(shop.users.insert().values("id", 4, "name", nullptr, "age", 17)));
    const auto& u = shop.users;
    const auto& o = shop.orders;
    auto ids = [&](const sql::Select& q) {
        std::vector<std::int64_t> out;
        for (const RowProxy& r : wait(wait(c.execute(q)).fetchall())) out.push_back(r[0].as<std::int64_t>());
        return out;
    };
    const sql::Column& id = u.c("id");
    EXPECT_EQ(ids(sql::select(id).where(u.c("name").is_null())), std::vector<std::int64_t>{4});
    EXPECT_EQ(ids(sql::select(id).where(u.c("name") != nullptr).order_by(id)), (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(ids(sql::select(id).where(id.not_in(1, 2)).order_by(id)), (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(ids(sql::select(id).where(id.in_(std::vector<Value>{}))), std::vector<std::int64_t>{});
    EXPECT_EQ(ids(sql::select(id).where(!(u.c("age").between(18, 40))).order_by(id.desc())),
              (std::vector<std::int64_t>{4, 3, 2}));
    EXPECT_EQ(ids(sql::select(id).where(u.c("name").not_like("%n%") && u.c("name").is_not_null()).order_by(id)),
              (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(ids(sql::select((id * 10 + u.c("age") % 10 - 1).label("x")).where(id == 1)),
              std::vector<std::int64_t>{10});
    EXPECT_EQ(ids(sql::select(u.c("age")).distinct().where(u.c("age") < 20)), std::vector<std::int64_t>{17});
    // <=, /, unary minus and the function forms and_() / or_() / not_() on the server.
    const sql::Column& age = u.c("age");
    EXPECT_EQ(ids(sql::select(id).where(age <= 31).order_by(id)), (std::vector<std::int64_t>{1, 2, 4}));
    EXPECT_EQ(ids(sql::select(id).where(age <= 16)), std::vector<std::int64_t>{});
    EXPECT_EQ(wait(c.scalar(sql::select((age / 2).label("half")).where(id == 1))), Value(Decimal("15.5000")));
    EXPECT_EQ(wait(c.scalar(sql::select(age / id).where(id == 3))), Value(Decimal("15.0000")));
    EXPECT_EQ(wait(c.scalar(sql::select(-age).where(id == 3))), Value(-45));
    EXPECT_EQ(wait(c.scalar(sql::select(-(age - 50)).where(id == 3))), Value(5));  // -(a - b), never --
    EXPECT_EQ(ids(sql::select(id).where(-id < -2).order_by(id)), (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(ids(sql::select(id).where(sql::and_(id > 1, age < 20, u.c("name").is_not_null()))),
              std::vector<std::int64_t>{2});
    EXPECT_EQ(ids(sql::select(id).where(sql::or_(id == 1, id == 3, age > 100)).order_by(id)),
              (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(ids(sql::select(id).where(sql::not_(id <= 2)).order_by(id)), (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(ids(sql::select(id)
                      .where(sql::or_(sql::and_(age >= 18, age <= 40), sql::not_(id != 4)))
                      .order_by(id.desc())),
              (std::vector<std::int64_t>{4, 1}));
    // NOT of a comparison with NULL is still NULL: user 4 (no name) stays out.
    EXPECT_EQ(ids(sql::select(id).where(sql::not_(u.c("name") == "ann")).order_by(id)),
              (std::vector<std::int64_t>{2, 3}));
    // LEFT OUTER JOIN keeps users without orders, with NULL on the right.
    auto rows = wait(wait(c.execute(sql::select(id, o.c("total"))
                                        .select_from(u.outerjoin(o, id == o.c("user_id")))
                                        .where(o.c("id").is_null())
                                        .order_by(id)))
                         .fetchall());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], positional(2, nullptr));
    EXPECT_EQ(rows[1], positional(4, nullptr));
    EXPECT_EQ(wait(c.scalar(sql::select(sql::avg(u.c("age"))).where(u.c("age") > 18))), Value(Decimal("38.0000")));
    EXPECT_EQ(wait(c.scalar(sql::select(sql::min(id) + sql::max(id)))), Value(5));
}

TEST_F(EngineTest, UpdateAndDeleteReportMatchedRows) {
    Engine e = make_engine();
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    fill(c, shop);
    const auto& u = shop.users;
    ResultProxy up = wait(c.execute(u.update().where(u.c("age") > 18).values("age", u.c("age") + 1)));
    EXPECT_EQ(up.rowcount(), 2);
    // Matched rather than changed (CLIENT_FOUND_ROWS): setting the same value still counts.
    ResultProxy same = wait(c.execute(u.update().where(u.c("id") == 2).values({{"name", "bob"}})));
    EXPECT_EQ(same.rowcount(), 1);
    EXPECT_EQ(wait(c.scalar(sql::select(u.c("age")).where(u.c("id") == 1))), Value(32));
    ResultProxy del = wait(c.execute(u.delete_().where(u.c("name").like("b%"))));
    EXPECT_EQ(del.rowcount(), 1);
    EXPECT_EQ(wait(c.scalar(sql::select(sql::count()).select_from(u))), Value(2));
    EXPECT_EQ(wait(c.execute(u.delete_())).rowcount(), 2);
}

TEST_F(EngineTest, ScalarFirstAndTextQueries) {
    Engine e = make_engine();
    EngineConnection c = wait(e.acquire());
    EXPECT_EQ(wait(c.scalar("SELECT %s + %s", 2, 3)), Value(5));
    EXPECT_EQ(wait(c.scalar("SELECT %(a)s * %(b)s", named("a", 6, "b", 7))), Value(42));
    EXPECT_EQ(wait(c.scalar("SELECT 1 FROM DUAL WHERE 1 = 0")), Value());
    ResultProxy r = wait(c.execute("SELECT seq, seq * 2 AS twice FROM seq_1_to_5"));
    auto first = wait(r.first());
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)["twice"], Value(2));
    EXPECT_TRUE(r.closed());
    EXPECT_FALSE(wait(r.fetchone()));
    ResultProxy none = wait(c.execute("SELECT seq FROM seq_1_to_5 WHERE seq > 10"));
    EXPECT_FALSE(wait(none.first()));
    ResultProxy some = wait(c.execute("SELECT seq FROM seq_1_to_5"));
    EXPECT_EQ(wait(some.fetchmany()).size(), 1u);
    EXPECT_EQ(wait(some.fetchmany(3)).size(), 3u);
    EXPECT_FALSE(some.closed());
    std::vector<std::int64_t> seen;
    wait(some.for_each([&seen](const RowProxy& row) { seen.push_back(row[0].as<std::int64_t>()); }));
    EXPECT_EQ(seen, std::vector<std::int64_t>{5});
    EXPECT_TRUE(some.closed());
    EXPECT_THROW(wait(c.execute("SELEC 1")), ProgrammingError);
    EXPECT_EQ(wait(c.scalar(sql::text("SELECT 100 % 7"))), Value(2));
}

TEST_F(EngineTest, RowProxyByPositionNameAndColumn) {
    Engine e = make_engine();
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    fill(c, shop);
    const auto& u = shop.users;
    auto row = wait(wait(c.execute(u.select().where(u.c("id") == 1))).first());
    ASSERT_TRUE(row);
    EXPECT_EQ((*row)[0], Value(1));
    EXPECT_EQ((*row)["name"], Value("ann"));
    EXPECT_EQ((*row)[u.c("age")], Value(31));
    EXPECT_EQ(row->keys(), (std::vector<std::string>{"id", "name", "age"}));
    EXPECT_EQ(row->values(), positional(1, "ann", 31));
    EXPECT_EQ(row->as_tuple(), positional(1, "ann", 31));
    EXPECT_EQ(row->size(), 3u);
    EXPECT_TRUE(row->contains("age"));
    auto again = wait(wait(c.execute("SELECT id, name, age FROM engine_users WHERE id = 1")).first());
    EXPECT_EQ(*row, *again);
    auto other = wait(wait(c.execute("SELECT id, name, age FROM engine_users WHERE id = 2")).first());
    EXPECT_FALSE(*row == *other);
    try {
        (void)(*row)["nope"];
        FAIL() << "no error";
    } catch (const NoSuchColumnError& err) {
        EXPECT_NE(std::string(err.what()).find("nope"), std::string::npos) << err.what();
    }
    EXPECT_THROW((void)(*row)[shop.orders.c("total")], NoSuchColumnError);
    EXPECT_THROW((void)(*row)[7], InterfaceError);
}

TEST_F(EngineTest, HostileValuesAndIdentifiersRoundTrip) {
    Engine e = make_engine();
    sql::MetaData md;
    sql::Table t(md, "engine we`ird %s", sql::Column("k`ey%", sql::Integer(), {.primary_key = true}),
                 sql::Column("v", sql::Text()), sql::Column("b", sql::LargeBinary()),
                 sql::Column("d", sql::String(40), sql::ColumnOptions().with_default("50%'); -- %s \\")),
                 sql::Column("m", sql::Enum("%s", "it's", "`x`"), sql::ColumnOptions().with_default("it's")));
    EngineConnection c = wait(e.acquire());
    wait(drop_all(c, md));
    wait(create_all(c, md));
    const std::string evil = "'); DROP TABLE engine_users; -- %s \\ \" `";
    const Bytes blob("\0\x01'\\", 4);
    wait(c.execute(t.insert().values("v", evil, "b", blob)));
    auto row = wait(wait(c.execute(sql::select(t).where(t.c("v") == evil))).first());
    ASSERT_TRUE(row);
    EXPECT_EQ((*row)[t.c("v")], Value(evil));
    EXPECT_EQ((*row)["b"], Value(blob));
    EXPECT_EQ((*row)[t.c("k`ey%")], Value(1));
    // Hostile defaults and enum members were bound into the DDL and come back as they were.
    EXPECT_EQ((*row)[t.c("d")], Value("50%'); -- %s \\"));
    EXPECT_EQ((*row)[t.c("m")], Value("it's"));
    wait(c.execute(t.insert().values("m", "%s")));
    EXPECT_EQ(wait(c.scalar(sql::select(sql::count()).select_from(t).where(t.c("m") == "%s"))), Value(1));
    wait(drop_all(c, md));
}

TEST_F(EngineTest, TransactionsThroughTheConnection) {
    Engine e = make_engine(sized(1, 1));
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    const auto& u = shop.users;
    auto count = [&] { return wait(c.scalar(sql::select(sql::count()).select_from(u))).as<std::int64_t>(); };

    Transaction tx = wait(c.begin());
    EXPECT_TRUE(c.in_transaction());
    wait(c.execute(u.insert().values("name", "kept")));
    Transaction inner = wait(c.begin());
    wait(inner.commit());   // does nothing
    EXPECT_TRUE(tx.is_active());
    wait(tx.commit());
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(count(), 1);

    Transaction rolled = wait(c.begin());
    wait(c.execute(u.insert().values("name", "gone")));
    wait(rolled.rollback());
    EXPECT_EQ(count(), 1);

    Transaction outer = wait(c.begin());
    NestedTransaction sp = wait(c.begin_nested());
    wait(c.execute(u.insert().values("name", "savepoint")));
    wait(sp.rollback());
    wait(c.execute(u.insert().values("name", "after")));
    wait(outer.commit());
    EXPECT_EQ(count(), 2);

    // close() rolls back what is pending and hands the connection back.
    Transaction pending = wait(c.begin());
    wait(c.execute(u.insert().values("name", "pending")));
    wait(c.close());
    EXPECT_FALSE(pending.is_active());
    EngineConnection d = wait(e.acquire());
    EXPECT_FALSE(d.in_transaction());
    EXPECT_EQ(wait(d.scalar(sql::select(sql::count()).select_from(u))), Value(2));

    wait(d.connection().commit());   // autocommit is off: the SELECT above left a transaction open
    TwoPhaseTransaction xa = wait(d.begin_twophase(Xid("engine-xa-1")));
    wait(d.execute(u.insert().values("name", "xa")));
    wait(xa.prepare());
    auto xids = wait(d.recover_twophase());
    EXPECT_NE(std::find(xids.begin(), xids.end(), Xid("engine-xa-1")), xids.end());
    wait(d.commit_prepared(Xid("engine-xa-1")));
    EXPECT_EQ(wait(d.scalar(sql::select(sql::count()).select_from(u))), Value(3));
    wait(drop_all(d, shop.md));
}

TEST_F(EngineTest, ConnectAlwaysReleases) {
    Engine e = make_engine(sized(1, 2));
    const std::int64_t v = wait(e.connect([](EngineConnection& c) -> Task<std::int64_t> {
        co_return (co_await c.scalar("SELECT %s", 41)).as<std::int64_t>() + 1;
    }));
    EXPECT_EQ(v, 42);
    EXPECT_EQ(e.freesize(), e.size());
    EXPECT_THROW(wait(e.connect([](EngineConnection& c) { return c.execute("SELEC broken"); })), ProgrammingError);
    EXPECT_EQ(e.freesize(), e.size());
    EXPECT_THROW(wait(e.connect([](EngineConnection& c) -> Task<> {
                     co_await c.begin();
                     throw std::runtime_error("body failed");
                 })),
                 std::runtime_error);
    EXPECT_EQ(e.freesize(), e.size());
    EngineConnection again = wait(e.acquire());
    EXPECT_FALSE(again.in_transaction());
}

TEST_F(EngineTest, StreamResultsOverAMillionRowsWithFlatMemory) {
    Engine e = make_engine();
    EngineConnection c = wait(e.acquire());
    EngineConnection streaming = c.execution_options(ExecutionOptions().with_stream_results());
    EXPECT_TRUE(streaming.get_execution_options().stream_results);
    EXPECT_FALSE(c.get_execution_options().stream_results);
    ResultProxy r = wait(streaming.execute("SELECT seq, CONCAT('row-', seq) AS label FROM seq_1_to_1000000"));
    EXPECT_TRUE(r.returns_rows());
    EXPECT_EQ(r.keys(), (std::vector<std::string>{"seq", "label"}));
    EXPECT_EQ(r.rowcount(), -1);   // unknown while streaming
    std::uint64_t count = 0, sum = 0;
    for (;;) {
        auto rows = wait(r.fetchmany(5000), 60s);
        if (rows.empty()) break;
        for (const RowProxy& row : rows) {
            sum += row[0].as<std::uint64_t>();
            ++count;
        }
    }
    EXPECT_EQ(count, 1'000'000u);
    EXPECT_EQ(sum, 500000500000u);
    EXPECT_TRUE(r.closed());
    EXPECT_EQ(r.rowcount(), 1'000'000);
    // What waited in memory never exceeded the flow-control window (as the SSCursor test checks).
    const SSCursor* cur = uvmysql::detail::stream_cursor(r);
    ASSERT_NE(cur, nullptr);
    EXPECT_LE(uvmysql::detail::stream_of(*cur)->max_queued_rows(), uvmysql::detail::RowStream::high_water + 8192);
    EXPECT_EQ(wait(c.scalar("SELECT 5")), Value(5));
}

TEST_F(EngineTest, StreamedResultClosedEarlyFreesTheConnection) {
    Engine e = make_engine();
    EngineConnection c = wait(e.acquire()).execution_options(ExecutionOptions().with_stream_results());
    ResultProxy r = wait(c.execute("SELECT seq FROM seq_1_to_200000"));
    auto first = wait(r.fetchone());
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)[0], Value(1));
    wait(r.close());
    EXPECT_TRUE(r.closed());
    EXPECT_EQ(wait(c.scalar("SELECT 9")), Value(9));
    // A streamed result left unread is read out by close().
    ResultProxy left = wait(c.execute("SELECT seq FROM seq_1_to_100000"));
    wait(c.close());
    EngineConnection d = wait(e.acquire());
    EXPECT_EQ(wait(d.scalar("SELECT 10")), Value(10));
}

TEST_F(EngineTest, CreateAllAndDropAll) {
    Engine e = make_engine();
    Shop shop;
    wait(drop_all(e, shop.md));
    wait(create_all(e, shop.md));
    wait(create_all(e, shop.md));   // IF NOT EXISTS
    EngineConnection c = wait(e.acquire());
    const std::string count_tables =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN "
        "('engine_users', 'engine_orders')";
    EXPECT_EQ(wait(c.scalar(count_tables)), Value(2));
    auto cols = wait(wait(c.execute("SELECT column_name, column_type, is_nullable, extra FROM "
                                    "information_schema.columns WHERE table_schema = DATABASE() AND table_name = "
                                    "'engine_users' ORDER BY ordinal_position"))
                         .fetchall());
    ASSERT_EQ(cols.size(), 3u);
    EXPECT_EQ(cols[0], positional("id", "int(11)", "NO", "auto_increment"));
    EXPECT_EQ(cols[1], positional("name", "varchar(50)", "YES", ""));
    wait(drop_all(e, shop.md));
    wait(drop_all(e, shop.md));   // IF EXISTS
    EXPECT_EQ(wait(c.scalar(count_tables)), Value(0));
    sql::MetaData bad;
    sql::Table no_length(bad, "engine_bad", sql::Column("s", sql::String()));
    EXPECT_THROW(wait(create_all(c, bad)), ProgrammingError);
}

TEST_F(EngineTest, TerminateClosesBorrowedConnectionsAtOnce) {
    Engine e = make_engine(sized(1, 3));
    EngineConnection a = wait(e.acquire());
    EngineConnection b = wait(e.acquire());
    EXPECT_EQ(wait(a.scalar("SELECT 1")), Value(1));
    EXPECT_EQ(e.size(), 2u);
    EXPECT_EQ(e.freesize(), 0u);
    e.terminate();
    EXPECT_TRUE(e.closed());
    // The borrowed connections are closed at once, not when they come back.
    EXPECT_TRUE(a.closed());
    EXPECT_TRUE(b.closed());
    EXPECT_TRUE(a.connection().closed());
    wait(e.wait_closed());  // nothing has been given back, and it still completes
    EXPECT_EQ(e.size(), 0u);
    EXPECT_EQ(e.freesize(), 0u);
    // A borrowed handle fails with the closed connection's InterfaceError (08003).
    auto err = failure_of<InterfaceError>(a.execute("SELECT 1"));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->errno_code(), 0);
    EXPECT_EQ(err->sqlstate(), "08003");
    EXPECT_STREQ(err->what(), "Connection closed");
    auto scalar_err = failure_of<InterfaceError>(b.scalar(sql::select(sql::count())));
    ASSERT_TRUE(scalar_err);
    EXPECT_EQ(scalar_err->sqlstate(), "08003");
    EXPECT_FALSE(a.in_transaction());
    wait(a.close());  // harmless after terminate
    e.release(b);
    EXPECT_THROW(wait(e.acquire()), InterfaceError);
    wait(e.wait_closed());
    EXPECT_EQ(e.size(), 0u);
}

TEST_F(EngineTest, TwoPhaseWithARandomXidRolledBackAfterPrepare) {
    Engine e = make_engine(sized(1, 1));
    Shop shop;
    EngineConnection c = shop_connection(e, shop);
    fill(c, shop);
    const auto& u = shop.users;
    auto count = [&] { return wait(c.scalar(sql::select(sql::count()).select_from(u))); };
    EXPECT_EQ(count(), Value(3));
    wait(c.connection().commit());  // autocommit is off: the SELECT left a transaction open

    TwoPhaseTransaction xa = wait(c.begin_twophase());
    const Xid xid = xa.xid();
    EXPECT_EQ(xid.gtrid.rfind("uvmysql-", 0), 0u) << xid.gtrid;
    EXPECT_EQ(xid.gtrid.size(), 40u) << xid.gtrid;  // "uvmysql-" and 32 hex digits
    EXPECT_TRUE(xid.bqual.empty());
    EXPECT_EQ(xid.format_id, 1);
    wait(c.execute(u.insert().values("name", "xa", "age", 1)));
    wait(xa.prepare());
    EXPECT_TRUE(xa.is_prepared());
    auto prepared = wait(c.recover_twophase());
    EXPECT_NE(std::find(prepared.begin(), prepared.end(), xid), prepared.end());

    wait(c.rollback_prepared(xid));
    EXPECT_EQ(count(), Value(3));  // the prepared insert was rolled back
    auto after = wait(c.recover_twophase());
    EXPECT_EQ(std::find(after.begin(), after.end(), xid), after.end());
    wait(c.connection().commit());

    auto unknown = failure_of<ProgrammingError>(c.rollback_prepared(Xid("engine-xa-unknown")));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->errno_code(), 1397);  // XAER_NOTA
    EXPECT_EQ(unknown->sqlstate(), "XAE04");
    auto again = failure_of<ProgrammingError>(c.rollback_prepared(xid));  // already rolled back
    ASSERT_TRUE(again);
    EXPECT_EQ(again->errno_code(), 1397);
    EXPECT_EQ(wait(c.scalar("SELECT 7")), Value(7));  // the connection is still usable
    wait(drop_all(c, shop.md));
}

TEST_F(EngineTest, CoAwaitIterationOverBufferedAndStreamedResults) {
    Engine e = make_engine();
    EngineConnection c = wait(e.acquire());
    EngineConnection streaming = c.execution_options(ExecutionOptions().with_stream_results());

    ResultProxy buffered = wait(c.execute("SELECT seq FROM seq_1_to_1000"));
    EXPECT_FALSE(buffered.closed());
    Iterated b = wait(spawn(iterate(buffered)));
    EXPECT_EQ(b.rows, 1000);
    EXPECT_EQ(b.sum, 500500);
    EXPECT_TRUE(b.closed_after);
    EXPECT_TRUE(b.nothing_after);

    ResultProxy streamed = wait(streaming.execute("SELECT seq FROM seq_1_to_50000"));
    EXPECT_EQ(streamed.rowcount(), -1);
    Iterated s = wait(spawn(iterate(streamed)), 60s);
    EXPECT_EQ(s.rows, 50000);
    EXPECT_EQ(s.sum, 1250025000);
    EXPECT_TRUE(s.closed_after);
    EXPECT_TRUE(s.nothing_after);
    EXPECT_EQ(streamed.rowcount(), 50000);

    // Statement and loop in one coroutine, both ways; an empty result ends the loop at once.
    Iterated sb = wait(spawn(execute_and_iterate(c, "SELECT seq FROM seq_1_to_10")));
    EXPECT_EQ(sb.rows, 10);
    EXPECT_EQ(sb.sum, 55);
    Iterated ss = wait(spawn(execute_and_iterate(streaming, "SELECT seq FROM seq_1_to_10")));
    EXPECT_EQ(ss.rows, 10);
    EXPECT_EQ(ss.sum, 55);
    EXPECT_TRUE(ss.closed_after);
    Iterated none = wait(spawn(execute_and_iterate(streaming, "SELECT seq FROM seq_1_to_10 WHERE seq > 10")));
    EXPECT_EQ(none.rows, 0);
    EXPECT_TRUE(none.closed_after);
    EXPECT_TRUE(none.nothing_after);

    // for_each, the form without coroutines, on a streamed result from its start.
    ResultProxy each = wait(streaming.execute("SELECT seq FROM seq_1_to_20000"));
    std::int64_t n = 0, sum = 0;
    Future<void> done = each.for_each([&](const RowProxy& row) {
        ++n;
        sum += row[0].as<std::int64_t>();
    });
    wait(std::move(done), 60s);
    EXPECT_EQ(n, 20000);
    EXPECT_EQ(sum, 200010000);
    EXPECT_TRUE(each.closed());
    EXPECT_EQ(wait(c.scalar("SELECT 3")), Value(3));  // the stream was read to its end
}

TEST_F(EngineTest, CloseHalfReadBufferedResultAndScalarOfAResult) {
    Engine e = make_engine();
    EngineConnection c = wait(e.acquire());
    ResultProxy r = wait(c.execute("SELECT seq FROM seq_1_to_10"));
    auto head = wait(r.fetchmany(4));
    ASSERT_EQ(head.size(), 4u);
    EXPECT_EQ(head[3][0], Value(4));
    EXPECT_FALSE(r.closed());
    wait(r.close());
    // Closed after returning rows: the rest is dropped and fetches resolve to nothing.
    EXPECT_TRUE(r.closed());
    EXPECT_TRUE(r.returns_rows());
    EXPECT_FALSE(wait(r.fetchone()));
    EXPECT_TRUE(wait(r.fetchmany(3)).empty());
    EXPECT_TRUE(wait(r.fetchall()).empty());
    EXPECT_FALSE(wait(r.first()));
    EXPECT_EQ(wait(r.scalar()), Value());
    EXPECT_EQ(r.keys(), std::vector<std::string>{"seq"});
    EXPECT_EQ(r.rowcount(), 10);  // the rows of the result set, fetched or not
    wait(r.close());              // idempotent

    // ResultProxy::scalar(): the first column of the first row, then closed.
    ResultProxy s = wait(c.execute("SELECT seq * 3 AS triple, seq FROM seq_5_to_9"));
    EXPECT_EQ(wait(s.scalar()), Value(15));
    EXPECT_TRUE(s.closed());
    EXPECT_FALSE(wait(s.fetchone()));
    ResultProxy half = wait(c.execute("SELECT seq FROM seq_1_to_3"));
    EXPECT_EQ(wait(half.fetchone()).value()[0], Value(1));
    EXPECT_EQ(wait(half.scalar()), Value(2));  // the next row's, as SQLAlchemy's
    EXPECT_TRUE(half.closed());
    EXPECT_EQ(wait(wait(c.execute("SELECT NULL, 1")).scalar()), Value());
    EXPECT_EQ(wait(wait(c.execute("SELECT 1 FROM DUAL WHERE 1 = 0")).scalar()), Value());
    // On a streamed result scalar() reads out the rest, so the connection runs the next statement.
    EngineConnection streaming = c.execution_options(ExecutionOptions().with_stream_results());
    ResultProxy st = wait(streaming.execute("SELECT seq + 100 FROM seq_1_to_100000"));
    EXPECT_EQ(wait(st.scalar(), 60s), Value(101));
    EXPECT_TRUE(st.closed());
    EXPECT_EQ(wait(c.scalar("SELECT 8")), Value(8));
    // A statement without rows has no scalar: InterfaceError, as its fetches.
    ResultProxy no_rows = wait(c.execute("DO 1"));
    EXPECT_FALSE(no_rows.returns_rows());
    auto err = failure_of<InterfaceError>(no_rows.scalar());
    ASSERT_TRUE(err);
    EXPECT_NE(std::string(err->what()).find("does not return rows"), std::string::npos) << err->what();
}

TEST_F(EngineTest, EveryColumnTypeRoundTrips) {
    Engine e = make_engine();
    sql::MetaData md;
    sql::Table t(md, "engine_all_types", sql::Column("id", sql::Integer(), {.primary_key = true}),
                 sql::Column("big", sql::BigInteger()), sql::Column("small", sql::SmallInteger()),
                 sql::Column("flag", sql::Boolean()), sql::Column("str", sql::String(40)),
                 sql::Column("txt", sql::Text()), sql::Column("bin", sql::Binary(8)),
                 sql::Column("blob", sql::LargeBinary()), sql::Column("flt", sql::Float()),
                 sql::Column("num", sql::Numeric(12, 3)), sql::Column("day", sql::Date()),
                 sql::Column("stamp", sql::DateTime(6)), sql::Column("dur", sql::Time()),
                 sql::Column("mood", sql::Enum("plain", "it's \"quoted\"", "50%")),
                 sql::Column("doc", sql::JSON()));
    EngineConnection c = wait(e.acquire());
    wait(drop_all(c, md));
    wait(create_all(c, md));

    const std::string long_text =
        "line one\nline \\two\\ 'three' \"four\" `five` %s " + std::string(3000, 'x');
    const Bytes bin("\0\x01\xff'\\", 5);
    const Bytes blob(std::string(60000, '\0') + "end");  // BLOB holds up to 64 KiB
    const DateTime stamp{2024, 2, 29, 23, 59, 58, 123456};
    const Time dur = Time::from_parts(true, 100, 2, 3, 0);
    const std::string doc = R"({"a": [1, 2.5, null], "b": "it's", "c": {"d": true}})";
    const NamedParams row =
        named("id", 2147483647, "big", INT64_MAX, "small", -32768, "flag", true, "str", "ünïcødé ' \" ` \\ %",
              "txt", long_text, "bin", bin, "blob", blob, "flt", 0.15625, "num", Decimal("-123456789.125"),
              "day", Date{1999, 12, 31}, "stamp", stamp, "dur", dur, "mood", "it's \"quoted\"", "doc", doc);
    ResultProxy ins = wait(c.execute(t.insert().values(row)));
    EXPECT_EQ(ins.rowcount(), 1);
    EXPECT_EQ(ins.lastrowid(), 2147483647u);

    auto got = wait(wait(c.execute(t.select())).fetchall());
    ASSERT_EQ(got.size(), 1u);
    const RowProxy& r = got[0];
    EXPECT_EQ(r.size(), 15u);
    EXPECT_EQ(r[t.c("id")], Value(2147483647));
    EXPECT_EQ(r[t.c("big")], Value(INT64_MAX));
    EXPECT_EQ(r[t.c("big")].kind(), Kind::int64);
    EXPECT_EQ(r[t.c("small")], Value(-32768));
    EXPECT_EQ(r[t.c("flag")], Value(1));  // BOOL is TINYINT(1): it reads back as the integer 1
    EXPECT_EQ(r[t.c("flag")].kind(), Kind::int64);
    EXPECT_EQ(r[t.c("str")], Value("ünïcødé ' \" ` \\ %"));
    EXPECT_EQ(r[t.c("txt")], Value(long_text));
    EXPECT_EQ(r[t.c("bin")], Value(bin));
    EXPECT_EQ(r[t.c("blob")], Value(blob));
    EXPECT_EQ(r[t.c("flt")], Value(0.15625));
    EXPECT_EQ(r[t.c("num")], Value(Decimal("-123456789.125")));
    EXPECT_EQ(r[t.c("day")], Value(Date{1999, 12, 31}));
    EXPECT_EQ(r[t.c("stamp")], Value(stamp));
    EXPECT_EQ(r[t.c("dur")], Value(dur));
    EXPECT_EQ(r[t.c("mood")], Value("it's \"quoted\""));
    EXPECT_EQ(r[t.c("doc")], Value(doc));  // MariaDB keeps JSON as the text given
    // The same values select by equality on the server (each bound, none concatenated).
    const auto match =
        sql::select(sql::count())
            .select_from(t)
            .where(sql::and_(t.c("big") == INT64_MAX, t.c("stamp") == stamp, t.c("mood") == "it's \"quoted\"",
                             t.c("dur") == dur, t.c("bin") == bin, t.c("num") == Decimal("-123456789.125")));
    EXPECT_EQ(wait(c.scalar(match)), Value(1));
    EXPECT_EQ(wait(c.scalar(sql::select(t.c("mood")).where(t.c("mood") == "50%"))), Value());
    wait(drop_all(c, md));
    EXPECT_EQ(wait(c.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                            "AND table_name = 'engine_all_types'")),
              Value(0));
}

}  // namespace
}  // namespace uvmysql::test

// SPDX-License-Identifier: MIT
// Transactions against the private MariaDB: nesting, savepoints, XA with recovery, the scoped
// form, dropped and pooled transactions, options, and every misuse.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/logger.hpp"
#include "integration_support.hpp"

namespace uvmysql::test {
namespace {

using namespace std::chrono_literals;

/// Collects what the "uvmysql" logger writes while it lives.
class LogCapture {
public:
    LogCapture() : logger_(uvmysql::detail::logger()), sink_(std::make_shared<spdlog::sinks::ostream_sink_st>(out_)) {
        sink_->set_pattern("%l: %v");
        logger_->sinks().push_back(sink_);
    }
    ~LogCapture() { std::erase(logger_->sinks(), sink_); }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> logger_;
    std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
};

/// An error a failed future must carry: its class, errno, SQLSTATE and part of its message.
template <class E, class T>
void expect_error(Future<T> f, int errno_code, const std::string& sqlstate, const std::string& part,
                  uv_loop_t* loop) {
    try {
        run_until(loop, std::move(f), 15s);
        ADD_FAILURE() << "expected an error containing '" << part << "'";
    } catch (const E& e) {
        EXPECT_EQ(e.errno_code(), errno_code) << e.what();
        EXPECT_EQ(e.sqlstate(), sqlstate) << e.what();
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
}

/// Thrown by scoped-form bodies: the caller must get this very type and message back.
struct BodyFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class TransactionTest : public ServerTest {
protected:
    void SetUp() override {
        ConnectOptions opt = server_options();
        opt.autocommit = true;   // sees committed rows only, with a fresh snapshot per statement
        observer_ = open(opt);
        // A prepared XA transaction outlives its session and keeps its locks: one left by an
        // earlier, failed run would block this run's tables.
        // (An empty branch answers XA_RBROLLBACK, 1402, and is gone all the same.)
        for (const Xid& xid : wait(recover_twophase(observer_)))
            wait(rollback_prepared(observer_, xid).on_error([](const OperationalError&) {}));
    }

    /// A connection as users get it by default (autocommit off, as aiomysql).
    Connection client() { return open(server_options()); }

    /// Creates the empty table tx_<name> (InnoDB) and returns its name.
    std::string table(const std::string& name) {
        const std::string t = "tx_" + name;
        wait(observer_.query("DROP TABLE IF EXISTS " + t));
        wait(observer_.query("CREATE TABLE " + t + " (id INT PRIMARY KEY) ENGINE=InnoDB"));
        return t;
    }

    void insert(Connection& c, const std::string& t, int id) {
        wait(c.query("INSERT INTO " + t + " VALUES (" + std::to_string(id) + ")"));
    }

    /// The committed ids of `t`, as a second connection sees them.
    std::vector<std::int64_t> committed(const std::string& t) {
        std::vector<std::int64_t> ids;
        const std::vector<ResultSet> sets = wait(observer_.query("SELECT id FROM " + t + " ORDER BY id"));
        for (const Row& r : sets.front().rows) ids.push_back(r.at(0).as<std::int64_t>());
        return ids;
    }

    /// KILLs the session of `c` from the observer, waits until `c` has noticed and until the
    /// server has finished with the session (only then is its prepared XA transaction detached
    /// from it and open to other sessions).
    void kill(Connection& c) {
        const std::string id = std::to_string(c.thread_id());
        wait(observer_.query("KILL " + id));
        EXPECT_THROW(wait(c.ping(false)), Error);
        EXPECT_TRUE(c.closed());
        for (int i = 0; i < 500; ++i) {
            if (scalar(observer_, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id)
                    .as<std::int64_t>() == 0)
                return;
            wait(sleep_for(loop(), 10ms));
        }
        ADD_FAILURE() << "session " << id << " still listed 5 s after KILL";
    }

    /// A transaction with row 1, and savepoints to depth three, each with one more row (2, 3, 4).
    struct ThreeSavepoints {
        Transaction tx;
        NestedTransaction sp1, sp2, sp3;
    };
    ThreeSavepoints three_savepoints(Connection& c, const std::string& t) {
        ThreeSavepoints s;
        s.tx = wait(begin(c));
        insert(c, t, 1);
        NestedTransaction* savepoints[] = {&s.sp1, &s.sp2, &s.sp3};
        for (int i = 0; i < 3; ++i) {
            *savepoints[i] = wait(begin_nested(c));
            insert(c, t, i + 2);
        }
        return s;
    }

    template <class E, class T>
    void expect_fails(Future<T> f, int errno_code, const std::string& sqlstate, const std::string& part) {
        expect_error<E>(std::move(f), errno_code, sqlstate, part, loop());
    }

    Connection observer_;
};

using Ids = std::vector<std::int64_t>;

// ---- begin() nesting ------------------------------------------------------------------------

TEST_F(TransactionTest, InnerCommitDoesNothingOuterCommitCommits) {
    const std::string t = table("inner_commit");
    Connection c = client();
    Transaction outer = wait(begin(c));
    EXPECT_TRUE(outer.is_active());
    EXPECT_TRUE(c.in_transaction());   // the server's status flag
    Transaction inner = wait(begin(c));
    insert(c, t, 1);
    wait(inner.commit());
    EXPECT_FALSE(inner.is_active());
    EXPECT_TRUE(outer.is_active());
    EXPECT_TRUE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{});   // the inner commit sent nothing
    wait(outer.commit());
    EXPECT_FALSE(outer.is_active());
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{1});
}

TEST_F(TransactionTest, InnerRollbackRollsBackEverything) {
    const std::string t = table("inner_rollback");
    Connection c = client();
    Transaction outer = wait(begin(c));
    insert(c, t, 1);
    Transaction inner = wait(begin(c));
    insert(c, t, 2);
    wait(inner.rollback());
    EXPECT_FALSE(inner.is_active());
    EXPECT_FALSE(outer.is_active());
    EXPECT_FALSE(c.in_transaction());
    expect_fails<ProgrammingError>(outer.commit(), 0, "25000", "the transaction was already rolled back");
    EXPECT_EQ(committed(t), Ids{});
    // The next begin() is an outermost transaction again.
    Transaction next = wait(begin(c));
    insert(c, t, 3);
    wait(next.commit());
    EXPECT_EQ(committed(t), Ids{3});
}

TEST_F(TransactionTest, InnerCloseLeavesTheOuterTransactionAlone) {
    const std::string t = table("inner_close");
    Connection c = client();
    Transaction outer = wait(begin(c));
    Transaction inner = wait(begin(c));
    insert(c, t, 1);
    wait(inner.close());
    EXPECT_FALSE(inner.is_active());
    EXPECT_TRUE(outer.is_active());
    wait(outer.commit());
    EXPECT_EQ(committed(t), Ids{1});
}

// ---- savepoints -----------------------------------------------------------------------------

TEST_F(TransactionTest, SavepointsToDepthThreeWithPartialRollback) {
    const std::string t = table("savepoints");
    Connection c = client();
    auto [tx, sp1, sp2, sp3] = three_savepoints(c, t);
    wait(sp3.rollback());   // undoes 4 only
    EXPECT_FALSE(sp3.is_active());
    EXPECT_TRUE(sp2.is_active());
    wait(sp2.commit());     // RELEASE keeps 3
    NestedTransaction sp4 = wait(begin_nested(c));   // inside sp1 again
    insert(c, t, 5);
    wait(sp4.rollback());
    wait(sp1.commit());
    EXPECT_EQ(committed(t), Ids{});   // nothing is visible before the outermost commit
    wait(tx.commit());
    EXPECT_EQ(committed(t), (Ids{1, 2, 3}));
}

TEST_F(TransactionTest, RollingBackASavepointEndsTheOnesInsideIt) {
    const std::string t = table("savepoint_outer_rollback");
    Connection c = client();
    auto [tx, sp1, sp2, sp3] = three_savepoints(c, t);
    wait(sp2.rollback());   // undoes 3 and 4; sp3 went with it
    EXPECT_FALSE(sp3.is_active());
    expect_fails<ProgrammingError>(sp3.commit(), 0, "25000",
                                   "its enclosing savepoint uvmysql_sp_2 was already rolled back");
    wait(sp3.rollback());   // nothing left to roll back: resolves
    // A begin() now goes inside sp1: its rollback rolls back to sp1.
    Transaction inner = wait(begin(c));
    insert(c, t, 5);
    wait(inner.rollback());
    EXPECT_FALSE(sp1.is_active());
    EXPECT_TRUE(tx.is_active());
    wait(tx.commit());
    EXPECT_EQ(committed(t), Ids{1});
}

TEST_F(TransactionTest, BeginNestedWithoutTransactionBeginsOne) {
    const std::string t = table("nested_first");
    Connection c = client();
    NestedTransaction tx = wait(begin_nested(c));
    EXPECT_TRUE(c.in_transaction());
    insert(c, t, 1);
    wait(tx.commit());
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{1});
}

TEST_F(TransactionTest, SavepointReleasedTwiceIsAnError) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    NestedTransaction sp = wait(begin_nested(c));
    wait(sp.commit());
    expect_fails<ProgrammingError>(sp.commit(), 0, "25000", "the savepoint uvmysql_sp_1 was already released");
    EXPECT_TRUE(tx.is_active());
    wait(tx.commit());
}

// ---- XA -------------------------------------------------------------------------------------

TEST_F(TransactionTest, PreparedXaSurvivesAKilledConnectionAndIsCommittedFromAnother) {
    const std::string t = table("xa_commit");
    Connection c = client();
    // Quotes, a backslash, a NUL and a high byte: sent as hex, recovered byte for byte.
    const Xid xid(std::string("it's\\\0\xff-commit", 14), "branch'1", 42);
    TwoPhaseTransaction xa = wait(begin_twophase(c, xid));
    EXPECT_EQ(xa.xid(), xid);
    insert(c, t, 1);
    wait(xa.prepare());
    EXPECT_TRUE(xa.is_prepared());
    kill(c);
    EXPECT_FALSE(xa.is_active());
    expect_fails<InterfaceError>(xa.commit(), 0, "HY000", "a prepared XA transaction stays prepared");

    Connection other = client();
    const std::vector<Xid> prepared = wait(recover_twophase(other));
    EXPECT_NE(std::find(prepared.begin(), prepared.end(), xid), prepared.end());
    EXPECT_EQ(committed(t), Ids{});
    wait(commit_prepared(other, xid));
    EXPECT_EQ(committed(t), Ids{1});
    const std::vector<Xid> after = wait(recover_twophase(other));
    EXPECT_EQ(std::find(after.begin(), after.end(), xid), after.end());
    expect_fails<ProgrammingError>(commit_prepared(other, xid), 1397, "XAE04", "XAER_NOTA");
}

TEST_F(TransactionTest, PreparedXaIsRolledBackFromAnotherConnection) {
    const std::string t = table("xa_rollback");
    Connection c = client();
    TwoPhaseTransaction xa = wait(begin_twophase(c));   // a random xid
    const Xid xid = xa.xid();
    EXPECT_EQ(xid.gtrid.rfind("uvmysql-", 0), 0u);
    insert(c, t, 1);
    wait(xa.prepare());
    kill(c);
    Connection other = client();
    const std::vector<Xid> prepared = wait(recover_twophase(other));
    EXPECT_NE(std::find(prepared.begin(), prepared.end(), xid), prepared.end());
    wait(rollback_prepared(other, xid));
    EXPECT_EQ(committed(t), Ids{});
    const std::vector<Xid> after = wait(recover_twophase(other));
    EXPECT_EQ(std::find(after.begin(), after.end(), xid), after.end());
}

TEST_F(TransactionTest, XaWithoutPrepareCommitsInOnePhase) {
    const std::string t = table("xa_one_phase");
    Connection c = client();
    TwoPhaseTransaction xa = wait(begin_twophase(c, Xid("one-phase", "", 0)));
    insert(c, t, 1);
    wait(xa.commit());
    EXPECT_FALSE(xa.is_active());
    EXPECT_FALSE(xa.is_prepared());
    EXPECT_EQ(committed(t), Ids{1});
    const std::vector<Xid> prepared = wait(recover_twophase(c));
    EXPECT_EQ(std::find(prepared.begin(), prepared.end(), Xid("one-phase", "", 0)), prepared.end());
}

TEST_F(TransactionTest, XaPreparedAndCommittedOnItsOwnConnection) {
    const std::string t = table("xa_same_connection");
    Connection c = client();
    TwoPhaseTransaction xa = wait(begin_twophase(c, "same-connection"));
    insert(c, t, 1);
    wait(xa.prepare());
    expect_fails<ProgrammingError>(xa.prepare(), 0, "25000", "already prepared");
    wait(xa.commit());
    EXPECT_FALSE(xa.is_active());
    EXPECT_EQ(committed(t), Ids{1});
    // The connection takes ordinary transactions again.
    Transaction tx = wait(begin(c));
    insert(c, t, 2);
    wait(tx.commit());
    EXPECT_EQ(committed(t), (Ids{1, 2}));
}

TEST_F(TransactionTest, XaRollbackBeforeAndAfterPrepare) {
    const std::string t = table("xa_handle_rollback");
    Connection c = client();
    TwoPhaseTransaction a = wait(begin_twophase(c));
    insert(c, t, 1);
    wait(a.rollback());
    EXPECT_FALSE(a.is_active());
    TwoPhaseTransaction b = wait(begin_twophase(c));
    insert(c, t, 2);
    wait(b.prepare());
    wait(b.close());
    EXPECT_FALSE(b.is_active());
    EXPECT_EQ(committed(t), Ids{});
    const std::vector<Xid> prepared = wait(recover_twophase(c));
    EXPECT_EQ(std::find(prepared.begin(), prepared.end(), b.xid()), prepared.end());
}

TEST_F(TransactionTest, CommitPreparedOnTheOwnConnectionEndsTheHandle) {
    Connection c = client();
    TwoPhaseTransaction xa = wait(begin_twophase(c));
    wait(c.query("SELECT 1"));
    wait(xa.prepare());
    wait(commit_prepared(c, xa.xid()));
    EXPECT_FALSE(xa.is_active());
    expect_fails<ProgrammingError>(xa.commit(), 0, "25000", "was already committed");
}

// ---- the scoped form ------------------------------------------------------------------------

TEST_F(TransactionTest, ScopedFormCommitsOnSuccess) {
    const std::string t = table("scoped_ok");
    Connection c = client();
    const int n = wait(transaction(c, [t](Transaction& tx) -> Task<int> {
        EXPECT_TRUE(tx.is_active());
        Connection conn = tx.connection();
        co_await conn.query("INSERT INTO " + t + " VALUES (1)");
        co_await conn.query("INSERT INTO " + t + " VALUES (2)");
        co_return 2;
    }));
    EXPECT_EQ(n, 2);
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), (Ids{1, 2}));
}

TEST_F(TransactionTest, ScopedFormRollsBackAFailedFutureAndHandsTheErrorOn) {
    const std::string t = table("scoped_failed_future");
    Connection c = client();
    Future<void> f = transaction(c, [t](Transaction& tx) {
        Connection conn = tx.connection();
        return conn.query("INSERT INTO " + t + " VALUES (1)").then([conn](std::vector<ResultSet>) mutable {
            return conn.query("SELEKT 1").then([](std::vector<ResultSet>) {});
        });
    });
    expect_fails<ProgrammingError>(std::move(f), 1064, "42000", "SELEKT");
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{});
    EXPECT_EQ(scalar(c, "SELECT 7").as<std::int64_t>(), 7);   // reusable
}

TEST_F(TransactionTest, ScopedFormRollsBackWhenTheBodyThrows) {
    const std::string t = table("scoped_throw");
    Connection c = client();
    // A coroutine body that throws after writing.
    Future<int> thrown_in_task = transaction(c, [t](Transaction& tx) -> Task<int> {
        co_await tx.connection().query("INSERT INTO " + t + " VALUES (1)");
        throw BodyFailure("the body gave up");
    });
    try {
        wait(std::move(thrown_in_task));
        ADD_FAILURE() << "no error";
    } catch (const BodyFailure& e) {
        EXPECT_STREQ(e.what(), "the body gave up");
    }
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{});
    // A plain body that throws before returning its future (its insert is already queued).
    Future<void> thrown_at_once = transaction(c, [&c, t](Transaction&) -> Future<void> {
        c.query("INSERT INTO " + t + " VALUES (2)").detach();
        throw BodyFailure("thrown at once");
    });
    EXPECT_THROW(wait(std::move(thrown_at_once)), BodyFailure);
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(committed(t), Ids{});
    EXPECT_EQ(scalar(c, "SELECT 8").as<std::int64_t>(), 8);
}

TEST_F(TransactionTest, ScopedFormLeavesATransactionTheBodyEnded) {
    const std::string t = table("scoped_ended");
    Connection c = client();
    wait(transaction(c, [t](Transaction& tx) -> Task<> {
        co_await tx.connection().query("INSERT INTO " + t + " VALUES (1)");
        co_await tx.rollback();
        co_await tx.connection().query("INSERT INTO " + t + " VALUES (2)");   // autocommit is off: not committed by us
        co_await tx.connection().rollback();
    }));
    EXPECT_EQ(committed(t), Ids{});
}

TEST_F(TransactionTest, ScopedFormWithAPool) {
    const std::string t = table("scoped_pool");
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;
    Pool pool = wait(create_pool(loop(), server_options(), po));
    const std::int64_t n = wait(pool.transaction([t](Transaction& tx) -> Task<std::int64_t> {
        co_await tx.connection().query("INSERT INTO " + t + " VALUES (1)");
        co_return static_cast<std::int64_t>(tx.connection().affected_rows());
    }));
    EXPECT_EQ(n, 1);
    EXPECT_EQ(pool.freesize(), 1u);
    Future<void> failed = transaction(pool, TransactionOptions().with_isolation(IsolationLevel::serializable),
                                      [t](Transaction& tx) -> Task<> {
                                          co_await tx.connection().query("INSERT INTO " + t + " VALUES (2)");
                                          throw BodyFailure("pool body failed");
                                      });
    EXPECT_THROW(wait(std::move(failed)), BodyFailure);
    EXPECT_EQ(pool.freesize(), 1u);
    EXPECT_EQ(pool.stats().rollbacks, 0u);   // rolled back by the scoped form, not by the pool
    EXPECT_EQ(committed(t), Ids{1});
    pool.close();
    wait(pool.wait_closed());
}

TEST_F(TransactionTest, ScopedFormInsideATransactionIsAnInnerOne) {
    const std::string t = table("scoped_inner");
    Connection c = client();
    Transaction outer = wait(begin(c));
    wait(transaction(c, [t](Transaction& tx) {
        return tx.connection().query("INSERT INTO " + t + " VALUES (1)").then([](std::vector<ResultSet>) {});
    }));
    EXPECT_TRUE(outer.is_active());
    EXPECT_EQ(committed(t), Ids{});
    EXPECT_THROW(wait(transaction(c, [](Transaction&) -> Future<void> { throw BodyFailure("inner"); })), BodyFailure);
    EXPECT_FALSE(outer.is_active());   // the inner rollback rolled back everything
    EXPECT_EQ(committed(t), Ids{});
}

// ---- dropped and pooled transactions --------------------------------------------------------

TEST_F(TransactionTest, DestroyingAnActiveTransactionRollsItBack) {
    const std::string t = table("dropped");
    LogCapture log;
    Connection c = client();
    {
        Transaction tx = wait(begin(c));
        insert(c, t, 1);
    }
    // The rollback was queued when the handle went: a command behind it sees its effect.
    wait(c.ping(false));
    EXPECT_FALSE(c.in_transaction());
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM " + t).as<std::int64_t>(), 0);
    EXPECT_EQ(committed(t), Ids{});
    EXPECT_NE(log.text().find("warning: transaction: the transaction was destroyed while active; rolling it back"),
              std::string::npos)
        << log.text();
}

TEST_F(TransactionTest, DestroyingASavepointRollsBackToIt) {
    const std::string t = table("dropped_savepoint");
    LogCapture log;
    Connection c = client();
    Transaction tx = wait(begin(c));
    insert(c, t, 1);
    {
        NestedTransaction sp = wait(begin_nested(c));
        insert(c, t, 2);
    }
    NestedTransaction next = wait(begin_nested(c));   // inside tx again, not inside the dropped one
    insert(c, t, 3);
    wait(next.commit());
    wait(tx.commit());
    EXPECT_EQ(committed(t), (Ids{1, 3}));
    EXPECT_NE(log.text().find("the savepoint uvmysql_sp_1 was destroyed while active"), std::string::npos) << log.text();
}

TEST_F(TransactionTest, DestroyingAnInnerTransactionRollsBackTheEnclosingOne) {
    const std::string t = table("dropped_inner");
    LogCapture log;
    Connection c = client();
    Transaction outer = wait(begin(c));
    insert(c, t, 1);
    {
        Transaction inner = wait(begin(c));
        insert(c, t, 2);
    }
    wait(c.ping(false));
    EXPECT_FALSE(outer.is_active());
    EXPECT_FALSE(c.in_transaction());
    expect_fails<ProgrammingError>(outer.commit(), 0, "25000", "already rolled back");
    EXPECT_EQ(committed(t), Ids{});
    EXPECT_NE(log.text().find("the inner transaction was destroyed while active"), std::string::npos) << log.text();
}

TEST_F(TransactionTest, DestroyingAnActiveXaRollsItBack) {
    const std::string t = table("dropped_xa");
    Connection c = client();
    Xid xid;
    {
        TwoPhaseTransaction xa = wait(begin_twophase(c));
        xid = xa.xid();
        insert(c, t, 1);
    }
    // XA END + XA ROLLBACK went first: the connection takes a new XA transaction at once.
    TwoPhaseTransaction next = wait(begin_twophase(c));
    insert(c, t, 2);
    wait(next.commit());
    EXPECT_EQ(committed(t), Ids{2});
    const std::vector<Xid> prepared = wait(recover_twophase(c));
    EXPECT_EQ(std::find(prepared.begin(), prepared.end(), xid), prepared.end());
}

TEST_F(TransactionTest, DestroyingAPreparedXaLeavesItPrepared) {
    const std::string t = table("dropped_prepared");
    LogCapture log;
    Connection c = client();
    Xid xid;
    {
        TwoPhaseTransaction xa = wait(begin_twophase(c));
        xid = xa.xid();
        insert(c, t, 1);
        wait(xa.prepare());
    }
    EXPECT_NE(log.text().find("stays prepared"), std::string::npos) << log.text();
    const std::vector<Xid> prepared = wait(recover_twophase(c));
    EXPECT_NE(std::find(prepared.begin(), prepared.end(), xid), prepared.end());
    wait(commit_prepared(c, xid));
    EXPECT_EQ(committed(t), Ids{1});
}

TEST_F(TransactionTest, PoolReleaseEndsAnActiveTransactionObject) {
    const std::string t = table("pool_release");
    PoolOptions po;
    po.minsize = 1;
    po.maxsize = 1;   // the next borrower gets the very same session
    Pool pool = wait(create_pool(loop(), server_options(), po));
    PooledConnection first = wait(pool.acquire());
    const std::uint32_t session = first->thread_id();
    Transaction stale = wait(begin(*first));
    insert(*first, t, 1);
    first.release();
    EXPECT_FALSE(stale.is_active());
    expect_fails<InterfaceError>(stale.commit(), 0, "HY000", "was returned to its pool");
    expect_fails<InterfaceError>(stale.rollback(), 0, "HY000", "was returned to its pool");
    wait(stale.close());   // nothing active: resolves

    PooledConnection second = wait(pool.acquire());
    EXPECT_EQ(second->thread_id(), session);
    EXPECT_EQ(pool.stats().rollbacks, 1u);   // the pool rolled the first borrower's work back
    Transaction fresh = wait(begin(*second));   // outermost: the stale one is not inside anything
    insert(*second, t, 2);
    stale = Transaction();   // dropping the stale handle must not touch the new transaction
    EXPECT_TRUE(fresh.is_active());
    wait(fresh.commit());
    EXPECT_EQ(committed(t), Ids{2});
    second.release();
    pool.close();
    wait(pool.wait_closed());
}

// ---- options --------------------------------------------------------------------------------

TEST_F(TransactionTest, IsolationLevelAndReadOnly) {
    const std::string t = table("read_only");
    Connection c = client();
    Transaction tx = wait(begin(c, TransactionOptions()
                                       .with_isolation(IsolationLevel::read_committed)
                                       .with_read_only()
                                       .with_consistent_snapshot()));
    const Row trx = wait(c.query("SELECT trx_isolation_level, trx_is_read_only FROM information_schema.INNODB_TRX "
                                 "WHERE trx_mysql_thread_id = CONNECTION_ID()"))
                        .front()
                        .rows.at(0);
    EXPECT_EQ(trx.at(0).as<std::string>(), "READ COMMITTED");
    EXPECT_EQ(trx.at(1).as<std::int64_t>(), 1);
    expect_fails<OperationalError>(c.query("INSERT INTO " + t + " VALUES (1)"), 1792, "25006", "READ ONLY");
    wait(tx.rollback());
    EXPECT_EQ(committed(t), Ids{});
}

TEST_F(TransactionTest, IsolationLevelDecidesWhatTheTransactionSees) {
    const std::string t = table("isolation");
    Connection c = client();
    for (const auto level : {IsolationLevel::repeatable_read, IsolationLevel::read_committed}) {
        Transaction tx = wait(begin(c, TransactionOptions().with_isolation(level).with_consistent_snapshot()));
        insert(observer_, t, level == IsolationLevel::repeatable_read ? 1 : 2);   // committed meanwhile
        const auto seen = scalar(c, "SELECT COUNT(*) FROM " + t).as<std::int64_t>();
        EXPECT_EQ(seen, level == IsolationLevel::repeatable_read ? 0 : 2);
        wait(tx.commit());
    }
}

// ---- misuse ---------------------------------------------------------------------------------

TEST_F(TransactionTest, CommitAfterRollbackIsAnError) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    wait(tx.rollback());
    expect_fails<ProgrammingError>(tx.commit(), 0, "25000", "the transaction was already rolled back");
    wait(tx.rollback());   // a second rollback has nothing to do
    wait(tx.close());
    Transaction done = wait(begin(c));
    wait(done.commit());
    expect_fails<ProgrammingError>(done.commit(), 0, "25000", "was already committed");
}

TEST_F(TransactionTest, ASecondCommitWhileTheFirstRunsIsAnError) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    Future<void> first = tx.commit();
    expect_fails<ProgrammingError>(tx.commit(), 0, "25000", "is being committed or rolled back");
    wait(std::move(first));
    EXPECT_FALSE(tx.is_active());
}

TEST_F(TransactionTest, TransactionOfAClosedConnection) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    NestedTransaction sp = wait(begin_nested(c));
    c.close();
    EXPECT_FALSE(tx.is_active());
    EXPECT_FALSE(sp.is_active());
    expect_fails<InterfaceError>(tx.commit(), 0, "HY000", "the connection of the transaction is closed");
    expect_fails<InterfaceError>(sp.rollback(), 0, "HY000", "is closed");
    wait(tx.close());
    expect_fails<InterfaceError>(begin(c), 0, "08003", "Connection closed");
}

TEST_F(TransactionTest, TransactionOfAReconnectedConnection) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    kill(c);
    wait(c.ping(true));   // a new session on the same handle
    EXPECT_FALSE(tx.is_active());
    expect_fails<InterfaceError>(tx.commit(), 0, "HY000", "was reconnected");
    Transaction fresh = wait(begin(c));
    EXPECT_TRUE(fresh.is_active());
    wait(fresh.commit());
}

TEST_F(TransactionTest, XaInsideARegularTransactionIsRefusedByTheServer) {
    Connection c = client();
    Transaction tx = wait(begin(c));
    expect_fails<ProgrammingError>(begin_twophase(c), 1400, "XAE09", "XAER_OUTSIDE");
    EXPECT_TRUE(tx.is_active());   // still the innermost transaction
    Transaction inner = wait(begin(c));
    wait(inner.commit());
    wait(tx.commit());

    TwoPhaseTransaction xa = wait(begin_twophase(c));
    expect_fails<ProgrammingError>(begin_twophase(c), 1399, "XAE07", "XAER_RMFAIL");
    expect_fails<ProgrammingError>(c.query("START TRANSACTION"), 1399, "XAE07", "ACTIVE state");
    wait(xa.rollback());
}

TEST_F(TransactionTest, BadArgumentsAreRefused) {
    Connection c = client();
    expect_fails<ProgrammingError>(begin_twophase(c, Xid(std::string(65, 'x'))), 0, "HY000",
                                   "invalid xid: gtrid has 65 bytes");
    expect_fails<ProgrammingError>(commit_prepared(c, Xid("g", "", -1)), 0, "HY000", "format id -1");
    expect_fails<ProgrammingError>(rollback_prepared(c, Xid("no-such-xid")), 1397, "XAE04", "XAER_NOTA");
    Transaction tx = wait(begin(c));
    expect_fails<ProgrammingError>(begin(c, TransactionOptions().with_read_only()), 0, "25000",
                                   "apply only to an outermost transaction");
    wait(tx.commit());
    // With autocommit off, a statement leaves an implicit transaction open: the server refuses
    // a new isolation level then, and begin() reports it.
    wait(c.query("SELECT COUNT(*) FROM information_schema.TABLES"));
    wait(c.query("SELECT * FROM " + table("implicit")));
    expect_fails<ProgrammingError>(begin(c, TransactionOptions().with_isolation(IsolationLevel::serializable)), 1568,
                                   "25001", "Transaction characteristics");
    wait(c.rollback());
    Transaction ok = wait(begin(c, TransactionOptions().with_isolation(IsolationLevel::serializable)));
    wait(ok.commit());
}

}  // namespace
}  // namespace uvmysql::test

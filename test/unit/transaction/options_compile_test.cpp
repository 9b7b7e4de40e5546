// SPDX-License-Identifier: MIT
// The documented spellings compile inside coroutines with GCC 12 (no braced list inside co_await),
// and empty handles fail clearly without a server.
#include <gtest/gtest.h>

#include <uvmysql/uvmysql.hpp>

namespace uvmysql {
namespace {

/// Every form docs/transaction.md shows inside a coroutine. Run on an empty Connection and Pool,
/// each one fails at its first step with InterfaceError, which is what the test checks.
Task<int> documented_forms(Connection conn, Pool pool, int form) {
    switch (form) {
        case 0: {
            Transaction tx = co_await begin(conn);
            co_await tx.commit();
            break;
        }
        case 1: {
            Transaction tx = co_await begin(
                conn, TransactionOptions().with_isolation(IsolationLevel::repeatable_read).with_read_only());
            co_await tx.rollback();
            break;
        }
        case 2: {
            TransactionOptions options;
            options.isolation = IsolationLevel::serializable;
            options.consistent_snapshot = true;
            Transaction tx = co_await begin(conn, options);
            co_await tx.close();
            break;
        }
        case 3: {
            NestedTransaction sp = co_await begin_nested(conn);
            co_await sp.commit();
            break;
        }
        case 4: {
            TwoPhaseTransaction xa = co_await begin_twophase(conn, Xid("order-17", "shop", 7));
            co_await xa.prepare();
            co_await xa.commit();
            break;
        }
        case 5: {
            TwoPhaseTransaction xa = co_await begin_twophase(conn, "order-18");
            co_await xa.rollback();
            break;
        }
        case 6: {
            for (const Xid& xid : co_await recover_twophase(conn)) co_await commit_prepared(conn, xid);
            break;
        }
        case 7: co_await rollback_prepared(conn, Xid("order-19")); break;
        case 8:
            co_return co_await transaction(conn, [](Transaction& tx) -> Task<int> {
                co_await tx.connection().query("INSERT INTO t VALUES (1)");
                co_return 1;
            });
        case 9:
            co_await transaction(conn, TransactionOptions().with_read_only(), [](Transaction& tx) {
                return tx.connection().query("SELECT 1").then([](std::vector<ResultSet>) {});
            });
            break;
        case 10: {
            // docs/pool.md
            std::int64_t n = co_await pool.transaction([](uvmysql::Transaction& tx) -> uvmysql::Task<std::int64_t> {
                co_await tx.connection().query("INSERT INTO t VALUES (1)");
                co_return static_cast<std::int64_t>(tx.connection().affected_rows());
            });
            co_return static_cast<int>(n);
        }
        case 11:
            co_await pool.transaction(TransactionOptions().with_isolation(IsolationLevel::read_committed),
                                      [](Transaction&) { return make_ready_future(); });
            break;
        default: break;
    }
    co_return 0;
}

TEST(TransactionApi, DocumentedFormsCompileInCoroutinesAndFailOnEmptyHandles) {
    for (int form = 0; form <= 11; ++form) {
        Future<int> result = spawn(documented_forms(Connection(), Pool(), form));
        ASSERT_TRUE(result.is_ready()) << "form " << form;   // nothing to wait for: no I/O happens
        EXPECT_THROW(std::move(result).get(), InterfaceError) << "form " << form;
    }
}

TEST(TransactionApi, DesignatedInitializersWorkOutsideCoroutines) {
    // Plain code may use the braced form (GCC 12 only refuses it inside co_await).
    Future<Transaction> f = begin(Connection(), {.isolation = IsolationLevel::serializable, .read_only = true});
    EXPECT_THROW(std::move(f).get(), InterfaceError);
}

TEST(TransactionApi, EmptyTransactionHandles) {
    Transaction tx;
    EXPECT_FALSE(tx.is_active());
    EXPECT_TRUE(tx.connection().closed());
    EXPECT_THROW(tx.commit().get(), InterfaceError);
    EXPECT_THROW(tx.rollback().get(), InterfaceError);
    EXPECT_NO_THROW(tx.close().get());
    TwoPhaseTransaction xa;
    EXPECT_EQ(xa.xid(), Xid());
    EXPECT_FALSE(xa.is_prepared());
    EXPECT_THROW(xa.prepare().get(), InterfaceError);
}

TEST(TransactionApi, InvalidXidIsRefusedBeforeAnythingIsSent) {
    try {
        begin_twophase(Connection(), Xid(std::string(65, 'x'))).get();
        FAIL() << "no error";
    } catch (const InterfaceError&) {
        // The empty handle is checked first; with a handle the xid is (see the integration tests).
    }
    EXPECT_THROW(commit_prepared(Connection(), Xid("")).get(), InterfaceError);
}

TEST(TransactionApi, ScopedFormDoesNotCallTheBodyWhenBeginFails) {
    bool called = false;
    Future<void> f = transaction(Connection(), [&called](Transaction&) {
        called = true;
        return make_ready_future();
    });
    EXPECT_THROW(std::move(f).get(), InterfaceError);
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// The SQL text of transactions: START TRANSACTION options, savepoint names, xids and XA RECOVER rows.
#include <gtest/gtest.h>

#include <set>

#include "transaction/tx_statements.hpp"

namespace uvmysql::detail {
namespace {

TEST(TransactionStatements, PlainStartHasNoSetTransaction) {
    const TransactionOptions plain;
    EXPECT_TRUE(plain.is_default());
    EXPECT_EQ(set_transaction_statement(plain), std::nullopt);
    EXPECT_EQ(start_transaction_statement(plain), "START TRANSACTION");
}

TEST(TransactionStatements, EveryIsolationLevel) {
    const std::pair<IsolationLevel, const char*> levels[] = {
        {IsolationLevel::read_uncommitted, "READ UNCOMMITTED"},
        {IsolationLevel::read_committed, "READ COMMITTED"},
        {IsolationLevel::repeatable_read, "REPEATABLE READ"},
        {IsolationLevel::serializable, "SERIALIZABLE"},
    };
    for (const auto& [level, sql] : levels) {
        const auto options = TransactionOptions().with_isolation(level);
        EXPECT_FALSE(options.is_default());
        EXPECT_EQ(set_transaction_statement(options), std::string("SET TRANSACTION ISOLATION LEVEL ") + sql);
        EXPECT_EQ(start_transaction_statement(options), "START TRANSACTION");
    }
}

TEST(TransactionStatements, AccessModeAndSnapshot) {
    EXPECT_EQ(start_transaction_statement(TransactionOptions().with_read_only()), "START TRANSACTION READ ONLY");
    EXPECT_EQ(start_transaction_statement(TransactionOptions().with_consistent_snapshot()),
              "START TRANSACTION WITH CONSISTENT SNAPSHOT");
    EXPECT_EQ(start_transaction_statement(TransactionOptions().with_consistent_snapshot().with_read_only()),
              "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    EXPECT_TRUE(TransactionOptions().with_read_only().with_read_only(false).is_default());
}

TEST(TransactionStatements, SavepointNamesAreGeneratedIdentifiers) {
    EXPECT_EQ(savepoint_name(1), "uvmysql_sp_1");
    EXPECT_EQ(savepoint_name(18446744073709551615u), "uvmysql_sp_18446744073709551615");
}

TEST(TransactionStatements, XidIsSentAsHexLiterals) {
    EXPECT_EQ(xid_sql(Xid("ab")), "X'6162',X'',1");
    // Quotes, backslashes, NULs and high bytes cannot leave the literal.
    EXPECT_EQ(xid_sql(Xid(std::string("'\\\0\xff", 4), "x'; DROP", 7)), "X'275C00FF',X'78273B2044524F50',7");
    EXPECT_EQ(xa_statement("COMMIT", Xid("a", "b", 0), " ONE PHASE"), "XA COMMIT X'61',X'62',0 ONE PHASE");
    EXPECT_EQ(xa_statement("START", Xid("a")), "XA START X'61',X'',1");
}

TEST(TransactionStatements, XidTextForLogs) {
    EXPECT_EQ(xid_text(Xid("order-17", "shop", 3)), "'order-17','shop',3");
    EXPECT_EQ(xid_text(Xid(std::string("a\0b", 3), "it's")), "X'610062',X'69742773',1");
}

TEST(TransactionStatements, XidLimits) {
    EXPECT_TRUE(check_xid(Xid(std::string(64, 'g'), std::string(64, 'b'), 2147483647)).ok());
    EXPECT_TRUE(check_xid(Xid("g", "", 0)).ok());
    const Xid bad[] = {Xid(""), Xid(std::string(65, 'g')), Xid("g", std::string(65, 'b')), Xid("g", "", -1),
                       Xid("g", "", 2147483648)};
    for (const Xid& xid : bad) {
        const Status st = check_xid(xid);
        EXPECT_FALSE(st.ok());
        EXPECT_EQ(st.client_kind, ClientKind::programming);
        EXPECT_NE(st.message.find("invalid xid"), std::string::npos) << st.message;
    }
}

TEST(TransactionStatements, RecoverRowsSplitIntoGtridAndBqual) {
    EXPECT_EQ(xid_from_recover_row(7, 2, 3, "abcde"), Xid("ab", "cde", 7));
    EXPECT_EQ(xid_from_recover_row(1, 5, 0, "abcde"), Xid("abcde", "", 1));
    EXPECT_EQ(xid_from_recover_row(1, 6, 0, "abcde"), std::nullopt);
    EXPECT_EQ(xid_from_recover_row(1, 3, 3, "abcde"), std::nullopt);
    EXPECT_EQ(xid_from_recover_row(1, -1, 0, "abcde"), std::nullopt);
    EXPECT_EQ(xid_from_recover_row(1, 0, -1, "abcde"), std::nullopt);
}

TEST(TransactionStatements, RandomXidsDiffer) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const Xid xid = random_xid();
        EXPECT_TRUE(check_xid(xid).ok());
        EXPECT_EQ(xid.gtrid.size(), 8u + 32u);
        EXPECT_EQ(xid.gtrid.rfind("uvmysql-", 0), 0u);
        seen.insert(xid.gtrid);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace uvmysql::detail

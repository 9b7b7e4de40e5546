// SPDX-License-Identifier: MIT
// XA: begin_twophase(), recover_twophase(), commit_prepared() and rollback_prepared().
#include <utility>

#include "common/access.hpp"
#include "transaction/tx_begin.hpp"
#include "transaction/tx_current.hpp"
#include "transaction/tx_run.hpp"
#include "transaction/tx_statements.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql {

using detail::TxKind;
using detail::TxNode;
using detail::TxState;

namespace {

template <class T>
Future<T> refuse_xid(const detail::Status& st) {
    return make_exception_future<T>(ProgrammingError(st.errno_code, st.sqlstate, st.message));
}

/// XA COMMIT or XA ROLLBACK of `xid` on `conn`. When that xid is the connection's own
/// TwoPhaseTransaction, it is ended too, so that its handle does not try again.
Future<void> end_prepared(Connection conn, Xid xid, bool commit) {
    if (!detail::Access::impl(conn)) return make_exception_future<void>(detail::not_connected_error());
    if (auto st = detail::check_xid(xid); !st.ok()) return refuse_xid<void>(st);
    std::string sql = detail::xa_statement(commit ? "COMMIT" : "ROLLBACK", xid);
    Future<void> ended;
    if (!conn.get_autocommit() && !conn.in_transaction()) {
        // With autocommit off the server refuses to end another session's xid (XAER_OUTSIDE,
        // 1400) even when nothing is open here. Nothing is open, so autocommit on for this one
        // statement commits nothing; the three are queued together, so nothing runs between.
        std::vector<Future<void>> steps;
        steps.push_back(conn.autocommit(true));
        steps.push_back(detail::run_statement(conn, std::move(sql)));
        steps.push_back(conn.autocommit(false));
        ended = when_all(std::move(steps));
    } else {
        ended = detail::run_statement(conn, std::move(sql));
    }
    return std::move(ended).then([conn, xid = std::move(xid), commit]() {
        auto own = detail::innermost_active(conn);
        if (own && own->kind() == TxKind::twophase && own->xid == xid) {
            own->state = commit ? TxState::committed : TxState::rolled_back;
        }
    });
}

}  // namespace

Future<TwoPhaseTransaction> begin_twophase(Connection conn) { return begin_twophase(std::move(conn), detail::random_xid()); }

Future<TwoPhaseTransaction> begin_twophase(Connection conn, Xid xid) {
    if (!detail::Access::impl(conn)) return make_exception_future<TwoPhaseTransaction>(detail::not_connected_error());
    if (auto st = detail::check_xid(xid); !st.ok()) return refuse_xid<TwoPhaseTransaction>(st);
    auto node = std::make_shared<TxNode>(std::move(conn), TxKind::twophase);
    node->xid = std::move(xid);
    std::vector<std::string> sql;
    sql.push_back(detail::xa_statement("START", node->xid));
    return detail::start(std::move(node), std::move(sql)).then([](std::shared_ptr<TxNode> started) {
        return detail::Access::make<TwoPhaseTransaction>(std::move(started));
    });
}

Future<std::vector<Xid>> recover_twophase(Connection conn) {
    return conn.query("XA RECOVER").then([](std::vector<ResultSet> sets) {
        std::vector<Xid> xids;
        if (sets.empty()) return xids;
        for (const Row& row : sets.front().rows) {
            // formatID, gtrid_length, bqual_length, data (gtrid then bqual, raw bytes).
            auto xid = row.size() < 4 ? std::nullopt
                                      : detail::xid_from_recover_row(row.at(0).as<std::int64_t>(), row.at(1).as<std::int64_t>(),
                                                                     row.at(2).as<std::int64_t>(), row.at(3).as<std::string>());
            if (!xid) throw OperationalError(2027, "HY000", "Malformed packet: an XA RECOVER row whose lengths do not match its data");
            xids.push_back(std::move(*xid));
        }
        return xids;
    });
}

Future<void> commit_prepared(Connection conn, Xid xid) { return end_prepared(std::move(conn), std::move(xid), true); }
Future<void> rollback_prepared(Connection conn, Xid xid) { return end_prepared(std::move(conn), std::move(xid), false); }

}  // namespace uvmysql

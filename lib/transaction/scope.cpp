// SPDX-License-Identifier: MIT
// The end of the scoped form transaction(conn, fn): commit on success, rollback on failure.
#include "common/logger.hpp"
#include "transaction/tx_end.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql::detail {

Future<void> finish_scope(Transaction& tx, std::exception_ptr error) {
    // The body may have ended the transaction itself: then there is nothing left to do.
    if (!error) return tx.is_active() ? tx.commit() : make_ready_future();
    if (!tx.is_active()) return make_exception_future<void>(std::move(error));
    return tx.rollback()
        .on_error([](std::exception_ptr rollback_error) {
            // The body's error is the one the caller needs; this one is only worth a log line.
            logger()->error("transaction: rollback after a failure failed too: {}", describe_exception(rollback_error));
        })
        .then([error]() { std::rethrow_exception(error); });
}

}  // namespace uvmysql::detail

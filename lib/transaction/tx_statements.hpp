// SPDX-License-Identifier: MIT
// The SQL text of transactions: START TRANSACTION with options, savepoints, XA statements, xids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "uvmysql/transaction.hpp"

namespace uvmysql::detail {

/// "SET TRANSACTION ISOLATION LEVEL ..." for `options`, or nothing when they name no level.
std::optional<std::string> set_transaction_statement(const TransactionOptions& options);
/// "START TRANSACTION", with READ ONLY / WITH CONSISTENT SNAPSHOT as `options` ask.
std::string start_transaction_statement(const TransactionOptions& options);

/// The savepoint name for sequence number `n`: generated, never taken from the caller.
std::string savepoint_name(std::uint64_t n);

/// Why `xid` cannot be sent (ProgrammingError), or ok.
Status check_xid(const Xid& xid);
/// `xid` as XA statements take it: X'<gtrid hex>',X'<bqual hex>',<format id>. Check it first.
std::string xid_sql(const Xid& xid);
/// `xid` for people (log lines): each part quoted when it is plain printable text, else hex.
std::string xid_text(const Xid& xid);
/// "XA <verb> <xid><suffix>", e.g. xa_statement("COMMIT", xid, " ONE PHASE").
std::string xa_statement(std::string_view verb, const Xid& xid, std::string_view suffix = {});

/// The xid of one XA RECOVER row: formatID, gtrid_length, bqual_length and data (gtrid then
/// bqual). Nothing when the lengths do not fit the data.
std::optional<Xid> xid_from_recover_row(std::int64_t format_id, std::int64_t gtrid_length,
                                        std::int64_t bqual_length, std::string_view data);

/// A fresh random xid: gtrid "uvmysql-" and 32 random hex digits, no bqual, format 1.
Xid random_xid();

}  // namespace uvmysql::detail

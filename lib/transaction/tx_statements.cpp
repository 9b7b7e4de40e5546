// SPDX-License-Identifier: MIT
// The SQL text of transactions: START TRANSACTION with options, savepoints, XA statements, xids.
#include "transaction/tx_statements.hpp"

#include <algorithm>
#include <random>

namespace uvmysql::detail {

namespace {

// MariaDB's limits (XIDDATASIZE 128 = 64 + 64; the grammar takes a format id up to 2^31 - 1).
constexpr std::size_t max_xid_part = 64;
constexpr std::int64_t max_format_id = 2147483647;

std::string_view isolation_sql(IsolationLevel level) {
    switch (level) {
        case IsolationLevel::read_uncommitted: return "READ UNCOMMITTED";
        case IsolationLevel::read_committed: return "READ COMMITTED";
        case IsolationLevel::repeatable_read: return "REPEATABLE READ";
        case IsolationLevel::serializable: return "SERIALIZABLE";
    }
    return "REPEATABLE READ";
}

void append_hex(std::string& out, std::string_view bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    out += "X'";
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    out += '\'';
}

Status bad_xid(std::string what) {
    return Status::client(0, "invalid xid: " + std::move(what), ClientKind::programming);
}

}  // namespace

std::optional<std::string> set_transaction_statement(const TransactionOptions& options) {
    if (!options.isolation) return std::nullopt;
    return "SET TRANSACTION ISOLATION LEVEL " + std::string(isolation_sql(*options.isolation));
}

std::string start_transaction_statement(const TransactionOptions& options) {
    std::string sql = "START TRANSACTION";
    const char* sep = " ";
    if (options.consistent_snapshot) {
        sql += sep;
        sql += "WITH CONSISTENT SNAPSHOT";
        sep = ", ";
    }
    if (options.read_only) {
        sql += sep;
        sql += "READ ONLY";
    }
    return sql;
}

std::string savepoint_name(std::uint64_t n) { return "uvmysql_sp_" + std::to_string(n); }

Status check_xid(const Xid& xid) {
    if (xid.gtrid.empty()) return bad_xid("gtrid is empty");
    if (xid.gtrid.size() > max_xid_part) {
        return bad_xid("gtrid has " + std::to_string(xid.gtrid.size()) + " bytes (at most 64)");
    }
    if (xid.bqual.size() > max_xid_part) {
        return bad_xid("bqual has " + std::to_string(xid.bqual.size()) + " bytes (at most 64)");
    }
    if (xid.format_id < 0 || xid.format_id > max_format_id) {
        return bad_xid("format id " + std::to_string(xid.format_id) + " is outside 0..2147483647");
    }
    return {};
}

std::string xid_sql(const Xid& xid) {
    std::string out;
    append_hex(out, xid.gtrid);
    out += ',';
    append_hex(out, xid.bqual);
    out += ',';
    out += std::to_string(xid.format_id);
    return out;
}

std::string xid_text(const Xid& xid) {
    std::string out;
    for (std::string_view part : {std::string_view(xid.gtrid), std::string_view(xid.bqual)}) {
        const bool plain = std::all_of(part.begin(), part.end(),
                                       [](unsigned char c) { return c >= 0x20 && c < 0x7f && c != '\'' && c != '\\'; });
        if (plain) {
            out += '\'';
            out += part;
            out += '\'';
        } else {
            append_hex(out, part);
        }
        out += ',';
    }
    out += std::to_string(xid.format_id);
    return out;
}

std::string xa_statement(std::string_view verb, const Xid& xid, std::string_view suffix) {
    std::string sql = "XA ";
    sql += verb;
    sql += ' ';
    sql += xid_sql(xid);
    sql += suffix;
    return sql;
}

std::optional<Xid> xid_from_recover_row(std::int64_t format_id, std::int64_t gtrid_length,
                                        std::int64_t bqual_length, std::string_view data) {
    if (gtrid_length < 0 || bqual_length < 0 || gtrid_length > static_cast<std::int64_t>(data.size()) ||
        bqual_length > static_cast<std::int64_t>(data.size()) - gtrid_length) {
        return std::nullopt;
    }
    const auto g = static_cast<std::size_t>(gtrid_length);
    const auto b = static_cast<std::size_t>(bqual_length);
    return Xid(std::string(data.substr(0, g)), std::string(data.substr(g, b)), format_id);
}

Xid random_xid() {
    // Seeded once per thread from the OS; xids only need to be unique, not secret.
    thread_local std::mt19937_64 engine{(static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                        std::random_device{}()};
    static constexpr char digits[] = "0123456789abcdef";
    std::string gtrid = "uvmysql-";
    for (int i = 0; i < 2; ++i) {
        std::uint64_t bits = engine();
        for (int d = 0; d < 16; ++d, bits >>= 4) gtrid += digits[bits & 0x0f];
    }
    return Xid(std::move(gtrid));
}

}  // namespace uvmysql::detail

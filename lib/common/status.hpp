// SPDX-License-Identifier: MIT
// Status: the error value that protocol/, auth/, transport/ and connection/ return instead of throwing.
#pragma once

#include <string>
#include <utility>

namespace uvmysql::detail {

/// Client error numbers (CR_*), as libmysqlclient and PyMySQL number them.
namespace cr {
inline constexpr int unknown_error = 2000;
inline constexpr int connection_error = 2002;        // unix socket connect failed
inline constexpr int conn_host_error = 2003;         // TCP connect failed
inline constexpr int unknown_host = 2005;
inline constexpr int server_gone_error = 2006;
inline constexpr int version_error = 2007;
inline constexpr int out_of_memory = 2008;
inline constexpr int server_handshake_err = 2012;
inline constexpr int server_lost = 2013;
inline constexpr int commands_out_of_sync = 2014;
inline constexpr int net_packet_too_large = 2020;
inline constexpr int ssl_connection_error = 2026;
inline constexpr int malformed_packet = 2027;
inline constexpr int auth_plugin_cannot_load = 2059;
inline constexpr int auth_plugin_err = 2061;
}  // namespace cr

/// Server error numbers (ER_*) the client itself reports or treats specially.
namespace er {
inline constexpr int query_interrupted = 1317;   // KILL QUERY arrived
inline constexpr int statement_timeout = 1969;   // MariaDB: max_statement_time exceeded
inline constexpr int query_timeout = 3024;       // MySQL: MAX_EXECUTION_TIME exceeded
}  // namespace er

/// Which PEP 249 class a client-side failure belongs to when it is not a server errno.
enum class ClientKind {
    operational,   // network, protocol, timeouts
    interface,     // misuse of the API (closed connection/cursor)
    programming,   // bad SQL arguments from the caller
    not_supported, // a feature the server or this client does not offer
    data,          // a value that cannot be represented
    internal,
    outcome_unknown,   // operational: the link broke after a statement was sent (OutcomeUnknownError)
    timeout,           // operational: a deadline the caller set passed (TimeoutError, SQLSTATE HYT00)
};

/// An operation's outcome. Default-constructed means success; only the factories below make
/// an error, and an error is never ok() whatever its errno or message (a server may send errno 0
/// and no text: that must still fail, never read as success).
struct Status {
    int errno_code = 0;      // ER_* from the server, or CR_* for client errors
    std::string sqlstate;    // five characters; "HY000" when the server gave none
    std::string message;
    bool from_server = false;
    ClientKind client_kind = ClientKind::operational;

    [[nodiscard]] bool ok() const noexcept { return !failed_; }

    static Status server(int code, std::string state, std::string msg) {
        Status s = error(code, std::move(msg));
        if (!state.empty()) s.sqlstate = std::move(state);
        s.from_server = true;
        return s;
    }
    static Status client(int code, std::string msg, ClientKind kind = ClientKind::operational) {
        Status s = error(code, std::move(msg));
        s.client_kind = kind;
        return s;
    }
    /// A malformed or unexpected packet from the server: the stream cannot be trusted any more.
    static Status malformed(std::string what) {
        return client(cr::malformed_packet, "Malformed packet: " + std::move(what));
    }

private:
    static Status error(int code, std::string msg) {
        Status s;
        s.failed_ = true;
        s.errno_code = code;
        s.sqlstate = "HY000";
        s.message = std::move(msg);
        return s;
    }

    bool failed_ = false;
};

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// ConnectOptions: every parameter of aiomysql.connect(), the C++ way.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "uvmysql/converters.hpp"
#include "uvmysql/export.hpp"

namespace uvmysql {

class Observer;

/// Which cursor type Connection::cursor() makes by default (aiomysql's `cursorclass`).
enum class CursorClass { cursor, dict_cursor, ss_cursor, ss_dict_cursor };

/// TLS settings (aiomysql's `ssl`, an SSLContext there). Giving any SslOptions makes TLS required:
/// the connection fails rather than falling back to plain text.
struct UVMYSQL_API SslOptions {
    std::string ca;                 ///< PEM file of trusted CAs; empty = the system bundle
    std::string cert;               ///< client certificate (PEM), for REQUIRE X509 users
    std::string key;                ///< its private key (PEM)
    bool verify_cert = true;        ///< verify the server's chain (off = encrypt only)
    bool verify_identity = true;    ///< check the host name / IP against the certificate
    std::string server_name;        ///< name to verify and send as SNI; empty = `host`
};

/// Client capability flags a caller may add through ConnectOptions::client_flag
/// (pymysql.constants.CLIENT). uvmysql sets the protocol ones itself.
namespace client_flag {
/// UPDATE reports the rows matched, not only those changed, as its affected rows.
inline constexpr std::uint32_t found_rows = 1u << 1;
/// Allows spaces after function names (which makes those names reserved words).
inline constexpr std::uint32_t ignore_space = 1u << 8;
/// The server closes the idle session after interactive_timeout instead of wait_timeout.
inline constexpr std::uint32_t interactive = 1u << 10;
/// Allows several statements separated by ';' in one query (each gives a result set: see
/// Connection::query_results() and Cursor::nextset()).
inline constexpr std::uint32_t multi_statements = 1u << 16;
/// Multiple result sets (CALL, multi-statements); uvmysql always sets it.
inline constexpr std::uint32_t multi_results = 1u << 17;
}  // namespace client_flag

/// How connect() orders ConnectOptions::hosts. Whatever the policy, hosts whose last connect
/// failed (backing off, see ConnectOptions::host_backoff) come after the others.
enum class HostPolicy {
    sequential,          ///< in the given order: the first host that answers (failover)
    round_robin,         ///< each connect() of the process starts one host further along
    random,              ///< a random order for each connect()
    least_connections,   ///< the host with the fewest sessions this process has open to it first
};

/// Everything connect() needs. Field names follow aiomysql.connect(); defaults are its defaults
/// except where noted. As in PyMySQL, options read from `read_default_file` fill only the fields
/// left empty here (host, user, password, db, unix_socket, port 0, charset), then the defaults apply.
struct UVMYSQL_API ConnectOptions {
    std::string host;                         ///< empty: "localhost" (TCP unless unix_socket is set)
    std::string user;                         ///< empty: the login name of the current process user
    /// The password; empty: none (or the option file's `password`).
    std::string password;
    std::optional<std::string> db;            ///< initial database; none by default
    int port = 0;                             ///< 0: 3306
    std::string unix_socket;                  ///< when set, connect through this socket, not TCP
    /// Several servers to choose from: "host", "host:port", "[v6addr]:port" (no port: `port`).
    /// connect() and ping(true) try them in host_policy's order, one after the other, each
    /// with the whole connect_timeout, and fail only when every host failed, with an
    /// OperationalError that names each host's error. When set, `host` is not used (host() and
    /// port() of the connection tell the one chosen); it cannot go with unix_socket.
    std::vector<std::string> hosts;
    /// The order in which connect() tries `hosts` (see HostPolicy).
    HostPolicy host_policy = HostPolicy::sequential;
    /// A host whose connect failed is tried after the others for this long, doubled for each
    /// further failure in a row (at most 64 times); a success forgets its failures.
    std::chrono::milliseconds host_backoff{1000};
    /// Galera awareness for `hosts` (two or more): after login, a host that reports Galera state
    /// and is not Synced (wsrep_ready ON and wsrep_local_state 4: not a donor, not desynced,
    /// in the primary component) is passed over like a host that failed. One statement more
    /// per connect; other servers are used as they are.
    bool galera_check = true;
    std::string charset;                      ///< empty: utf8mb4 (escape-safe character sets only)
    std::optional<std::string> sql_mode;      ///< SET sql_mode after connecting
    std::string read_default_file;            ///< my.cnf to read [client] (and read_default_group) from
    std::string read_default_group;           ///< extra group of that file
    Converters conv;                          ///< per-type decoder overrides (none: built-in rules)
    bool use_unicode = true;                  ///< false: text columns come back as bytes
    std::uint32_t client_flag = 0;            ///< extra client capability flags (client_flag::*)
    /// Kept for aiomysql compatibility: it does not change the C++ cursor type, which is chosen
    /// with `Connection::cursor<C>()`.
    CursorClass cursorclass = CursorClass::cursor;
    std::optional<std::string> init_command;  ///< statement run right after connecting
    std::chrono::milliseconds connect_timeout{10'000};  ///< TCP connect + handshake + auth
    /// PyMySQL's read_timeout: while a reply is expected, no byte from the server for this
    /// long closes the connection (OperationalError 2013; a pool drops it). 0: no limit. Time
    /// an SSCursor's reader spends not fetching (reading is paused) does not count.
    std::chrono::milliseconds read_timeout{0};
    /// PyMySQL's write_timeout: bytes the socket has not taken for this long close the
    /// connection (OperationalError 2013). 0: no limit.
    std::chrono::milliseconds write_timeout{0};
    std::optional<bool> autocommit = false;   ///< nullopt: keep the server default
    bool echo = false;                        ///< log every statement through the "uvmysql" logger
    std::optional<SslOptions> ssl;            ///< TLS; required when set
    std::string auth_plugin;                  ///< force this plugin for the first auth response
    std::string program_name;                 ///< sent as the `program_name` connection attribute
    std::string server_public_key;            ///< PEM RSA key for sha256/caching_sha2 without TLS
    bool local_infile = false;                ///< allow LOAD DATA LOCAL INFILE (only named files)

    /// Use the compressed protocol (zlib) when the server offers it; a server that does not
    /// gives an uncompressed session, as Connector/C's MYSQL_OPT_COMPRESS does.
    bool compress = false;
    /// Compression algorithms to offer, comma-separated, preferred first: "zlib", "zstd" (MySQL
    /// 8.0.18+), "uncompressed" (as MySQL's --compression-algorithms names them). Empty: "zlib,
    /// uncompressed" when `compress` is set, else no compression. A list without "uncompressed"
    /// makes a server that offers none of the others a connection error (OperationalError 2012).
    std::string compression_algorithms;
    /// zstd level, 1 (fastest) to 22, sent in the handshake and used for what the client sends.
    int zstd_compression_level = 3;

    // uvmysql additions
    /// Extra connection attributes (performance_schema.session_connect_attrs).
    std::vector<std::pair<std::string, std::string>> connect_attrs;
    /// Allow mysql_clear_password / cleartext sha2 over an unencrypted TCP link (off: refused).
    bool allow_cleartext_password = false;
    /// After a statement that left warnings, a buffered cursor (and so Connection::query(sql,
    /// args), execute() and the pool's) sends SHOW WARNINGS and logs them, as aiomysql does;
    /// Cursor::warnings() keeps them. false: no extra round trip and no log line;
    /// ResultSet::warning_count still tells how many there were.
    bool show_warnings = true;
    /// Receives an event for each statement issued on the connection's user's behalf, for each
    /// session opened or closed (docs/observability.md); null (the default): none, at no cost.
    /// Shared: one observer may serve every connection of a loop.
    std::shared_ptr<Observer> observer;
    /// The time limit of each command (0: none), counted from the call; a cursor can set its
    /// own (Cursor::set_timeout()). Past it, a command still queued is removed unsent; a
    /// running one is interrupted with KILL QUERY sent on a short-lived second connection,
    /// what is left of its reply is read, and it fails with QueryTimeoutError (1969, SQLSTATE
    /// 70100): the connection stays usable and runs the next command. Commands queued behind
    /// it wait until the KILL has been handled, so it never hits them.
    std::chrono::milliseconds query_timeout{0};
    /// Pipelining: a statement issued while earlier ones still wait for their replies is
    /// written at once instead of after them (replies are matched in order; up to 64 in
    /// flight), so N statements cost about one round trip instead of N. Applies to query(),
    /// query_results() and cursor statements without a time limit or CancelSignal; session
    /// and transaction control (begin/commit/rollback, autocommit, select_db...) is never
    /// pipelined and waits for what is before it, so a transaction never runs past a failed
    /// BEGIN. A failing statement fails only its own future; the ones written after it still
    /// run. Off with local_infile and on compressed sessions (compress).
    bool pipeline = false;
    /// Let the server enforce query_timeout (and a cursor's own limit), with no second
    /// connection: on MariaDB each statement with a limit is sent as
    /// `SET STATEMENT max_statement_time=<s> FOR <statement>` (QueryTimeoutError 1969); on
    /// MySQL a SELECT gets a MAX_EXECUTION_TIME(ms) optimizer hint after its SELECT keyword
    /// (QueryTimeoutError 3024), and other statements, which MySQL cannot limit, keep the
    /// client's KILL QUERY at the limit. Where the server limits it, KILL QUERY stays as a
    /// backstop at the limit plus kill_grace. Statements that MariaDB does not accept after
    /// SET STATEMENT fail with its syntax error.
    bool query_timeout_on_server = false;
    /// After KILL QUERY, how long the interrupted command may take to end (or the KILL to be
    /// sent) before the connection is closed instead (OperationalError 2013).
    std::chrono::milliseconds kill_grace{2'000};
    /// Seconds of idle before TCP keepalive probes start (uv_tcp_keepalive), so that a peer
    /// that vanished behind a firewall is noticed; 0 turns keepalive off.
    std::chrono::seconds tcp_keepalive{60};
    /// Largest message we accept from or send to the server. A command larger than this (a
    /// statement's text + 1 byte) fails with OperationalError 2020 before anything is sent.
    std::uint32_t max_allowed_packet = 64u * 1024 * 1024;
    /// How many prepared statements Connection::prepare() (and cursors executing with
    /// `prepare`) keep per connection for reuse by their text, least recently used evicted
    /// first (then closed on the server once no Statement handle holds them); 0 disables the
    /// cache. Reset and reconnect empty it. Default 256, as node's mariadb connector.
    std::size_t prepared_statement_cache_size = 256;

    /// Options from a connection URL, as node's connectors and SQLAlchemy take them:
    /// `mysql://user:password@host:port/database?option=value&...` (or `mariadb://`; parts
    /// percent-encoded). Several hosts separated by commas fill `hosts`; the options are
    /// ConnectOptions' names (docs/connection.md, "Connection URLs"). Throws ProgrammingError
    /// for anything malformed and for an unknown option.
    [[nodiscard]] static ConnectOptions from_url(std::string_view url);
};

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Connection (the public handle) and connect().
#include "uvmysql/connection.hpp"

#include <unistd.h>

#include <cstdlib>

#include "common/access.hpp"
#include "common/status_error.hpp"
#include "connection/buffered_query_op.hpp"
#include "connection/connection_impl.hpp"
#include "connection/entry_points.hpp"
#include "connection/host_list.hpp"
#include "connection/option_file.hpp"
#include "connection/quit_op.hpp"
#include "connection/server_time_limit.hpp"
#include "connection/session_setup.hpp"
#include "connection/simple_command_op.hpp"
#include "connection/stream_query_op.hpp"
#include "values/charset_table.hpp"
#include "values/escape.hpp"

namespace uvmysql {

using detail::ConnectionImpl;
using detail::Status;
using detail::to_exception;

namespace {

template <class T>
Future<T> failed(const Status& st) {
    return make_exception_future<T>(to_exception(st));
}

Status not_connected() { return detail::connection_gone("Not connected"); }

std::string login_name() {
    if (const char* u = std::getenv("USER"); u && *u) return u;
    if (const char* u = getlogin(); u) return u;
    return {};
}

/// Applies the option file, then the defaults PyMySQL applies after it.
Status resolve_options(ConnectOptions& opt) {
    if (auto st = detail::apply_option_file(opt); !st.ok()) return st;
    if (opt.host.empty()) opt.host = "localhost";
    if (opt.port == 0) opt.port = 3306;
    if (opt.charset.empty()) opt.charset = "utf8mb4";
    if (opt.user.empty()) opt.user = login_name();
    if (!opt.hosts.empty()) {
        if (!opt.unix_socket.empty()) {
            return Status::client(detail::cr::unknown_error, "ConnectOptions::hosts and unix_socket cannot be used together",
                                  detail::ClientKind::programming);
        }
        std::vector<detail::HostAddress> hosts;
        if (auto st = detail::parse_host_list(opt.hosts, opt.port, hosts); !st.ok()) return st;
    }
    if (opt.port < 0 || opt.port > 65535) {
        return Status::client(detail::cr::unknown_error, "invalid port " + std::to_string(opt.port),
                              detail::ClientKind::programming);
    }
    if (detail::collation_for_charset(opt.charset) == 0) {
        return Status::client(detail::cr::unknown_error,
                              "unsupported charset '" + opt.charset +
                                  "': uvmysql accepts utf8mb4, utf8mb3/utf8, latin1, ascii and binary",
                              detail::ClientKind::programming);
    }
    return {};
}

/// The time limit the op gets under query_timeout_on_server: `sql` is rewritten so that the
/// server stops it itself (see limit_on_server), and the client's KILL QUERY is only a backstop
/// after kill_grace. A statement the server cannot limit (MySQL, not a SELECT) keeps the limit.
std::optional<std::chrono::milliseconds> apply_time_limit(const ConnectionImpl& impl, std::string& sql,
                                                          std::optional<std::chrono::milliseconds> timeout) {
    const ConnectOptions& opt = impl.options();
    const auto limit = timeout.value_or(opt.query_timeout);
    if (limit.count() <= 0) return timeout;
    if (!detail::limit_on_server(sql, limit, impl.session().is_mariadb)) return timeout;
    return limit + opt.kill_grace;
}

/// Gives `op` the limits of `limits`; `sql` is the statement it will send, rewritten first when
/// `server_limited` and query_timeout_on_server ask for it (see apply_time_limit).
template <class MakeOp>
auto make_limited_op(const ConnectionImpl& impl, std::string sql, const detail::CommandLimits& limits,
                     bool server_limited, MakeOp make_op) {
    auto timeout = limits.timeout;
    if (server_limited && impl.options().query_timeout_on_server) timeout = apply_time_limit(impl, sql, timeout);
    auto op = make_op(std::move(sql));
    detail::apply_limits(*op, limits);
    op->timeout = timeout;   // with the server-side limit applied
    return op;
}

/// Who issues a statement, which decides how it may be sent.
enum class Origin {
    control,   // session and transaction control: sent as it is, never pipelined (what follows waits)
    user,      // a user's statement: pipelined with ConnectOptions::pipeline, limited on the server
               // with query_timeout_on_server
    batch,     // Connection::pipeline(): always pipelined
};

Future<QueryResults> run_query_results(ConnectionImpl* impl, std::string sql, const detail::CommandLimits& limits = {},
                                       Origin origin = Origin::control,
                                       std::shared_ptr<detail::RowSink> sink = nullptr) {
    if (!impl) return failed<QueryResults>(not_connected());
    const ConnectOptions& opt = impl->options();
    auto op = make_limited_op(*impl, std::move(sql), limits, origin != Origin::control, [&sink](std::string s) {
        auto made = std::make_unique<detail::BufferedQueryOp>(std::move(s));
        if (sink) made->send_rows_to(std::move(sink));
        return made;
    });
    // LOCAL INFILE makes the server read file data after a query: nothing may be written behind it.
    op->pipelinable = !opt.local_infile && (origin == Origin::batch || (origin == Origin::user && opt.pipeline));
    auto fut = op->get_future();
    if (origin != Origin::control) detail::observe_statement(impl->session(), *op);
    impl->enqueue(std::move(op));
    return fut;
}

Future<std::vector<ResultSet>> run_query(ConnectionImpl* impl, std::string sql,
                                         Origin origin = Origin::control) {
    return run_query_results(impl, std::move(sql), {}, origin).then([](QueryResults r) {
        if (r.later_error) std::rethrow_exception(r.later_error);
        return std::move(r.sets);
    });
}

Future<void> run_statement(ConnectionImpl* impl, std::string sql) {
    // One continuation, not run_query()'s plus a second one dropping the sets.
    return run_query_results(impl, std::move(sql)).then([](QueryResults r) {
        if (r.later_error) std::rethrow_exception(r.later_error);
    });
}

Future<void> run_command(ConnectionImpl* impl, detail::SimpleCommandOp::Kind kind, std::string arg = {}) {
    if (!impl) return failed<void>(not_connected());
    auto op = std::make_unique<detail::SimpleCommandOp>(kind, std::move(arg));
    auto fut = op->get_future();
    impl->enqueue(std::move(op));
    return fut;
}

const std::string empty_string;
const ConnectOptions default_options;

}  // namespace

Future<Connection> connect(uv_loop_s* loop, ConnectOptions options) {
    if (auto st = resolve_options(options); !st.ok()) return failed<Connection>(st);
    auto impl = std::make_shared<ConnectionImpl>(loop, std::move(options));
    return impl->open().then([impl]() { return detail::Access::make<Connection>(impl); });
}

Future<std::vector<ResultSet>> Connection::query(std::string sql) {
    return run_query(impl_.get(), std::move(sql), Origin::user);
}

std::vector<Future<std::vector<ResultSet>>> Connection::pipeline(std::vector<std::string> statements) {
    std::vector<Future<std::vector<ResultSet>>> results;
    results.reserve(statements.size());
    for (auto& sql : statements) results.push_back(run_query(impl_.get(), std::move(sql), Origin::batch));
    return results;
}

Future<QueryResults> Connection::query_results(std::string sql) {
    return run_query_results(impl_.get(), std::move(sql), {}, Origin::user);
}

namespace detail {
std::string take_sql_buffer(const Connection& conn) {
    std::string buffer;
    if (const auto& impl = Access::impl(conn)) buffer = std::move(impl->session().spare_sql);
    buffer.clear();
    return buffer;
}

Future<QueryResults> query_results(const Connection& conn, std::string sql, const CommandLimits& limits,
                                   std::shared_ptr<RowSink> sink) {
    return run_query_results(Access::impl(conn).get(), std::move(sql), limits, Origin::user, std::move(sink));
}

Future<std::shared_ptr<RowStream>> start_stream(const Connection& conn, std::string sql, const CommandLimits& limits) {
    using Result = std::shared_ptr<RowStream>;
    const auto& impl = Access::impl(conn);
    if (!impl) return failed<Result>(not_connected());
    auto stream = std::make_shared<RowStream>(impl);
    impl->last_stream = stream;
    auto op = make_limited_op(*impl, std::move(sql), limits, true, [&stream](std::string s) {
        return std::make_unique<StreamQueryOp>(std::move(s), stream);
    });
    observe_statement(impl->session(), *op);
    impl->enqueue(std::move(op));
    return stream->first_set().then([stream]() { return stream; });
}

Future<PreparedInfo> prepare_statement(ConnectionImpl& impl, std::string sql) {
    auto op = std::make_unique<StmtPrepareOp>(std::move(sql));
    auto fut = op->get_future();
    impl.enqueue(std::move(op));
    return fut;
}

namespace {
/// The op of one execute, limited, observed and ready to queue. A prepared statement's text is
/// not rewritten for query_timeout_on_server: only the client-side limit applies.
std::unique_ptr<BufferedQueryOp> statement_op(ConnectionImpl& impl, StatementRequest&& request,
                                              const CommandLimits& limits) {
    auto op = std::make_unique<BufferedQueryOp>(std::move(request));
    apply_limits(*op, limits);
    op->pipelinable = impl.options().pipeline;
    observe_statement(impl.session(), *op);
    return op;
}
}  // namespace

Future<QueryResults> execute_statement(ConnectionImpl& impl, StatementRequest request, const CommandLimits& limits) {
    auto op = statement_op(impl, std::move(request), limits);
    auto fut = op->get_future();
    impl.enqueue(std::move(op));
    return fut;
}

Future<ResultSet> execute_statement_first_set(ConnectionImpl& impl, StatementRequest request,
                                              const CommandLimits& limits) {
    auto op = statement_op(impl, std::move(request), limits);
    auto fut = op->get_first_set_future();
    impl.enqueue(std::move(op));
    return fut;
}

Future<std::shared_ptr<RowStream>> start_statement_stream(ConnectionImpl& impl, StatementRequest request,
                                                          const CommandLimits& limits) {
    using Result = std::shared_ptr<RowStream>;
    auto stream = std::make_shared<RowStream>(impl.shared_from_this());
    impl.last_stream = stream;
    auto op = make_limited_op(impl, std::move(request.sql), limits, false, [&](std::string s) {
        request.sql = std::move(s);
        return std::make_unique<StreamQueryOp>(std::move(request), stream);
    });
    observe_statement(impl.session(), *op);
    impl.enqueue(std::move(op));
    return stream->first_set().then([stream]() -> Result { return stream; });
}

Future<void> statement_command(ConnectionImpl& impl, std::vector<std::uint8_t> payload, StmtCommandOp::Reply reply) {
    auto op = std::make_unique<StmtCommandOp>(std::move(payload), reply);
    auto fut = op->get_future();
    impl.enqueue(std::move(op));
    return fut;
}
}  // namespace detail

void Connection::close() {
    if (impl_) impl_->close_now(detail::connection_gone("Connection closed"));
}

Future<void> Connection::ensure_closed() {
    if (!impl_ || impl_->state() == ConnectionImpl::State::closed) return make_ready_future();
    auto op = std::make_unique<detail::QuitOp>();
    auto fut = op->get_future();
    impl_->enqueue(std::move(op));
    return fut;
}

Future<void> Connection::autocommit(bool value) {
    return run_statement(impl_.get(), value ? "SET AUTOCOMMIT = 1" : "SET AUTOCOMMIT = 0");
}

bool Connection::get_autocommit() const { return server_status() & server_status::autocommit; }
Future<void> Connection::begin() { return run_statement(impl_.get(), "BEGIN"); }
Future<void> Connection::commit() { return run_statement(impl_.get(), "COMMIT"); }
Future<void> Connection::rollback() { return run_statement(impl_.get(), "ROLLBACK"); }

Future<void> Connection::select_db(std::string db) {
    return run_command(impl_.get(), detail::SimpleCommandOp::Kind::init_db, std::move(db));
}

Future<void> Connection::reset_connection() {
    if (!impl_) return failed<void>(not_connected());
    auto impl = impl_;
    const ConnectOptions& opt = impl->options();
    // COM_RESET_CONNECTION puts the session variables back to the server's defaults (MariaDB
    // forgets the character set of the login too): set up again what connect() set up. All
    // steps are queued at once, so no other command runs in between.
    std::vector<Future<void>> steps;
    ++impl->statement_epoch;   // the server forgets the session's prepared statements
    steps.push_back(run_command(impl.get(), detail::SimpleCommandOp::Kind::reset_connection));
    steps.push_back(run_statement(impl.get(), "SET NAMES " + opt.charset));
    for (std::string& sql : detail::session_setup_statements(opt)) steps.push_back(run_statement(impl.get(), std::move(sql)));
    if (opt.autocommit) steps.push_back(run_statement(impl.get(), *opt.autocommit ? "SET AUTOCOMMIT = 1" : "SET AUTOCOMMIT = 0"));
    return when_all(std::move(steps)).then([impl]() { impl->session().charset = impl->options().charset; });
}

Future<void> Connection::ping(bool reconnect) {
    if (!impl_) return failed<void>(not_connected());
    auto impl = impl_;
    auto ping_once = [impl]() { return run_command(impl.get(), detail::SimpleCommandOp::Kind::ping); };
    if (impl->state() == ConnectionImpl::State::closed) {
        if (!reconnect) return ping_once();   // fails with the reason the session closed
        return impl->open().then(ping_once);
    }
    if (!reconnect) return ping_once();
    // A link that died while idle is only noticed now: reconnect once, as PyMySQL does.
    return ping_once().on_error([impl, ping_once](std::exception_ptr) {
        impl->close_now(Status::client(detail::cr::server_gone_error, "MySQL server has gone away"));
        return impl->open().then(ping_once);
    });
}

Future<std::vector<Row>> Connection::show_warnings() {
    return run_query(impl_.get(), "SHOW WARNINGS").then([](std::vector<ResultSet> sets) {
        return sets.empty() ? std::vector<Row>{} : std::move(sets.front().rows);
    });
}

Future<void> Connection::set_charset(std::string charset) {
    if (!impl_) return failed<void>(not_connected());
    if (detail::collation_for_charset(charset) == 0) {
        return failed<void>(Status::client(detail::cr::unknown_error, "unsupported charset '" + charset + "'",
                                           detail::ClientKind::programming));
    }
    auto impl = impl_;
    return run_statement(impl.get(), "SET NAMES " + charset).then([impl, charset]() { impl->session().charset = charset; });
}

std::string Connection::literal(const Value& v) const {
    std::string out;
    detail::EscapeOptions opts{no_backslash_escapes()};
    if (auto st = detail::literal(v, opts, out); !st.ok()) std::rethrow_exception(to_exception(st));
    return out;
}

std::string Connection::escape_string(std::string_view s) const {
    return detail::escape_string(s, no_backslash_escapes());
}

bool Connection::closed() const { return !impl_ || impl_->state() == ConnectionImpl::State::closed; }
const std::string& Connection::host() const { return impl_ ? impl_->options().host : empty_string; }
int Connection::port() const { return impl_ ? impl_->options().port : 0; }
const std::string& Connection::unix_socket() const { return impl_ ? impl_->options().unix_socket : empty_string; }
std::optional<std::string> Connection::db() const { return impl_ ? impl_->session().db : std::nullopt; }
const std::string& Connection::user() const { return impl_ ? impl_->options().user : empty_string; }
bool Connection::echo() const { return impl_ && impl_->options().echo; }
const std::string& Connection::charset() const { return impl_ ? impl_->session().charset : empty_string; }

std::string Connection::encoding() const {
    const std::string& cs = charset();
    const detail::CharsetInfo* info = detail::find_charset(cs);
    return info != nullptr ? std::string(info->encoding) : cs;
}

const std::string& Connection::server_version() const { return impl_ ? impl_->session().server_version : empty_string; }
bool Connection::is_mariadb() const { return impl_ && impl_->session().is_mariadb; }
std::chrono::milliseconds Connection::query_timeout() const { return options().query_timeout; }
void Connection::set_query_timeout(std::chrono::milliseconds limit) {
    if (impl_) impl_->set_query_timeout(limit);
}
std::uint32_t Connection::thread_id() const { return impl_ ? impl_->session().thread_id : 0; }
std::uint64_t Connection::insert_id() const { return impl_ ? impl_->session().insert_id : 0; }
std::uint64_t Connection::affected_rows() const { return impl_ ? impl_->session().affected_rows : 0; }
std::uint16_t Connection::server_status() const { return impl_ ? impl_->session().status : 0; }
bool Connection::in_transaction() const { return server_status() & server_status::in_trans; }
bool Connection::no_backslash_escapes() const { return server_status() & server_status::no_backslash_escapes; }
bool Connection::has_unread_result() const { return impl_ && impl_->has_unread_result(); }

Future<void> Connection::discard_unread_result() {
    if (!has_unread_result()) return make_ready_future();
    auto stream = impl_->last_stream.lock();   // alive: the op on the wire holds it
    if (!stream) return make_ready_future();
    return stream->discard();
}
std::size_t Connection::pending_commands() const { return impl_ ? impl_->pending_commands() : 0; }
bool Connection::is_tls() const { return impl_ && impl_->is_tls(); }
const ConnectOptions& Connection::options() const { return impl_ ? impl_->options() : default_options; }
uv_loop_s* Connection::loop() const { return impl_ ? impl_->loop() : nullptr; }

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Statement (the public handle), Connection::prepare() and the statement's lifetime on the server.
#include "uvmysql/statement.hpp"

#include <algorithm>

#include "common/access.hpp"
#include "common/status_error.hpp"
#include "connection/connection_impl.hpp"
#include "connection/entry_points.hpp"
#include "connection/statement_state.hpp"
#include "protocol/stmt_commands.hpp"
#include "protocol/stmt_execute.hpp"

namespace uvmysql {

using detail::ConnectionImpl;
using detail::Status;
using detail::StatementState;

namespace {

/// ER_UNKNOWN_STMT_HANDLER, what the server answers for a statement id it does not know.
constexpr int er_unknown_stmt_handler = 1243;
/// ER_WRONG_ARGUMENTS, what the server answers for a wrong number of parameters.
constexpr int er_wrong_arguments = 1210;
/// COM_STMT_SEND_LONG_DATA chunks: well below any max_allowed_packet, large enough to be cheap.
constexpr std::size_t long_data_chunk = 4u * 1024 * 1024;

template <class T>
Future<T> failed(const Status& st) {
    return make_exception_future<T>(detail::to_exception(st));
}

Status empty_handle() { return detail::connection_gone("Statement is not prepared (an empty handle)"); }

/// Why `st`, a statement of `impl` (null: gone), cannot be used now.
Status usable_with(const StatementState& st, const ConnectionImpl* impl) {
    if (!impl) return detail::connection_gone("Connection closed");
    if (impl->state() == ConnectionImpl::State::closed) return impl->closed_error();
    if (st.closed) {
        return Status::client(er_unknown_stmt_handler, "Unknown prepared statement handler: the statement was closed",
                              detail::ClientKind::programming);
    }
    if (st.epoch != impl->statement_epoch) {
        return Status::client(er_unknown_stmt_handler,
                              "Unknown prepared statement handler: the connection was reset or reconnected since "
                              "the statement was prepared",
                              detail::ClientKind::programming);
    }
    return {};
}

/// The session of a usable statement, or why it is not usable.
std::shared_ptr<ConnectionImpl> usable_session(const std::shared_ptr<StatementState>& st, Status& why) {
    if (!st) {
        why = empty_handle();
        return nullptr;
    }
    auto impl = st->conn.lock();
    why = usable_with(*st, impl.get());
    return why.ok() ? std::move(impl) : nullptr;
}

/// The session and the COM_STMT_EXECUTE (no cursor) of executing `state` with `params`, or
/// why it cannot be done.
Status execute_request(const std::shared_ptr<StatementState>& state, std::span<const Value> params,
                       std::shared_ptr<ConnectionImpl>& impl, detail::StatementRequest& request) {
    Status why;
    impl = usable_session(state, why);
    if (!impl) return why;
    return detail::build_execute(state, *impl, params, detail::cursor_type::no_cursor, request);
}

}  // namespace

namespace detail {

Status statement_usable(const StatementState& st) { return usable_with(st, st.conn.lock().get()); }

Status build_execute(const std::shared_ptr<StatementState>& state, ConnectionImpl& impl,
                     std::span<const Value> params, std::uint8_t cursor_flags, StatementRequest& out) {
    StatementState& st = *state;
    if (params.size() != st.info.param_count) {
        return Status::client(er_wrong_arguments,
                              "Incorrect arguments to mysqld_stmt_execute: the statement has " +
                                  std::to_string(st.info.param_count) + " parameters, " +
                                  std::to_string(params.size()) + " given",
                              ClientKind::programming);
    }
    out.payload = std::move(impl.session().spare_payload);
    out.payload.clear();
    StmtExecuteRequest req;
    req.statement_id = st.info.id;
    req.flags = cursor_flags;
    req.params = params;
    if (!st.long_data.empty()) req.long_data = st.long_data;
    if (auto s = serialize_com_stmt_execute(out.payload, req); !s.ok()) return s;
    st.long_data.clear();   // the server forgets long data at the execute
    if (impl.options().echo || impl.options().observer) out.sql = st.sql;   // logged or reported
    out.columns = ColumnsSlot(state, &st.info.columns);   // keeps the statement alive with it
    return {};
}

Future<QueryResults> execute_prepared(const std::shared_ptr<StatementState>& state, std::span<const Value> params,
                                      const CommandLimits& limits, std::shared_ptr<RowSink> sink) {
    std::shared_ptr<ConnectionImpl> impl;
    StatementRequest request;
    if (auto s = execute_request(state, params, impl, request); !s.ok()) return failed<QueryResults>(s);
    request.sink = std::move(sink);
    return execute_statement(*impl, std::move(request), limits);
}

Future<std::shared_ptr<RowStream>> stream_prepared(const std::shared_ptr<StatementState>& state,
                                                   std::span<const Value> params, const CommandLimits& limits) {
    std::shared_ptr<ConnectionImpl> impl;
    StatementRequest request;
    if (auto s = execute_request(state, params, impl, request); !s.ok()) {
        return failed<std::shared_ptr<RowStream>>(s);
    }
    return start_statement_stream(*impl, std::move(request), limits);
}

const std::shared_ptr<StatementState>& state_of(const Statement& stmt) { return Access::state(stmt); }

StatementState::~StatementState() {
    if (closed) return;
    auto impl = conn.lock();
    if (!impl || impl->state() == ConnectionImpl::State::closed || epoch != impl->statement_epoch) return;
    std::vector<std::uint8_t> payload;
    serialize_com_stmt_close(payload, info.id);
    if (impl->has_unread_result()) {   // no command may be queued behind an unbuffered result
        impl->send_after_unread_result(std::move(payload));
        return;
    }
    statement_command(*impl, std::move(payload), StmtCommandOp::Reply::none).detach();
}

}  // namespace detail

namespace detail {
std::shared_ptr<StatementState> new_statement(const std::shared_ptr<ConnectionImpl>& impl, std::uint64_t epoch,
                                              PreparedInfo info) {
    auto st = std::make_shared<StatementState>();
    st->conn = impl;
    st->epoch = epoch;
    st->info = std::move(info);
    return st;
}

void keep_in_cache(ConnectionImpl& impl, std::shared_ptr<StatementState>& st, std::string sql) {
    if (st->epoch == impl.statement_epoch) {
        // Two prepares of one text may overlap: keep the cached one, close this one (~StatementState).
        if (auto cached = impl.statement_cache.find(sql, st->epoch)) {
            st = std::move(cached);
            return;
        }
        st->sql = std::move(sql);
        impl.statement_cache.insert(st);
    } else {
        st->sql = std::move(sql);
    }
}

Future<std::shared_ptr<StatementState>> prepare_uncached(const Connection& conn, std::string sql) {
    const auto& impl = Access::impl(conn);
    if (!impl) return failed<std::shared_ptr<StatementState>>(connection_gone("Not connected"));
    const std::uint64_t epoch = impl->statement_epoch;
    return prepare_statement(*impl, sql).then([impl, epoch, sql = std::move(sql)](PreparedInfo info) mutable {
        auto st = new_statement(impl, epoch, std::move(info));
        st->sql = std::move(sql);
        return st;
    });
}
}  // namespace detail

Future<Statement> Connection::prepare(std::string sql) {
    if (!impl_) return failed<Statement>(detail::connection_gone("Not connected"));
    auto impl = impl_;
    const std::uint64_t epoch = impl->statement_epoch;
    if (auto cached = impl->statement_cache.find(sql, epoch)) {
        return make_ready_future(detail::Access::make<Statement>(std::move(cached), std::move(impl)));
    }
    return detail::prepare_statement(*impl, sql).then([impl, sql = std::move(sql), epoch](detail::PreparedInfo info) mutable {
        auto st = detail::new_statement(impl, epoch, std::move(info));
        detail::keep_in_cache(*impl, st, std::move(sql));
        return detail::Access::make<Statement>(std::move(st), std::move(impl));
    });
}

Future<ResultSet> Statement::execute(Params params) { return execute_values(params); }

Future<ResultSet> Statement::execute_values(std::span<const Value> values) {
    std::shared_ptr<ConnectionImpl> impl;
    detail::StatementRequest request;
    if (auto s = execute_request(state_, values, impl, request); !s.ok()) return failed<ResultSet>(s);
    return detail::execute_statement_first_set(*impl, std::move(request), {});
}

Future<QueryResults> Statement::execute_into(std::span<const Value> values, std::shared_ptr<detail::RowSink> sink) {
    return detail::execute_prepared(state_, values, {}, std::move(sink));
}

Future<void> Statement::send_long_data(std::size_t index, std::string_view data) {
    Status why;
    auto impl = usable_session(state_, why);
    if (!impl) return failed<void>(why);
    StatementState& st = *state_;
    if (index >= st.info.param_count) {
        return failed<void>(Status::client(er_wrong_arguments,
                                           "send_long_data: parameter " + std::to_string(index) +
                                               " does not exist (the statement has " +
                                               std::to_string(st.info.param_count) + ")",
                                           detail::ClientKind::programming));
    }
    if (st.long_data.empty()) st.long_data.assign(st.info.param_count, 0);
    st.long_data[index] = 1;
    const std::size_t chunk = std::min<std::size_t>(long_data_chunk, impl->options().max_allowed_packet / 2);
    std::vector<Future<void>> sent;
    std::size_t pos = 0;
    do {   // an empty value is one empty chunk: the parameter is then an empty string
        const std::size_t n = std::min(chunk, data.size() - pos);
        std::vector<std::uint8_t> payload;
        payload.reserve(7 + n);
        detail::serialize_com_stmt_send_long_data(
            payload, st.info.id, static_cast<std::uint16_t>(index),
            detail::Bytes(reinterpret_cast<const std::uint8_t*>(data.data()) + pos, n));
        sent.push_back(detail::statement_command(*impl, std::move(payload), detail::StmtCommandOp::Reply::none));
        pos += n;
    } while (pos < data.size());
    if (sent.size() == 1) return std::move(sent.front());
    return when_all(std::move(sent));
}

Future<void> Statement::reset() {
    Status why;
    auto impl = usable_session(state_, why);
    if (!impl) return failed<void>(why);
    state_->long_data.clear();
    std::vector<std::uint8_t> payload;
    detail::serialize_com_stmt_reset(payload, state_->info.id);
    return detail::statement_command(*impl, std::move(payload), detail::StmtCommandOp::Reply::ok_or_err);
}

Future<void> Statement::close() {
    if (!state_ || state_->closed || state_->cached) return make_ready_future();
    Status why;
    auto impl = usable_session(state_, why);
    state_->closed = true;
    if (!impl) return make_ready_future();   // the server has forgotten it already
    std::vector<std::uint8_t> payload;
    detail::serialize_com_stmt_close(payload, state_->info.id);
    return detail::statement_command(*impl, std::move(payload), detail::StmtCommandOp::Reply::none);
}

std::size_t Statement::param_count() const noexcept { return state_ ? state_->info.param_count : 0; }

const std::shared_ptr<const std::vector<ColumnInfo>>& Statement::columns() const noexcept {
    static const std::shared_ptr<const std::vector<ColumnInfo>> none = std::make_shared<const std::vector<ColumnInfo>>();
    return state_ ? state_->info.columns : none;
}

const std::string& Statement::sql() const noexcept {
    static const std::string empty;
    return state_ ? state_->sql : empty;
}

bool Statement::closed() const noexcept { return !state_ || !detail::statement_usable(*state_).ok(); }

}  // namespace uvmysql

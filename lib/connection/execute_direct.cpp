// SPDX-License-Identifier: MIT
// prepare_and_execute(): a prepared cursor's execute, from the cache or in one round trip.
#include "common/access.hpp"
#include "common/status_error.hpp"
#include "connection/buffered_query_op.hpp"
#include "connection/connection_impl.hpp"
#include "connection/statement_state.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_commands.hpp"
#include "protocol/stmt_execute.hpp"

namespace uvmysql::detail {

namespace {

/// COM_STMT_PREPARE and a COM_STMT_EXECUTE of statement id -1 ("the statement prepared just
/// before") written together. Until PREPARE_OK names it the statement is provisional: id -1,
/// the client's count of parameters, and marked closed so that nothing is sent to close it
/// when the prepare failed.
Future<QueryResults> execute_direct(const std::shared_ptr<ConnectionImpl>& impl, std::string sql,
                                    std::size_t param_count, std::span<const Value> params,
                                    const CommandLimits& limits) {
    PreparedInfo provisional;
    provisional.id = last_prepared_statement;
    provisional.param_count = static_cast<std::uint16_t>(std::min<std::size_t>(param_count, max_statement_params));
    auto st = new_statement(impl, impl->statement_epoch, std::move(provisional));
    st->sql = sql;
    StatementRequest request;
    if (auto why = build_execute(st, *impl, params, cursor_type::no_cursor, request); !why.ok()) {
        return make_exception_future<QueryResults>(to_exception(why));
    }
    st->closed = true;

    auto prepare = std::make_unique<StmtPrepareOp>(sql, request.columns);
    prepare->pipelinable = true;
    auto prepared = prepare->get_future();
    auto execute = std::make_unique<BufferedQueryOp>(std::move(request));
    execute->pipelinable = true;   // unless it has a time limit: then it waits for PREPARE_OK
    apply_limits(*execute, limits);
    auto executed = execute->get_future();
    observe_statement(impl->session(), *execute);
    impl->enqueue(std::move(prepare));
    impl->enqueue(std::move(execute));

    // When the prepare fails the execute fails too, with "unknown statement": report the
    // prepare's error. The prepare's outcome is taken first, whatever order continuations run in.
    auto prepare_error = std::make_shared<std::exception_ptr>();
    return std::move(prepared)
        .then([impl, st, sql = std::move(sql)](PreparedInfo info) mutable {
            // The slot has the prepare's definitions, or the execute's own when already read.
            auto columns = std::move(st->info.columns);
            st->info = std::move(info);
            if (columns) st->info.columns = std::move(columns);
            st->closed = false;
            keep_in_cache(*impl, st, std::move(sql));
        })
        .on_error([prepare_error](std::exception_ptr e) { *prepare_error = std::move(e); })
        .then([prepare_error, executed = std::move(executed)]() mutable {
            return std::move(executed).on_error([prepare_error](std::exception_ptr e) -> QueryResults {
                std::rethrow_exception(*prepare_error ? *prepare_error : e);
            });
        });
}

}  // namespace

Future<QueryResults> prepare_and_execute(const Connection& conn, std::string sql, std::size_t param_count,
                                         std::span<const Value> params, const CommandLimits& limits) {
    const auto& impl = Access::impl(conn);
    if (!impl) return make_exception_future<QueryResults>(to_exception(connection_gone("Not connected")));
    if (auto cached = impl->statement_cache.find(sql, impl->statement_epoch)) {
        return execute_prepared(cached, params, limits);
    }
    // MariaDB 10.2+ (the same servers that offer bulk operations) reads statement id -1.
    if (impl->session().capabilities & mariadb_cap::stmt_bulk_operations) {
        return execute_direct(impl, std::move(sql), param_count, params, limits);
    }
    Connection c = conn;
    return c.prepare(std::move(sql)).then([params = Params(params.begin(), params.end()), limits](Statement stmt) {
        return execute_prepared(state_of(stmt), params, limits);
    });
}

}  // namespace uvmysql::detail

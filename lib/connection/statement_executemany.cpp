// SPDX-License-Identifier: MIT
// Statement::executemany(): MariaDB's COM_STMT_BULK_EXECUTE when negotiated, else one execute per row.
#include <algorithm>
#include <memory>

#include "common/access.hpp"
#include "common/status_error.hpp"
#include "connection/connection_impl.hpp"
#include "connection/entry_points.hpp"
#include "connection/statement_state.hpp"
#include "protocol/capabilities.hpp"
#include "protocol/stmt_bulk_execute.hpp"
#include "uvmysql/statement.hpp"

namespace uvmysql {

using detail::Status;
using detail::StatementState;

namespace {

/// The most one bulk command carries: far below any server's max_allowed_packet (MariaDB's
/// default is 16 MiB), large enough that a 1,000-row batch is one command.
constexpr std::size_t bulk_payload_limit = 4u * 1024 * 1024;

/// Runs `step(i)` for i in [0, n) one after the other, stopping at the first failure; resolves
/// to the sum of what they resolve to.
template <class Step>
Future<std::uint64_t> in_sequence(std::size_t n, Step step) {
    auto total = std::make_shared<std::uint64_t>(0);
    auto shared_step = std::make_shared<Step>(std::move(step));
    Future<void> chain = make_ready_future();
    for (std::size_t i = 0; i < n; ++i) {
        chain = std::move(chain).then([shared_step, total, i]() {
            return (*shared_step)(i).then([total](QueryResults r) {
                if (r.later_error) std::rethrow_exception(r.later_error);
                for (const ResultSet& rs : r.sets) *total += rs.affected_rows;
            });
        });
    }
    return std::move(chain).then([total]() { return *total; });
}

}  // namespace

Future<std::uint64_t> Statement::executemany(std::vector<Params> rows) {
    if (!state_) return make_exception_future<std::uint64_t>(detail::to_exception(detail::connection_gone("Statement is not prepared (an empty handle)")));
    if (auto why = detail::statement_usable(*state_); !why.ok()) {
        return make_exception_future<std::uint64_t>(detail::to_exception(why));
    }
    if (rows.empty()) return make_ready_future<std::uint64_t>(0);
    const StatementState& st = *state_;
    for (const Params& row : rows) {
        if (row.size() != st.info.param_count) {
            return make_exception_future<std::uint64_t>(detail::to_exception(Status::client(
                1210,
                "Incorrect arguments to mysqld_stmt_execute: the statement has " + std::to_string(st.info.param_count) +
                    " parameters, a row has " + std::to_string(row.size()),
                detail::ClientKind::programming)));
        }
    }
    auto impl = st.conn.lock();
    auto shared_rows = std::make_shared<std::vector<Params>>(std::move(rows));
    std::vector<detail::ParamType> types;
    const bool bulk = (impl->session().capabilities & detail::mariadb_cap::stmt_bulk_operations) &&
                      st.info.param_count > 0 && st.long_data.empty() &&
                      detail::bulk_param_types(*shared_rows, st.info.param_count, types).ok();
    if (!bulk) {
        auto state = state_;
        return in_sequence(shared_rows->size(), [state, shared_rows](std::size_t i) {
            return detail::execute_prepared(state, (*shared_rows)[i], {});
        });
    }
    // Every command is built before the first is sent: an error (a row alone above the limit)
    // then fails the call with nothing executed.
    auto payloads = std::make_shared<std::vector<std::vector<std::uint8_t>>>();
    const std::size_t limit = std::min<std::size_t>(bulk_payload_limit, impl->options().max_allowed_packet);
    for (std::size_t pos = 0; pos < shared_rows->size();) {
        detail::StmtBulkExecuteRequest req;
        req.statement_id = st.info.id;
        req.param_count = st.info.param_count;
        req.rows = std::span<const std::vector<Value>>(*shared_rows).subspan(pos);
        req.types = types;   // worked out over every row: valid for each batch
        std::vector<std::uint8_t> payload;
        if (pos == 0) {   // the connection's spare buffer: the last batch's, of about this size
            payload = std::move(impl->session().spare_payload);
            payload.clear();
        }
        std::size_t written = 0;
        if (auto s = detail::serialize_com_stmt_bulk_execute(payload, req, limit, written); !s.ok()) {
            return make_exception_future<std::uint64_t>(detail::to_exception(s));
        }
        payloads->push_back(std::move(payload));
        pos += written;
    }
    auto state = state_;
    return in_sequence(payloads->size(), [state, payloads](std::size_t i) -> Future<QueryResults> {
        if (auto why = detail::statement_usable(*state); !why.ok()) {
            return make_exception_future<QueryResults>(detail::to_exception(why));
        }
        auto impl = state->conn.lock();
        std::string text = impl->options().observer ? state->sql : std::string();   // reported, not sent
        return detail::execute_statement(*impl, {std::move(text), std::move((*payloads)[i]), nullptr, nullptr}, {});
    });
}

}  // namespace uvmysql

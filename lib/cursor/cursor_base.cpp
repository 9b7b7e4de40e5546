// SPDX-License-Identifier: MIT
// CursorBase: the PEP 249 properties and mogrify() both cursor kinds share.
#include "common/access.hpp"
#include "cursor/cursor_common.hpp"
#include "cursor/cursor_state.hpp"

namespace uvmysql::detail {

CursorBase::CursorBase(std::shared_ptr<CursorState> state) noexcept : state_(std::move(state)) {}

std::shared_ptr<const Columns> CursorBase::result_columns() const { return state_->described_columns; }

const std::vector<Description>& CursorBase::description() const {
    static const std::vector<Description> none;
    return state_->description ? *state_->description : none;
}
std::int64_t CursorBase::rowcount() const { return state_->rowcount; }
std::uint64_t CursorBase::lastrowid() const { return state_->lastrowid; }
std::size_t CursorBase::arraysize() const { return state_->arraysize; }
void CursorBase::set_arraysize(std::size_t n) { state_->arraysize = n == 0 ? 1 : n; }
bool CursorBase::closed() const { return state_->closed; }
const Connection& CursorBase::connection() const { return state_->conn; }
bool CursorBase::echo() const { return state_->conn.echo(); }
const std::string& CursorBase::last_executed() const { return state_->last_executed; }
void CursorBase::set_timeout(std::chrono::milliseconds limit) { state_->limits.timeout = limit; }
std::chrono::milliseconds CursorBase::timeout() const {
    return state_->limits.timeout.value_or(state_->conn.query_timeout());
}
void CursorBase::set_prepared(bool on) { state_->prepared = on; }
bool CursorBase::prepared() const { return state_->prepared; }
void CursorBase::set_cancel_signal(const CancelSignal& signal) { state_->limits.cancel = Access::state(signal); }

std::string CursorBase::mogrify(std::string_view query, const Args& args) const {
    std::string out;
    if (auto st = format_statement(state_->conn, query, args, out); !st.ok()) std::rethrow_exception(to_exception(st));
    return out;
}

}  // namespace uvmysql::detail

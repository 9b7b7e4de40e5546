// SPDX-License-Identifier: MIT
// ResultProxy: fetching from buffered rows or from the SSCursor of a streamed result.
#include "uvmysql/result_proxy.hpp"

#include "common/access.hpp"
#include "engine/engine_state.hpp"

namespace uvmysql {

namespace detail {
const SSCursor* stream_cursor(const ResultProxy& result) noexcept {
    const auto& s = Access::state(result);
    return s && s->stream ? &*s->stream : nullptr;
}
}  // namespace detail

namespace {

using detail::ResultState;

std::exception_ptr no_rows_error() {
    return std::make_exception_ptr(InterfaceError(
        0, "HY000", "This result object does not return rows. It has been closed automatically."));
}

RowProxy proxy(const ResultState& s, Row row) { return RowProxy(std::move(row), s.keys); }

/// Null when rows may be fetched (possibly none); the error for a result without rows.
std::exception_ptr check_rows(const std::shared_ptr<ResultState>& s) {
    if (!s || !s->returns_rows) return no_rows_error();
    return nullptr;
}

Future<std::vector<RowProxy>> take(const std::shared_ptr<ResultState>& s, std::size_t n) {
    if (auto e = check_rows(s)) return make_exception_future<std::vector<RowProxy>>(e);
    if (s->closed) return make_ready_future(std::vector<RowProxy>());
    if (s->stream) {
        SSCursor cur = *s->stream;
        Future<std::vector<Row>> rows = n == SIZE_MAX ? cur.fetchall() : cur.fetchmany(n);
        return std::move(rows).then([s, n](std::vector<Row> got) {
            std::vector<RowProxy> out;
            out.reserve(got.size());
            for (auto& r : got) out.push_back(proxy(*s, std::move(r)));
            if (got.size() < n || n == SIZE_MAX) s->closed = true;  // the set ended
            return out;
        });
    }
    std::vector<RowProxy> out;
    const std::size_t left = s->rows.size() - s->pos;
    const std::size_t count = n < left ? n : left;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(proxy(*s, std::move(s->rows[s->pos++])));
    if (s->pos == s->rows.size()) {
        s->closed = true;
        s->rows = {};
    }
    return make_ready_future(std::move(out));
}

}  // namespace

const std::vector<std::string>& ResultProxy::keys() const {
    static const std::vector<std::string> none;
    return state_ ? *state_->keys : none;
}

std::int64_t ResultProxy::rowcount() const {
    if (!state_) return -1;
    return state_->stream ? state_->stream->rowcount() : state_->rowcount;
}

std::uint64_t ResultProxy::lastrowid() const { return state_ ? state_->lastrowid : 0; }
bool ResultProxy::returns_rows() const { return state_ && state_->returns_rows; }
bool ResultProxy::closed() const { return !state_ || state_->closed; }

Future<void> ResultProxy::close() {
    if (!state_ || state_->closed) return make_ready_future();
    state_->closed = true;
    state_->rows = {};
    if (state_->stream) return state_->stream->close();
    return make_ready_future();
}

Future<std::optional<RowProxy>> ResultProxy::fetchone() {
    auto s = state_;
    if (auto e = check_rows(s)) return make_exception_future<std::optional<RowProxy>>(e);
    if (s->closed) return make_ready_future(std::optional<RowProxy>());
    if (s->stream) {
        return s->stream->fetchone().then([s](std::optional<Row> row) {
            if (!row) {
                s->closed = true;
                return std::optional<RowProxy>();
            }
            return std::optional<RowProxy>(proxy(*s, std::move(*row)));
        });
    }
    return take(s, 1).then([](std::vector<RowProxy> rows) {
        return rows.empty() ? std::optional<RowProxy>() : std::optional<RowProxy>(std::move(rows.front()));
    });
}

Future<std::vector<RowProxy>> ResultProxy::fetchmany(std::optional<std::size_t> size) {
    return take(state_, size.value_or(1) == 0 ? 1 : size.value_or(1));
}

Future<std::vector<RowProxy>> ResultProxy::fetchall() { return take(state_, SIZE_MAX); }

Future<std::optional<RowProxy>> ResultProxy::first() {
    ResultProxy self = *this;
    return fetchone().then([self](std::optional<RowProxy> row) mutable {
        return self.close().then([row = std::move(row)]() mutable { return std::move(row); });
    });
}

Future<Value> ResultProxy::scalar() {
    return first().then([](std::optional<RowProxy> row) {
        if (!row || row->empty()) return Value();
        return (*row)[0];
    });
}

namespace {
Task<> run_for_each(ResultProxy result, detail::UniqueFunction<void(const RowProxy&)> fn) {
    std::exception_ptr error;
    try {
        while (auto row = co_await result.fetchone()) fn(*row);
        co_return;
    } catch (...) {
        error = std::current_exception();
    }
    try {
        co_await result.close();
    } catch (...) {
        // The caller's error is the one to report; the connection's own trouble shows on its next use.
    }
    std::rethrow_exception(error);
}
}  // namespace

Future<void> ResultProxy::for_each(detail::UniqueFunction<void(const RowProxy&)> fn) {
    return spawn(run_for_each(*this, std::move(fn)));
}

}  // namespace uvmysql

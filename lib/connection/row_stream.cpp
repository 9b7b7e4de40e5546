// SPDX-License-Identifier: MIT
#include "connection/row_stream.hpp"

#include <algorithm>

#include "common/status_error.hpp"

namespace uvmysql::detail {

namespace {
Status fetch_pending() {
    return Status::client(cr::commands_out_of_sync, "another fetch on this cursor is still pending",
                          ClientKind::programming);
}
}  // namespace

Future<void> RowStream::first_set() {
    if (want_ != Want::none) return make_exception_future<void>(to_exception(fetch_pending()));
    want_ = Want::first_set;
    void_promise_ = {};
    auto f = void_promise_.get_future();
    serve();
    return f;
}

Future<std::optional<Row>> RowStream::next_row() {
    if (want_ != Want::none) return make_exception_future<std::optional<Row>>(to_exception(fetch_pending()));
    want_ = Want::row;
    row_promise_ = {};
    auto f = row_promise_.get_future();
    serve();
    return f;
}

Future<std::vector<Row>> RowStream::next_rows(std::size_t n) {
    if (want_ != Want::none) return make_exception_future<std::vector<Row>>(to_exception(fetch_pending()));
    want_ = Want::rows;
    want_n_ = n;
    batch_.clear();
    batch_.reserve(std::min(n, high_water));
    rows_promise_ = {};
    auto f = rows_promise_.get_future();
    serve();
    return f;
}

Future<bool> RowStream::next_set() {
    if (want_ != Want::none) return make_exception_future<bool>(to_exception(fetch_pending()));
    want_ = Want::set;
    set_promise_ = {};
    auto f = set_promise_.get_future();
    serve();
    return f;
}

Future<void> RowStream::discard() {
    if (want_ != Want::none) return make_exception_future<void>(to_exception(fetch_pending()));
    discarding_ = true;
    rows_taken_ = rows_pushed_;
    rows_.clear();
    marks_.clear();
    want_ = Want::discard;
    void_promise_ = {};
    auto f = void_promise_.get_future();
    update_flow();
    serve();
    return f;
}

void RowStream::push_header(StreamSetInfo info) {
    if (discarding_) return;
    marks_.push_back({rows_pushed_, true, std::move(info)});
    serve();
}

void RowStream::push_row(Row row) {
    if (discarding_) return;
    ++rows_pushed_;
    if (wants_rows() && rows_.empty() && marks_.empty()) {
        // The consumer waits and nothing is queued before this row: straight into its batch.
        ++rows_taken_;
        batch_.push_back(std::move(row));
        if (batch_full()) serve();
        return;
    }
    rows_.push_back(std::move(row));
    max_queued_rows_ = std::max(max_queued_rows_, rows_.size());
    update_flow();
    serve();
}

void RowStream::push_end(const StreamSetInfo& info) {
    if (discarding_) return;
    marks_.push_back({rows_pushed_, false, info});
    serve();
}

void RowStream::finish(const Status& st) {
    done_ = true;
    error_ = st;
    update_flow();
    serve();
}

void RowStream::update_flow() {
    const bool want_pause = !done_ && !discarding_ && rows_.size() >= high_water;
    const bool want_resume = done_ || discarding_ || rows_.size() <= low_water;
    if (paused_ ? !want_resume : !want_pause) return;   // most rows: no change, no lock
    auto flow = flow_.lock();
    if (!flow) return;
    if (!paused_) {
        if (flow->pause_reading()) paused_ = true;
    } else {
        if (flow->resume_reading()) paused_ = false;
    }
}

void RowStream::fail_request(const Status& st) {
    const Want want = std::exchange(want_, Want::none);
    auto e = to_exception(st);
    switch (want) {
        case Want::none: break;
        case Want::first_set:
        case Want::discard: std::exchange(void_promise_, {}).set_exception(e); break;
        case Want::row: std::exchange(row_promise_, {}).set_exception(e); break;
        case Want::rows: std::exchange(rows_promise_, {}).set_exception(e); break;
        case Want::set: std::exchange(set_promise_, {}).set_exception(e); break;
    }
}

RowStream::Front RowStream::front() const noexcept {
    if (!marks_.empty() && marks_.front().after_rows == rows_taken_) {
        return marks_.front().header ? Front::header : Front::end;
    }
    return rows_.empty() ? Front::none : Front::row;
}

void RowStream::drop_front_row() {
    rows_.pop_front();
    ++rows_taken_;
}

StreamSetInfo RowStream::pop_mark() {
    StreamSetInfo info = std::move(marks_.front().info);
    marks_.pop_front();
    return info;
}

void RowStream::serve() {
    // Every branch either answers the request (after putting the stream in order) or waits.
    const bool broken = done_ && !error_.ok();
    switch (want_) {
        case Want::none:
            return;
        case Want::first_set:
            if (front() == Front::header) {
                current_ = pop_mark();
                current_ended_ = false;
                started_ = true;
                want_ = Want::none;
                std::exchange(void_promise_, {}).set_value();
            } else if (done_) {
                fail_request(broken ? error_ : Status::malformed("the statement returned no result"));
            }
            return;
        case Want::row:
        case Want::rows: {
            while (!batch_full() && front() == Front::row) {
                batch_.push_back(std::move(rows_.front()));
                drop_front_row();
            }
            const Front next = front();
            const bool at_end = next == Front::header || next == Front::end;
            if (at_end && !current_ended_) {
                const auto columns = current_.columns;
                current_ = marks_.front().info;   // final counts of the set (the end mark stays)
                current_.columns = columns;
                current_ended_ = true;
            }
            update_flow();
            const bool full = batch_full();
            if (!full && !at_end && !done_) return;   // wait for more rows
            if (!full && !at_end && broken) {
                batch_.clear();
                fail_request(error_);
                return;
            }
            if (done_ && next == Front::none) current_ended_ = true;
            const Want want = std::exchange(want_, Want::none);
            if (want == Want::row) {
                std::optional<Row> row;
                if (!batch_.empty()) row = std::move(batch_.front());
                batch_.clear();
                std::exchange(row_promise_, {}).set_value(std::move(row));
            } else {
                std::exchange(rows_promise_, {}).set_value(std::exchange(batch_, {}));
            }
            return;
        }
        case Want::set:
            for (Front next = front(); next != Front::none; next = front()) {
                if (next == Front::row) {
                    drop_front_row();
                    continue;
                }
                StreamSetInfo info = pop_mark();
                if (next == Front::header) {
                    current_ = std::move(info);
                    current_ended_ = false;
                    update_flow();
                    want_ = Want::none;
                    std::exchange(set_promise_, {}).set_value(true);
                    return;
                }
            }
            update_flow();
            if (broken) {
                fail_request(error_);
            } else if (done_) {
                want_ = Want::none;
                std::exchange(set_promise_, {}).set_value(false);
            }
            return;
        case Want::discard:
            if (done_) {
                want_ = Want::none;
                std::exchange(void_promise_, {}).set_value();
            }
            return;
    }
}

}  // namespace uvmysql::detail

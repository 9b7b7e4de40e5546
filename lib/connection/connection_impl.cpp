// SPDX-License-Identifier: MIT
// ConnectionImpl: the queue, the read path and the opening sequence.
#include "connection/connection_impl.hpp"

#include <algorithm>
#include <utility>

#include "async/defer_continuations.hpp"
#include "common/status_error.hpp"
#include "connection/handshake_op.hpp"
#include "connection/session_setup.hpp"
#include "connection/stmt_command_op.hpp"

namespace uvmysql::detail {

namespace {
// The outcome of an I/O step that went well, shared: no Status is built per message (hot path).
const Status io_ok;

Status not_connected() { return connection_gone("Not connected"); }

/// What a statement already sent fails with when the link broke (2013: a read failed or timed
/// out after the request went out): its outcome is unknown. Other reasons stay as they are — a
/// failed write (2006) or a close by the caller.
Status outcome_unknown(const Status& reason) {
    if (reason.from_server || reason.errno_code != cr::server_lost) return reason;
    Status st = reason;
    st.client_kind = ClientKind::outcome_unknown;
    st.message += "; the statement was sent and may or may not have taken effect";
    return st;
}

Status packet_too_large(std::size_t size, std::uint32_t limit) {
    return Status::client(cr::net_packet_too_large, "Got packet bigger than 'max_allowed_packet' bytes (a " +
                                                        std::to_string(size) + "-byte command; max_allowed_packet is " +
                                                        std::to_string(limit) + ")");
}
}  // namespace

ConnectionImpl::ConnectionImpl(uv_loop_s* loop, ConnectOptions options)
    : loop_(loop),
      options_(std::move(options)),
      reader_(options_.max_allowed_packet) {
    statement_cache.set_capacity(options_.prepared_statement_cache_size);
}

ConnectionImpl::~ConnectionImpl() {
    // Pending ops keep the session alive (busy_self_), so none is left here but ops of a
    // session whose loop is torn down with commands still running.
    DeferContinuations defer;
    if (open_timer_) cancel_timer(open_timer_);
    if (counted_host_) HostHealth::instance().closed(*counted_host_);
    transport_.reset();
    const Status st = connection_gone("Connection destroyed");
    if (active_) active_->fail(st);
    for (auto& op : setup_queue_) op->fail(st);
    for (auto& op : queue_) op->fail(st);
    if (options_.observer && state_ == State::open) report_close(st);
}

Status ConnectionImpl::closed_error() const {
    if (closed_reason_.ok()) return not_connected();
    if (closed_reason_.client_kind == ClientKind::interface && !closed_reason_.from_server) return closed_reason_;
    // The link was lost (server gone, killed, timed out): an OperationalError that retry
    // logic recognises, naming what happened, as the C connector's 2006.
    return Status::client(cr::server_gone_error, "MySQL server has gone away (" + closed_reason_.message + ")");
}

void ConnectionImpl::hold_while_busy() {
    if (!busy_self_) busy_self_ = shared_from_this();
}

void ConnectionImpl::release_if_idle() {
    // Callers hold a reference of their own: `this` outlives this call.
    if (!active_ && queue_.empty() && setup_queue_.empty() && in_flight_.empty() && !connect_promise_) {
        busy_self_.reset();
    }
}

Future<void> ConnectionImpl::open_one() {
    if (state_ != State::closed) {
        return make_exception_future<void>(to_exception(
            Status::client(cr::unknown_error, "connection is already open or opening", ClientKind::interface)));
    }
    state_ = State::connecting;
    ++sessions_opened;
    ++statement_epoch;   // a new session has no prepared statements
    hold_while_busy();
    reader_.reset();
    session_.reset_for_new_session();
    waiting_ = Wait::nothing;
    closed_reason_ = {};
    connect_promise_.emplace();
    auto fut = connect_promise_->get_future();
    if (options_.observer) [[unlikely]] attempt_started_ = ObserverClock::now();
    transport_ = Transport::create(loop_, *this);
    transport_->set_keepalive(static_cast<unsigned>(std::max<std::int64_t>(options_.tcp_keepalive.count(), 0)));
    if (options_.connect_timeout.count() > 0) {
        std::weak_ptr<ConnectionImpl> weak = weak_from_this();
        const auto ms = options_.connect_timeout;
        open_timer_ = start_timer(loop_, ms, [weak, ms]() {
            auto self = weak.lock();
            if (!self) return;
            self->open_timer_ = nullptr;
            self->close_now(Status::client(cr::server_lost,
                                           "Lost connection to MySQL server while connecting (timed out after " +
                                               std::to_string(ms.count()) + " ms)",
                                           ClientKind::timeout));
        });
    }
    if (!options_.unix_socket.empty()) {
        transport_->connect_unix(options_.unix_socket, options_.connect_timeout);
    } else {
        transport_->connect_tcp(options_.host, options_.port, options_.connect_timeout);
    }
    return fut;
}

void ConnectionImpl::on_connected(const Status& st) {
    auto self = shared_from_this();
    DeferContinuations defer;
    if (!st.ok()) {
        close_now(st);
        return;
    }
    setup_started_ = true;
    session_.secure_channel = transport_->is_secure();   // a unix socket
    enqueue_setup(std::make_unique<HandshakeOp>());
    for (auto& op : session_setup_ops(options_)) enqueue_setup(std::move(op));
}

void ConnectionImpl::finish_open(const Status& st) {
    if (open_timer_) cancel_timer(std::exchange(open_timer_, nullptr));
    if (!connect_promise_) return;
    auto promise = std::move(*connect_promise_);
    connect_promise_.reset();
    if (options_.observer) [[unlikely]] report_connect(st);
    if (st.ok()) {
        promise.set_value();
    } else {
        promise.set_exception(to_exception(st));
    }
}

void ConnectionImpl::enqueue(std::unique_ptr<Op> op) {
    if (state_ == State::closed) {
        op->fail(closed_error());
        return;
    }
    if (op->request_size() > options_.max_allowed_packet) {
        op->fail(packet_too_large(op->request_size(), options_.max_allowed_packet));   // nothing sent
        return;
    }
    if (streams_in_flight_ > 0) {
        op->fail(Status::client(cr::commands_out_of_sync,
                                "Commands out of sync: an unbuffered result (SSCursor) is still being read on this "
                                "connection; fetch it to the end or close that cursor first",
                                ClientKind::programming));
        return;
    }
    // Most commands have neither a time limit nor a signal: no call for them on the hot path.
    if ((op->timeout || options_.query_timeout.count() > 0 || op->cancel_signal) && !watch_interrupts(*op)) {
        op->fail(cancelled_before_sent());
        return;
    }
    if (op->is_stream()) ++streams_in_flight_;
    queue_.push_back(std::move(op));
    hold_while_busy();
    drain();
}

void ConnectionImpl::enqueue_setup(std::unique_ptr<Op> op) {
    setup_queue_.push_back(std::move(op));
    hold_while_busy();
    drain();
}

void ConnectionImpl::drain() {
    while (!active_ && !dispatching_ && !kill_pending_) {
        if (!in_flight_.empty()) {   // already written: its reply is next on the wire
            active_ = std::move(in_flight_.front().op);
            session_.seq = in_flight_.front().reply_seq;
            in_flight_.pop_front();
            if (watches_stalls()) watch_stalls();
            waiting_ = Wait::message;
            reader_.set_expected_seq(session_.seq);
            break;
        }
        std::deque<std::unique_ptr<Op>>* source = nullptr;
        if (!setup_queue_.empty()) {
            source = &setup_queue_;
        } else if (state_ == State::open && !queue_.empty()) {
            source = &queue_;
        } else {
            if (state_ == State::connecting && connect_promise_ && setup_queue_.empty() && transport_ &&
                setup_started_) {
                state_ = State::open;
                finish_open({});
                release_if_idle();
                continue;
            }
            break;
        }
        active_ = std::move(source->front());
        source->pop_front();
        if (watches_stalls()) watch_stalls();
        session_.seq = 0;
        if (session_.compression.active()) session_.compression.new_command();   // no call when off
        reader_.set_expected_seq(0);
        run_active(io_ok, {});
        flush();
    }
    if (active_ && active_->pipelinable && !queue_.empty()) pipeline_more();
}

void ConnectionImpl::pipeline_more() {
    // An op that may be interrupted is never pipelined, nor is anything behind it: a KILL QUERY
    // must only ever meet the statement it is meant for, and a queued op must be removable.
    const auto may_pipeline = [](const Op& op) { return op.pipelinable && op.interrupt.id == 0; };
    // Under compression each command restarts the compressed sequence ids, which commands
    // sharing one compressed write could not do: compressed sessions send one at a time.
    if (!active_ || !may_pipeline(*active_) || waiting_ != Wait::message || state_ != State::open || dispatching_ ||
        session_.compression.active()) {
        return;
    }
    // Bounded, so a long queue does not become one huge write the server must buffer.
    constexpr std::size_t max_in_flight = 64;
    bool wrote = false;
    while (!queue_.empty() && may_pipeline(*queue_.front()) && in_flight_.size() < max_in_flight) {
        auto op = std::move(queue_.front());
        queue_.pop_front();
        session_.seq = 0;
        dispatching_ = true;
        const Action next = op->resume(session_, io_ok, {});
        dispatching_ = false;
        if (next != Action::write) {   // a pipelinable op's first step is its whole request
            close_now(next == Action::fail ? op->fatal_error() : Status::malformed("pipelined command did not write"));
            return;
        }
        in_flight_.push_back({std::move(op), session_.seq});
        wrote = true;
    }
    session_.seq = reader_.expected_seq();   // the active op reads on
    if (wrote) flush();
}

void ConnectionImpl::run_active(const Status& io, Bytes message) {
    waiting_ = Wait::nothing;
    dispatching_ = true;
    const Action next = active_->resume(session_, io, message);
    dispatching_ = false;
    carry_out(next);
}

void ConnectionImpl::carry_out(Action next) {
    waiting_ = Wait::nothing;
    for (;;) {
        switch (next) {
            case Action::write:   // the bytes wait in session_.out (one batch, one write); the reply follows
            case Action::read:
                waiting_ = Wait::message;
                // The server's reply continues the sequence of what the op wrote.
                reader_.set_expected_seq(session_.seq);
                return;
            case Action::tls_handshake:
                waiting_ = Wait::tls;
                start_tls();
                return;
            case Action::close: {
                auto op = std::move(active_);
                flush();
                close_now(connection_gone("Connection closed"));
                op->finish();
                return;
            }
            case Action::done:
                // A command the server does not answer (COM_STMT_CLOSE) ends right after writing:
                // its bytes go out alone (compressed sessions restart the sequence per command).
                flush();
                complete_active();
                return;
            case Action::fail:
                close_now(active_->fatal_error());   // copied: close_now destroys the op
                return;
        }
    }
}

void ConnectionImpl::complete_active() {
    auto op = std::move(active_);
    waiting_ = Wait::nothing;
    // Between commands the next packet starts a new exchange (e.g. the ERR a server sends to a
    // session it kills), so it carries sequence id 0.
    reader_.set_expected_seq(0);
    if (op->is_stream()) stream_done();
    drain();            // the next op goes on the wire first: the connection is consistent
    resolve_done(*op);  // then user code runs (deferred by the entry point), and may queue more work
    release_if_idle();
}

void ConnectionImpl::stream_done() {
    if (--streams_in_flight_ > 0) return;
    for (auto& command : std::exchange(after_stream_, {})) {
        enqueue(std::make_unique<StmtCommandOp>(std::move(command), StmtCommandOp::Reply::none));
    }
}

bool ConnectionImpl::pause_reading() {
    if (!transport_) return false;
    reading_paused_ = true;
    transport_->pause_reading();
    return true;
}

bool ConnectionImpl::resume_reading() {
    if (!transport_) return false;
    reading_paused_ = false;
    transport_->resume_reading();
    return true;
}

void ConnectionImpl::flush() {
    if (session_.out.empty() || !transport_) return;
    if (session_.compression.active()) {
        transport_->write(session_.compression.wrap(session_.out));
        session_.out.clear();
    } else {
        transport_->write_buffer(session_.out);   // handed over, not copied, when it can be
    }
}

void ConnectionImpl::start_tls() {
    flush();
    TlsOptions tls;
    const SslOptions& ssl = *options_.ssl;
    tls.ca_file = ssl.ca;
    tls.cert_file = ssl.cert;
    tls.key_file = ssl.key;
    tls.verify_cert = ssl.verify_cert;
    tls.verify_identity = ssl.verify_cert && ssl.verify_identity;
    tls.server_name = ssl.server_name.empty() ? options_.host : ssl.server_name;
    transport_->start_tls(tls);
}

void ConnectionImpl::on_tls_ready(const Status& st) {
    auto self = shared_from_this();
    DeferContinuations defer;
    if (!active_ || waiting_ != Wait::tls) {
        close_now(st.ok() ? Status::malformed("unexpected TLS upgrade") : st);
        return;
    }
    if (st.ok()) session_.secure_channel = true;
    run_active(st, {});   // a failed upgrade ends the op (and the session) with its error
    if (state_ == State::closed) return;
    flush();
    drain();
}

// The hot path of every reply: inlined into on_read, as it was before compression split it out.
[[gnu::always_inline]] inline bool ConnectionImpl::read_messages(Bytes bytes) {
    reader_.feed_view(bytes);   // valid for this call: the loop below reads until need_more
    Message msg;
    for (;;) {
        const auto r = reader_.next(msg);
        if (r == FrameReader::Result::need_more) break;
        if (r == FrameReader::Result::error) {
            close_now(reader_.error());
            return false;
        }
        if (!active_) {
            // MariaDB tells a session it kills (ER_CONNECTION_KILLED) before closing it.
            const bool is_err = !msg.payload.empty() && msg.payload[0] == header::err;
            close_now(is_err ? parse_err_packet(msg.payload, session_.capabilities)
                             : Status::malformed("unexpected packet from the server while no command is running"));
            return false;
        }
        if (waiting_ != Wait::message) {
            close_now(Status::malformed(waiting_ == Wait::tls ? "packet during the TLS upgrade"
                                                              : "packet the command did not wait for"));
            return false;
        }
        session_.seq = reader_.expected_seq();
        // The hot path (a row, a column definition): the op reads on, nothing else to do.
        dispatching_ = true;
        const Action next = active_->resume(session_, io_ok, msg.payload);
        dispatching_ = false;
        if (next == Action::read) [[likely]] {
            reader_.set_expected_seq(session_.seq);
            continue;
        }
        carry_out(next);
        if (state_ == State::closed) return false;
    }
    return true;
}

void ConnectionImpl::on_read(std::span<const std::uint8_t> bytes) {
    auto self = shared_from_this();
    DeferContinuations defer;   // rows and results reach user code after this batch is handled
    if (session_.compression.active()) {
        // One compressed packet at a time: at most one inflated packet (16 MiB) is held. The
        // compressed sequence ids are checked instead of the frames' (see FrameReader).
        reader_.set_sequence_checked(false);
        session_.compression.feed_view(bytes);
        Bytes inner;
        for (;;) {
            const auto r = session_.compression.next(inner);
            if (r == CompressedFrameReader::Result::need_more) break;
            if (r == CompressedFrameReader::Result::error) return close_now(session_.compression.error());
            if (!read_messages(inner)) return;
        }
    } else if (!read_messages(bytes)) {
        return;
    }
    flush();
    drain();
}


void ConnectionImpl::on_error(const Status& st) {
    auto self = shared_from_this();
    DeferContinuations defer;
    if (active_ && !dispatching_) run_active(st, {});   // the op ends with the stream's error
    if (state_ != State::closed) close_now(st);
}

void ConnectionImpl::close_now(Status reason) {   // by value: callers pass members that this clears
    auto self = shared_from_this();
    DeferContinuations defer;   // a failure handler may reopen (ping(true)): only after this returns
    if (state_ == State::closed && !transport_) return;
    const bool was_open = state_ == State::open;
    state_ = State::closed;
    if (counted_host_) HostHealth::instance().closed(*std::exchange(counted_host_, std::nullopt));
    closed_reason_ = reason;
    stop_time_limits();
    reading_paused_ = false;
    streams_in_flight_ = 0;
    after_stream_.clear();   // the server frees the session's statements itself
    setup_started_ = false;
    transport_.reset();   // immediate: no transport callback after this
    reader_.reset();      // drops any view of the transport's read buffer
    session_.out.clear();
    waiting_ = Wait::nothing;
    auto active = std::move(active_);
    auto pipelined = std::exchange(in_flight_, {});
    auto setup = std::exchange(setup_queue_, {});
    auto queued = std::exchange(queue_, {});
    const Status fail_with = reason.ok() ? not_connected() : reason;
    const Status sent_fail = outcome_unknown(fail_with);
    finish_open(fail_with);
    busy_self_.reset();   // `self` keeps the session alive to the end of this call
    if (active) active->fail(active->runs_statement() ? sent_fail : fail_with);
    for (auto& written : pipelined) written.op->fail(written.op->runs_statement() ? sent_fail : fail_with);
    for (auto& op : setup) op->fail(fail_with);
    for (auto& op : queued) op->fail(fail_with);
    if (was_open && options_.observer) [[unlikely]] report_close(reason);   // after its statements' ends
}

}  // namespace uvmysql::detail

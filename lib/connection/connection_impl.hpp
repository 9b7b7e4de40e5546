// SPDX-License-Identifier: MIT
// ConnectionImpl: the one runner of ops — transport, frame reader, command queue and session state.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "connection/host_list.hpp"
#include "connection/observe.hpp"
#include "connection/op.hpp"
#include "connection/read_flow.hpp"
#include "connection/session_state.hpp"
#include "connection/statement_cache.hpp"
#include "protocol/frame_reader.hpp"
#include "transport/transport.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/detail/loop_timer.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql::detail {

class RowStream;

/// The state behind a Connection handle. Owned by shared_ptr: handles and queued ops hold it.
///
/// Flow: open() connects the transport and queues a HandshakeOp and the session setup ops; ops
/// run one at a time from the queues. The runner resumes the op on the wire and carries out
/// the Action it returns: write (the bytes wait in session_.out and go out at the next flush,
/// so one batch of messages gives one write), read (the next message `reader_` frames from the
/// transport's bytes), tls_handshake, close, done (the op is resolved, the next one starts) or
/// fail. Any transport, framing or op failure closes the session and fails every queued op; a
/// closed session can be opened again (ping(reconnect)). Ops never see this class: only the
/// SessionState.
class ConnectionImpl final : public TransportHandler,
                             public ReadFlow,
                             public std::enable_shared_from_this<ConnectionImpl> {
public:
    enum class State { closed, connecting, open };
    /// What interrupted a command.
    enum class Cause { timeout, cancel };

    ConnectionImpl(uv_loop_s* loop, ConnectOptions options);
    ~ConnectionImpl();

    /// Connects and runs the handshake plus session setup. Resolves when the session is ready.
    /// With ConnectOptions::hosts, tries each host in turn (see HostHealth).
    Future<void> open();
    /// Appends `op` to the queue; it starts when all ops before it are done and the session is
    /// open. A closed connection fails it at once, and so does an unbuffered query still being
    /// read (CR_COMMANDS_OUT_OF_SYNC, ProgrammingError): waiting behind a stream whose consumer
    /// waits for this command would never end.
    void enqueue(std::unique_ptr<Op> op);
    /// Queues an op of the opening sequence (handshake, session setup): these run while the
    /// session is still connecting, before any user op.
    void enqueue_setup(std::unique_ptr<Op> op);
    /// Closes the transport now and fails every queued op with `reason`.
    void close_now(Status reason);
    /// What a command on this closed session fails with: InterfaceError when the caller closed
    /// it (or it never opened), OperationalError 2006 naming the cause when the link was lost.
    [[nodiscard]] Status closed_error() const;

    /// Flow control of unbuffered results: stops and restarts reading the socket.
    bool pause_reading() override;
    bool resume_reading() override;

    // --- session state ---------------------------------------------------------------------
    [[nodiscard]] const ConnectOptions& options() const { return options_; }
    void set_query_timeout(std::chrono::milliseconds limit) { options_.query_timeout = limit; }
    [[nodiscard]] SessionState& session() { return session_; }
    [[nodiscard]] const SessionState& session() const { return session_; }
    [[nodiscard]] uv_loop_s* loop() const { return loop_; }
    [[nodiscard]] State state() const { return state_; }
    [[nodiscard]] bool is_tls() const { return transport_ && transport_->is_tls(); }
    [[nodiscard]] bool has_unread_result() const { return streams_in_flight_ > 0; }
    /// Queues `command` (a COM_STMT_CLOSE, which has no reply) once the unbuffered result being
    /// read is done: no command may be queued behind it. Dropped if the session ends first.
    void send_after_unread_result(std::vector<std::uint8_t> command) { after_stream_.push_back(std::move(command)); }
    [[nodiscard]] std::size_t pending_commands() const {
        return queue_.size() + setup_queue_.size() + in_flight_.size() + (active_ ? 1 : 0);
    }

    /// The unbuffered result of the last start_stream() (an SSCursor), while its op keeps it alive.
    std::weak_ptr<RowStream> last_stream;

    /// Uses of this object: bumped when a session is opened (connect, reconnect) and when a pool
    /// takes the connection back. State tied to one use (an open Transaction) keeps the values
    /// it began with and knows it no longer applies once they changed.
    std::uint64_t sessions_opened = 0;
    std::uint64_t pool_returns = 0;
    /// Bumped whenever the server forgets this session's prepared statements (a new session,
    /// COM_RESET_CONNECTION): a statement prepared in another epoch is unusable.
    std::uint64_t statement_epoch = 0;
    /// The prepared statements kept for reuse (ConnectOptions::prepared_statement_cache_size).
    StatementCache statement_cache;   // sized in the constructor (declared before options_)
    /// The transaction layer's state for this connection (its innermost transaction), opaque here.
    std::weak_ptr<void> transaction;

private:
    /// One attempt at options_.host / options_.port.
    Future<void> open_one();
    /// Tries the hosts of `attempts` from its next one on (open() with ConnectOptions::hosts).
    Future<void> open_next_host(std::shared_ptr<struct HostAttempts> attempts);

    void on_connected(const Status& st) override;
    void on_read(std::span<const std::uint8_t> bytes) override;
    void on_tls_ready(const Status& st) override;
    void on_error(const Status& st) override;
    /// Frames `bytes` (socket bytes, or a compressed packet's inner bytes) into messages and
    /// resumes the op with each; false when the session closed on the way.
    bool read_messages(Bytes bytes);

    /// What the op on the wire waits for.
    enum class Wait { nothing, message, tls };

    /// Starts the next queued op when none is on the wire.
    void drain();
    /// Writes queued pipelinable ops behind the active one, without waiting for its reply.
    void pipeline_more();
    /// Resumes the op on the wire with an I/O outcome (and a message after a read), then
    /// carries out the actions it asks for until it waits for I/O or ends.
    void run_active(const Status& io, Bytes message);
    /// Carries out `next`, the op's answer to its last resume, and what follows it.
    void carry_out(Action next);
    /// Sends what ops wrote so far.
    void flush();
    void start_tls();
    /// The active op is done: resolves it after the connection's state is consistent.
    void complete_active();
    /// One unbuffered result fewer: once none is left, what waited for it is sent.
    void stream_done();
    /// The opening sequence ended (ok: the session is usable).
    void finish_open(const Status& st);
    // --- observer events (connection_events.cpp); called only when an observer is installed --
    /// An attempt to open a session ended with `st`.
    void report_connect(const Status& st);
    /// The open session ended for `reason` (ok or an interface error: the program closed it).
    void report_close(const Status& reason);

    /// While a command or the opening sequence is pending, the session owns a reference to
    /// itself, so that dropping every handle never loses a result ("pending operations keep
    /// the session alive"); released once nothing is pending, or when the session closes.
    void hold_while_busy();
    void release_if_idle();

    // --- interrupts (interrupts.cpp) --------------------------------------------------------
    /// Starts `op`'s query_timeout clock (its own timeout, or the connection's) and listens to
    /// its CancelSignal. False when that signal was already cancelled: fail the op unsent.
    bool watch_interrupts(Op& op);
    static Status cancelled_before_sent();
    /// The limit of op `id` passed or its signal was cancelled: a queued op is removed unsent,
    /// the running one interrupted.
    void on_interrupt(std::uint64_t id, Cause cause);
    /// Sends KILL QUERY from a second connection; no other op starts until it was handled.
    void interrupt_active();
    void on_kill_done(std::uint64_t generation);
    /// The interrupted op (or the KILL) did not end within kill_grace: the session is closed.
    void on_kill_grace();
    /// read_timeout or write_timeout is set.
    [[nodiscard]] bool watches_stalls() const {
        return options_.read_timeout.count() > 0 || options_.write_timeout.count() > 0;
    }
    /// Restarts the read/write stall clocks for the op that just started (when watches_stalls()),
    /// arming the watchdog timer when needed.
    void watch_stalls();
    void arm_stall_timer();
    void check_stalls();
    /// Resolves an op that is done: finish(), or the timeout error when it was interrupted.
    void resolve_done(Op& op);
    /// Stops every time-limit timer (the session closes).
    void stop_time_limits();

    uv_loop_s* loop_;
    ConnectOptions options_;
    SessionState session_{options_};
    State state_ = State::closed;
    std::unique_ptr<Transport> transport_;
    FrameReader reader_;
    std::deque<std::unique_ptr<Op>> setup_queue_;   // runs while connecting
    std::deque<std::unique_ptr<Op>> queue_;         // user ops, run once open
    std::unique_ptr<Op> active_;                    // the op on the wire
    /// Pipelined ops: written, their replies due after active_'s, in order; with the sequence
    /// id each reply continues.
    struct Written {
        std::unique_ptr<Op> op;
        std::uint8_t reply_seq;
    };
    std::deque<Written> in_flight_;
    Wait waiting_ = Wait::nothing;

    bool dispatching_ = false;
    bool setup_started_ = false;   // the handshake and setup ops are queued
    int streams_in_flight_ = 0;
    std::vector<std::vector<std::uint8_t>> after_stream_;   // see send_after_unread_result()    // unbuffered queries queued or on the wire
    std::optional<Promise<void>> connect_promise_;
    LoopTimer* open_timer_ = nullptr;   // connect_timeout over the whole opening sequence
    std::optional<HostAddress> counted_host_;   // the host of ConnectOptions::hosts this session counts against
    std::uint64_t next_op_id_ = 0;      // names ops to their timers and signals
    bool kill_pending_ = false;         // a KILL QUERY is on its way: no new op may start
    std::uint64_t kill_generation_ = 0; // tells a late KILL outcome from a current one
    LoopTimer* grace_timer_ = nullptr;  // kill_grace after a KILL QUERY
    LoopTimer* stall_timer_ = nullptr;  // read_timeout / write_timeout watchdog
    TransportStats stall_seen_;         // the transport's counters at the last check
    std::uint64_t read_progress_ms_ = 0;    // uv_now() of the last sign of progress
    std::uint64_t write_progress_ms_ = 0;
    bool reading_paused_ = false;       // an unbuffered result's consumer is behind
    Status closed_reason_;
    std::shared_ptr<ConnectionImpl> busy_self_;
    // Read only with an observer installed: when the opening attempt and the session began.
    ObserverClock::time_point attempt_started_;
    ObserverClock::time_point session_started_;
};

}  // namespace uvmysql::detail

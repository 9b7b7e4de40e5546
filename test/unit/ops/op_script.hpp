// SPDX-License-Identifier: MIT
// OpScript: drives one connection op with scripted bytes, as the runner would, without a socket.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connection/op.hpp"
#include "connection/session_state.hpp"
#include "hex.hpp"
#include "protocol/frame_reader.hpp"

namespace uvmysql::test {

using ByteVec = std::vector<std::uint8_t>;

/// One frame: int<3> length, int<1> sequence id, payload.
inline ByteVec frame(std::uint8_t seq, const ByteVec& payload) {
    ByteVec out{static_cast<std::uint8_t>(payload.size()), static_cast<std::uint8_t>(payload.size() >> 8),
                static_cast<std::uint8_t>(payload.size() >> 16), seq};
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

/// The error a failed I/O step reports (what the transport says when the peer goes away).
inline detail::Status injected_network_error() {
    return detail::Status::client(detail::cr::server_lost, "Lost connection to MySQL server (injected)");
}

/// A script of the exchange one op must have with the server, in the spirit of Boost.MySQL's
/// algo tests. Each step is one I/O step of the runner: the op writes (the bytes it appended
/// to SessionState::out since the last step, frame headers included), reads one message, or
/// upgrades to TLS. Example:
///
///     OpScript(session)
///         .expect_write(frame(0, hex("0e")))    // COM_PING
///         .expect_read(frame(1, ok_payload))    // one message per read step
///         .check(op);                           // the op must end with Action::done
///
/// check_network_errors() reruns the script once per I/O step, failing that step, and checks
/// the op ends with Action::fail carrying the injected error (the runner then closes the
/// session: it is broken) and nothing after that step is written.
class OpScript {
public:
    using OpFactory = std::function<std::unique_ptr<detail::Op>()>;

    explicit OpScript(const detail::SessionState& session) : initial_(session) {}

    /// The op writes exactly these bytes (one or more framed messages) as one write step.
    OpScript& expect_write(ByteVec bytes) {
        steps_.push_back({Step::write, std::move(bytes), {}});
        return *this;
    }
    /// The op writes one step whose bytes `check` inspects (with EXPECT_*): for messages that
    /// vary by host, such as the login's connection attributes.
    OpScript& expect_write(std::function<void(const ByteVec&)> check) {
        steps_.push_back({Step::write, {}, std::move(check)});
        return *this;
    }
    /// The op writes one step checked by `check`, then asks for the TLS upgrade.
    OpScript& expect_tls(std::function<void(const ByteVec&)> check) {
        steps_.push_back({Step::tls, {}, std::move(check)});
        return *this;
    }
    /// The server sends these framed bytes: each complete message is one read step.
    OpScript& expect_read(ByteVec frames) {
        steps_.push_back({Step::read, std::move(frames), {}});
        return *this;
    }
    /// The op writes these bytes (the SSLRequest) and asks for the TLS upgrade.
    OpScript& expect_tls(ByteVec bytes) {
        steps_.push_back({Step::tls, std::move(bytes), {}});
        return *this;
    }
    /// The op writes these bytes and closes the session (COM_QUIT).
    OpScript& expect_close(ByteVec bytes) {
        steps_.push_back({Step::close, std::move(bytes), {}});
        return *this;
    }

    /// Runs `op` through the script; it must end with Action::done (then finish() resolves it).
    /// Returns the session as the op left it.
    detail::SessionState check(detail::Op& op) {
        detail::SessionState s = initial_;
        const Outcome out = run(op, s, no_failure);
        const bool closes = !steps_.empty() && steps_.back().kind == Step::close;
        EXPECT_EQ(out.action, closes ? detail::Action::close : detail::Action::done)
            << "the op ended with " << name(out.action) << " after step " << out.steps << ": "
            << op.fatal_error().message;
        EXPECT_EQ(out.steps, total_steps()) << "the op ended before the script did";
        if (out.action == detail::Action::done || out.action == detail::Action::close) op.finish();
        if (out.action == detail::Action::fail) op.fail(op.fatal_error());
        return s;
    }
    /// Runs `op` through the script; it must end with Action::fail with `errno_code` (the runner
    /// closes the session and fails every op with that error). Returns that error.
    detail::Status check_fails(detail::Op& op, int errno_code) {
        detail::SessionState s = initial_;
        const Outcome out = run(op, s, no_failure);
        EXPECT_EQ(out.action, detail::Action::fail) << "the op ended with " << name(out.action);
        EXPECT_EQ(out.steps, total_steps()) << "the op ended before the script did";
        EXPECT_EQ(op.fatal_error().errno_code, errno_code) << op.fatal_error().message;
        if (out.action == detail::Action::fail) op.fail(op.fatal_error());
        if (out.action == detail::Action::done) op.finish();
        return op.fatal_error();
    }
    /// Reruns the script with a new op from `make` once per I/O step, failing that step. Each
    /// run must end at once with Action::fail and the injected error; the op is then failed as
    /// the runner fails it. Returns the number of steps failed.
    std::size_t check_network_errors(const OpFactory& make) {
        const std::size_t n = total_steps();
        for (std::size_t i = 0; i < n; ++i) {
            SCOPED_TRACE("failing I/O step " + std::to_string(i));
            auto op = make();
            detail::SessionState s = initial_;
            const Outcome out = run(*op, s, i);
            EXPECT_EQ(out.action, detail::Action::fail) << "the op ended with " << name(out.action);
            EXPECT_EQ(out.steps, i) << "the failure did not end the op at its step";
            EXPECT_EQ(op->fatal_error().errno_code, detail::cr::server_lost);
            EXPECT_EQ(op->fatal_error().message, injected_network_error().message);
            if (out.action == detail::Action::fail) op->fail(op->fatal_error());
        }
        return n;
    }

private:
    struct Step {
        enum Kind { write, read, tls, close } kind;
        ByteVec bytes;
        std::function<void(const ByteVec&)> check;   // instead of comparing with `bytes`
    };
    struct Outcome {
        detail::Action action;
        std::size_t steps;   // I/O steps carried out (the failed one not counted)
    };
    static constexpr std::size_t no_failure = static_cast<std::size_t>(-1);

    static const char* name(detail::Action a) {
        switch (a) {
            case detail::Action::write: return "write";
            case detail::Action::read: return "read";
            case detail::Action::tls_handshake: return "tls_handshake";
            case detail::Action::close: return "close";
            case detail::Action::done: return "done";
            case detail::Action::fail: return "fail";
        }
        return "?";
    }

    /// Messages in a read step's bytes: a frame of 0xFFFFFF bytes continues the message.
    static std::size_t messages_in(const ByteVec& frames) {
        std::size_t n = 0;
        for (std::size_t pos = 0; pos + 4 <= frames.size();) {
            const std::size_t len = frames[pos] | frames[pos + 1] << 8 | frames[pos + 2] << 16;
            if (len < detail::max_frame_payload) ++n;
            pos += 4 + len;
        }
        return n;
    }

    [[nodiscard]] std::size_t total_steps() const {
        std::size_t n = 0;
        for (const Step& st : steps_) n += st.kind == Step::read ? messages_in(st.bytes) : st.kind == Step::close ? 0 : 1;
        return n;
    }

    /// What ConnectionImpl does, with the script as the transport.
    Outcome run(detail::Op& op, detail::SessionState& s, std::size_t fail_at) {
        using detail::Action;
        s.seq = 0;
        std::size_t done_steps = 0;
        Action a = op.resume(s, {}, {});
        // One I/O step: fails it when its turn came, else resumes the op with its outcome. A
        // write's outcome is not reported: the op waits for the reply (a failed write is).
        auto io_step = [&](detail::Bytes message, bool is_write = false) -> bool {
            if (done_steps == fail_at) {
                a = op.resume(s, injected_network_error(), {});
                return false;
            }
            ++done_steps;
            a = is_write ? Action::read : op.resume(s, {}, message);
            return true;
        };
        for (const Step& step : steps_) {
            if (a == Action::done || a == Action::fail) break;
            switch (step.kind) {
                case Step::write:
                case Step::tls:
                case Step::close: {
                    const Action want = step.kind == Step::write ? Action::write
                                        : step.kind == Step::tls ? Action::tls_handshake
                                                                 : Action::close;
                    EXPECT_EQ(a, want) << "step " << done_steps << ": the op asked for " << name(a);
                    if (a != want) return {a, done_steps};
                    if (step.check) {
                        SCOPED_TRACE("write at step " + std::to_string(done_steps));
                        step.check(s.out);
                    } else {
                        EXPECT_EQ(s.out, step.bytes) << "step " << done_steps << ": the op wrote other bytes";
                    }
                    s.out.clear();
                    // Closing ends the op whatever the write does: no I/O step to fail.
                    if (step.kind == Step::close) return {a, done_steps};
                    if (step.kind == Step::tls && done_steps != fail_at) s.secure_channel = true;
                    if (!io_step({}, step.kind == Step::write)) return {a, done_steps};
                    break;
                }
                case Step::read: {
                    detail::FrameReader reader;
                    reader.feed(step.bytes);
                    detail::Message msg;
                    while (reader.buffered() > 0) {
                        if (a == Action::done || a == Action::fail) return {a, done_steps};
                        EXPECT_EQ(a, Action::read) << "step " << done_steps << ": the op asked for " << name(a);
                        if (a != Action::read) return {a, done_steps};
                        reader.set_expected_seq(s.seq);
                        const auto r = reader.next(msg);
                        EXPECT_EQ(r, detail::FrameReader::Result::message)
                            << "step " << done_steps << ": " << reader.error().message;
                        if (r != detail::FrameReader::Result::message) return {Action::fail, done_steps};
                        s.seq = reader.expected_seq();
                        if (!io_step(msg.payload)) return {a, done_steps};
                    }
                    break;
                }
            }
        }
        return {a, done_steps};
    }

    detail::SessionState initial_;
    std::vector<Step> steps_;
};

}  // namespace uvmysql::test

// SPDX-License-Identifier: MIT
#include "connection/simple_command_op.hpp"

#include "common/status_error.hpp"
#include "protocol/commands.hpp"

namespace uvmysql::detail {

Action SimpleCommandOp::step(SessionState& s, Bytes message) {
    switch (state_) {
        case State::start:
            s.send([&](std::vector<std::uint8_t>& out) {
                switch (kind_) {
                    case Kind::ping: serialize_com_ping(out); break;
                    case Kind::init_db: serialize_com_init_db(out, arg_); break;
                    case Kind::reset_connection: serialize_com_reset_connection(out); break;
                }
            });
            state_ = State::reading;
            return Action::write;
        case State::reading:
            break;
    }
    switch (classify_command_response(message)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(message, s.capabilities, ok); !st.ok()) return fail_with(std::move(st));
            s.apply_ok(ok);
            if (kind_ == Kind::init_db) s.db = arg_;
            return Action::done;
        }
        case ResponseKind::err:
            error_ = parse_err_packet(message, s.capabilities);
            // A malformed ERR (no errno) is not the command's error: the stream is broken.
            return error_.from_server ? Action::done : fail_with(error_);
        default:
            return fail_with(Status::malformed("unexpected reply to a command"));
    }
}

void SimpleCommandOp::finish() {
    if (error_.ok()) {
        promise_.set_value();
    } else {
        promise_.set_exception(to_exception(error_));
    }
}

void SimpleCommandOp::fail(const Status& st) { promise_.set_exception(to_exception(st)); }

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
#include "connection/ok_reply_op.hpp"

#include "common/status_error.hpp"

namespace uvmysql::detail {

Action OkReplyOp::read_reply(SessionState& s, Bytes message) {
    switch (classify_command_response(message)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(message, s.capabilities, ok); !st.ok()) return fail_with(std::move(st));
            on_ok(s, ok);
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

void OkReplyOp::finish() {
    if (error_.ok()) {
        promise_.set_value();
    } else {
        promise_.set_exception(to_exception(error_));
    }
}

void OkReplyOp::fail(const Status& st) { promise_.set_exception(to_exception(st)); }

}  // namespace uvmysql::detail

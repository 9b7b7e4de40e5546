// SPDX-License-Identifier: MIT
#include "connection/stmt_command_op.hpp"

#include "common/status_error.hpp"
#include "protocol/response.hpp"

namespace uvmysql::detail {

Action StmtCommandOp::step(SessionState& s, Bytes message) {
    if (!written_) {
        written_ = true;
        s.send([&](std::vector<std::uint8_t>& out) { out.insert(out.end(), payload_.begin(), payload_.end()); });
        payload_ = {};   // a long data chunk may be large: not kept until the op is resolved
        return reply_ == Reply::none ? Action::done : Action::write;
    }
    switch (classify_command_response(message)) {
        case ResponseKind::ok: {
            OkPacket ok;
            if (auto st = parse_ok_packet(message, s.capabilities, ok); !st.ok()) return fail_with(std::move(st));
            s.status = ok.status_flags;
            return Action::done;
        }
        case ResponseKind::err:
            error_ = parse_err_packet(message, s.capabilities);
            // A malformed ERR (no errno) is not the command's error: the stream is broken.
            return error_.from_server ? Action::done : fail_with(error_);
        default:
            return fail_with(Status::malformed("unexpected reply to a statement command"));
    }
}

void StmtCommandOp::finish() {
    if (error_.ok()) {
        promise_.set_value();
    } else {
        promise_.set_exception(to_exception(error_));
    }
}

void StmtCommandOp::fail(const Status& st) { promise_.set_exception(to_exception(st)); }

}  // namespace uvmysql::detail

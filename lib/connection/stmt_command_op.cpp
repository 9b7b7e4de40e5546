// SPDX-License-Identifier: MIT
#include "connection/stmt_command_op.hpp"

namespace uvmysql::detail {

Action StmtCommandOp::step(SessionState& s, Bytes message) {
    if (!written_) {
        written_ = true;
        s.send([&](std::vector<std::uint8_t>& out) { out.insert(out.end(), payload_.begin(), payload_.end()); });
        payload_ = {};   // a long data chunk may be large: not kept until the op is resolved
        return reply_ == Reply::none ? Action::done : Action::write;
    }
    return read_reply(s, message);
}

}  // namespace uvmysql::detail

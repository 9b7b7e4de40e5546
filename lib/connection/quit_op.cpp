// SPDX-License-Identifier: MIT
#include "connection/quit_op.hpp"

#include "protocol/commands.hpp"

namespace uvmysql::detail {

Action QuitOp::step(SessionState& s, Bytes) {
    if (written_) return fail_with(Status::malformed("reply to COM_QUIT"));
    written_ = true;
    s.send([](std::vector<std::uint8_t>& out) { serialize_com_quit(out); });
    return Action::close;
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
#include "connection/simple_command_op.hpp"

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
    return read_reply(s, message);
}

void SimpleCommandOp::on_ok(SessionState& s, const OkPacket& ok) {
    s.apply_ok(ok);
    if (kind_ == Kind::init_db) s.db = arg_;
}

}  // namespace uvmysql::detail

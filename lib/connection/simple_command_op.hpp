// SPDX-License-Identifier: MIT
// SimpleCommandOp: a one-packet command answered by OK or ERR (COM_PING, COM_INIT_DB, COM_RESET_CONNECTION).
#pragma once

#include <string>

#include "connection/ok_reply_op.hpp"

namespace uvmysql::detail {

/// Flow: write the command -> read OK (the session takes its values; COM_INIT_DB also the new
/// schema) or ERR (the op's outcome) -> done.
class SimpleCommandOp final : public OkReplyOp {
public:
    enum class Kind { ping, init_db, reset_connection };
    explicit SimpleCommandOp(Kind kind, std::string arg = {}) : kind_(kind), arg_(std::move(arg)) {}

    [[nodiscard]] std::size_t request_size() const override { return 1 + arg_.size(); }

private:
    enum class State { start, reading };

    Action step(SessionState& s, Bytes message) override;
    void on_ok(SessionState& s, const OkPacket& ok) override;

    Kind kind_;
    std::string arg_;
    State state_ = State::start;
};

}  // namespace uvmysql::detail

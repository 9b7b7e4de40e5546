// SPDX-License-Identifier: MIT
// StmtCommandOp: a prepared-statement command without a result set (RESET, CLOSE, SEND_LONG_DATA).
#pragma once

#include <cstdint>
#include <vector>

#include "connection/ok_reply_op.hpp"

namespace uvmysql::detail {

/// Sends one prebuilt command payload. COM_STMT_RESET is answered by OK or ERR; COM_STMT_CLOSE
/// and COM_STMT_SEND_LONG_DATA are not answered at all, so the op is done as soon as its bytes
/// are queued (the runner flushes them before the next command starts).
///
/// Flow: write -> [read OK | ERR] -> done.
class StmtCommandOp final : public OkReplyOp {
public:
    enum class Reply { none, ok_or_err };
    StmtCommandOp(std::vector<std::uint8_t> payload, Reply reply) : payload_(std::move(payload)), reply_(reply) {}

    [[nodiscard]] std::size_t request_size() const override { return payload_.size(); }

private:
    Action step(SessionState& s, Bytes message) override;
    /// COM_STMT_RESET's OK changes the status only: the last statement's counters stay.
    void on_ok(SessionState& s, const OkPacket& ok) override { s.status = ok.status_flags; }

    std::vector<std::uint8_t> payload_;
    Reply reply_;
    bool written_ = false;
};

}  // namespace uvmysql::detail

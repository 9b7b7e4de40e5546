// SPDX-License-Identifier: MIT
// OkReplyOp: the part every command answered by OK or ERR shares (reading that reply, and the
// Future<void> it resolves).
#pragma once

#include "connection/op.hpp"
#include "protocol/response.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Base of the ops whose command has no result set: SimpleCommandOp, StmtCommandOp.
class OkReplyOp : public Op {
public:
    [[nodiscard]] Future<void> get_future() { return promise_.get_future(); }
    void finish() override;
    void fail(const Status& st) override;

protected:
    /// Reads the reply: an OK is handed to on_ok() and the op is done; an ERR is the op's
    /// outcome and the op is done (the session goes on); anything else, or an ERR without an
    /// errno, breaks the stream.
    Action read_reply(SessionState& s, Bytes message);
    /// What the session takes from the OK.
    virtual void on_ok(SessionState& s, const OkPacket& ok) = 0;

private:
    Status error_;
    Promise<void> promise_;
};

}  // namespace uvmysql::detail

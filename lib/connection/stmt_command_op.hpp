// SPDX-License-Identifier: MIT
// StmtCommandOp: a prepared-statement command without a result set (RESET, CLOSE, SEND_LONG_DATA).
#pragma once

#include <cstdint>
#include <vector>

#include "connection/op.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Sends one prebuilt command payload. COM_STMT_RESET is answered by OK or ERR; COM_STMT_CLOSE
/// and COM_STMT_SEND_LONG_DATA are not answered at all, so the op is done as soon as its bytes
/// are queued (the runner flushes them before the next command starts).
///
/// Flow: write -> [read OK | ERR] -> done.
class StmtCommandOp final : public Op {
public:
    enum class Reply { none, ok_or_err };
    StmtCommandOp(std::vector<std::uint8_t> payload, Reply reply) : payload_(std::move(payload)), reply_(reply) {}
    [[nodiscard]] Future<void> get_future() { return promise_.get_future(); }

    [[nodiscard]] std::size_t request_size() const override { return payload_.size(); }
    void finish() override;
    void fail(const Status& st) override;

private:
    Action step(SessionState& s, Bytes message) override;

    std::vector<std::uint8_t> payload_;
    Reply reply_;
    bool written_ = false;
    Status error_;
    Promise<void> promise_;
};

}  // namespace uvmysql::detail

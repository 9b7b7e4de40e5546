// SPDX-License-Identifier: MIT
// QuitOp: COM_QUIT, then the session closes (the server sends nothing back).
#pragma once

#include "connection/op.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Flow: write COM_QUIT -> close. Resolves once the session is closed, also when it was lost
/// first: closing was the goal.
class QuitOp final : public Op {
public:
    [[nodiscard]] Future<void> get_future() { return promise_.get_future(); }
    void finish() override { promise_.set_value(); }
    void fail(const Status&) override { promise_.set_value(); }

private:
    Action step(SessionState& s, Bytes) override;

    bool written_ = false;
    Promise<void> promise_;
};

}  // namespace uvmysql::detail

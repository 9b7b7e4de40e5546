// SPDX-License-Identifier: MIT
// DeferContinuations: no user code runs until the library has finished a state change.
#pragma once

namespace uvmysql::detail {

/// Takes the thread's run queue for a scope: continuations of promises fulfilled inside it are
/// queued, and run when the outermost scope (or continuation) ends. Put one at each entry point
/// that changes a connection's state and fulfils promises on the way (a transport callback,
/// close()): a continuation that calls back into the connection (ping(true) from a failure
/// handler) then finds it consistent, never half-way through a close.
class DeferContinuations {
public:
    DeferContinuations() noexcept;
    ~DeferContinuations();
    DeferContinuations(const DeferContinuations&) = delete;
    DeferContinuations& operator=(const DeferContinuations&) = delete;

private:
    bool outermost_;
};

}  // namespace uvmysql::detail

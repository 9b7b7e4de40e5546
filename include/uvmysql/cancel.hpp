// SPDX-License-Identifier: MIT
// CancelSignal: cancels the statements and pool waits bound to it.
#pragma once

#include <memory>

#include "uvmysql/export.hpp"

namespace uvmysql {

namespace detail {
class CancelState;
struct Access;
}  // namespace detail

/// A cancellation handle. Bind it to what may need cancelling — a cursor's statements
/// (Cursor::set_cancel_signal()), a pool wait (Pool::acquire(signal)) — then call cancel():
/// a statement still queued is removed and never sent, the running one is interrupted with
/// KILL QUERY (its connection stays usable), a pool wait leaves the queue; each fails with
/// CancelledError. Operations bound after cancel() fail at once. Being a plain handle, it works
/// the same for `.then()` chains and `co_await`. Copies share the signal; use it on the loop
/// thread.
class UVMYSQL_API CancelSignal {
public:
    /// A new signal, not cancelled.
    CancelSignal();
    /// Cancels what is bound to the signal and has not ended yet. Idempotent.
    void cancel();
    /// True once cancel() was called.
    [[nodiscard]] bool cancelled() const noexcept;

private:
    friend struct detail::Access;   // the layers bind operations to the state
    std::shared_ptr<detail::CancelState> state_;
};

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
#include "async/cancel_state.hpp"
#include "uvmysql/cancel.hpp"

namespace uvmysql {

CancelSignal::CancelSignal() : state_(std::make_shared<detail::CancelState>()) {}
void CancelSignal::cancel() { state_->cancel(); }
bool CancelSignal::cancelled() const noexcept { return state_->cancelled(); }

}  // namespace uvmysql

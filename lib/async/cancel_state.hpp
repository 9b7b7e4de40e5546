// SPDX-License-Identifier: MIT
// CancelState: what the copies of one CancelSignal share — the flag and who to tell.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "uvmysql/detail/unique_function.hpp"

namespace uvmysql::detail {

/// The operations bound to one CancelSignal subscribe here; cancel() tells each of them once.
class CancelState {
public:
    [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }
    /// `fn` runs when cancel() is called (never when it already was: check cancelled() first).
    /// Returns the key for unsubscribe().
    std::uint64_t subscribe(UniqueFunction<void()> fn) {
        subscribers_.emplace_back(++last_key_, std::move(fn));
        return last_key_;
    }
    /// The operation ended: no call any more. Unknown keys are ignored.
    void unsubscribe(std::uint64_t key) noexcept {
        for (auto it = subscribers_.begin(); it != subscribers_.end(); ++it) {
            if (it->first == key) {
                subscribers_.erase(it);
                return;
            }
        }
    }
    void cancel() {
        if (cancelled_) return;
        cancelled_ = true;
        for (auto& [key, fn] : std::exchange(subscribers_, {})) fn();
    }

private:
    bool cancelled_ = false;
    std::uint64_t last_key_ = 0;
    std::vector<std::pair<std::uint64_t, UniqueFunction<void()>>> subscribers_;
};

}  // namespace uvmysql::detail

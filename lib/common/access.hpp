// SPDX-License-Identifier: MIT
// Access: how the layers inside the library reach what public handles keep private.
#pragma once

#include <memory>
#include <utility>

#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

/// The one friend of the public handles: the session behind a Connection, the state behind
/// the other handles, and the constructors only the library may call. Not installed, so users
/// cannot reach them.
struct Access {
    static const std::shared_ptr<ConnectionImpl>& impl(const Connection& c) noexcept { return c.impl_; }
    /// A handle made with its private constructor (Connection from its session, Pool from its
    /// state, a Transaction from its node...).
    template <class Handle, class... Args>
    static Handle make(Args&&... args) {
        return Handle(std::forward<Args>(args)...);
    }
    /// The shared state behind a handle (cursors, ResultProxy).
    template <class Handle>
    static const auto& state(const Handle& h) noexcept {
        return h.state_;
    }
};

}  // namespace uvmysql::detail

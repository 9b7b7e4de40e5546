// SPDX-License-Identifier: MIT
// Access: how the layers inside the library reach what public handles keep private.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "uvmysql/connection.hpp"
#include "uvmysql/pool.hpp"

namespace uvmysql::detail {

/// The one friend of the public handles: the session behind a Connection, and the
/// constructors only the library may call. Not installed, so users cannot reach them.
struct Access {
    static const std::shared_ptr<ConnectionImpl>& impl(const Connection& c) noexcept { return c.impl_; }
    static Connection connection(std::shared_ptr<ConnectionImpl> impl) { return Connection(std::move(impl)); }
    static PooledConnection pooled(std::shared_ptr<PoolState> pool, Connection conn, std::uint64_t id) noexcept {
        return PooledConnection(std::move(pool), std::move(conn), id);
    }
};

}  // namespace uvmysql::detail

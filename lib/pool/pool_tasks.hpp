// SPDX-License-Identifier: MIT
// The pool's background coroutines: open a member, ping one before hand-out, clean one on return.
#pragma once

#include <cstdint>
#include <memory>

#include "uvmysql/connection.hpp"
#include "uvmysql/task.hpp"

namespace uvmysql::detail {

class PoolState;

/// Opens one connection with the pool's options; reports through PoolState::opened().
Task<void> open_member(std::shared_ptr<PoolState> pool);

/// Pings member `id` (bounded by connect_timeout); reports through PoolState::validated().
Task<void> validate_member(std::shared_ptr<PoolState> pool, std::uint64_t id, Connection conn);

/// Makes a returned member reusable: waits for commands the borrower left queued, rolls back an
/// open transaction, resets the session when the pool asks for it. Reports through
/// PoolState::cleaned().
Task<void> clean_member(std::shared_ptr<PoolState> pool, std::uint64_t id, Connection conn);

/// COM_RESET_CONNECTION, then the connect options that live in the session are applied again
/// (charset, sql_mode, init_command, autocommit, database), as on a fresh connection.
Task<void> reset_session(Connection conn);

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// kill_query: interrupts a session's running statement from a short-lived second connection.
#pragma once

#include <cstdint>

#include "uvmysql/future.hpp"
#include "uvmysql/options.hpp"

struct uv_loop_s;

namespace uvmysql::detail {

/// Opens a connection with `options` (their own timeouts replaced by kill_grace, no
/// init_command), sends `KILL QUERY thread_id`, and closes it. Resolves once the server has
/// answered; fails with connect()'s or the server's error.
Future<void> kill_query(uv_loop_s* loop, ConnectOptions options, std::uint32_t thread_id);

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// The statements that set a session up after login: sql_mode, init_command, autocommit.
#pragma once

namespace uvmysql::detail {

class ConnectionImpl;

/// Queues the setup ops of the opening sequence, as PyMySQL's connect() runs them:
/// `SET sql_mode=...` when sql_mode is set, then init_command (followed by COMMIT), then
/// `SET AUTOCOMMIT=...` when the option asks for a mode the server did not report.
/// A server error in any of them fails connect() and closes the connection.
void queue_session_setup(ConnectionImpl& conn);

}  // namespace uvmysql::detail

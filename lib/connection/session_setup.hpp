// SPDX-License-Identifier: MIT
// The statements that set a session up after login: sql_mode, init_command, autocommit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connection/op.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql::detail {

/// The setup ops of the opening sequence, in order, as PyMySQL's connect() runs them:
/// `SET sql_mode=...` when sql_mode is set, then init_command (followed by COMMIT), then
/// `SET AUTOCOMMIT=...` when the option asks for a mode the server did not report.
/// A server error in any of them fails connect() and closes the connection.
/// With several hosts and galera_check, a Galera check comes first: a node that is not Synced
/// fails the open (the next host is tried).
std::vector<std::unique_ptr<Op>> session_setup_ops(const ConnectOptions& opt);

/// The statements of that setup that do not depend on the server's answer: sql_mode, then
/// init_command and COMMIT. Connection::reset_connection() runs them again.
std::vector<std::string> session_setup_statements(const ConnectOptions& opt);

}  // namespace uvmysql::detail

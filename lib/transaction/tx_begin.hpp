// SPDX-License-Identifier: MIT
// Starting a transaction on the server: shared by begin(), begin_nested() and begin_twophase().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "transaction/tx_node.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql::detail {

/// Makes `node` the innermost transaction of its connection at once (so that a begin() issued
/// before this one resolves goes inside it), sends `statements` in order and resolves to `node`.
/// When they fail, `node` is marked as never begun and the previous innermost transaction is
/// the innermost again; the error is handed on.
Future<std::shared_ptr<TxNode>> start(std::shared_ptr<TxNode> node, std::vector<std::string> statements);

/// InterfaceError for begin*() on a Connection handle that has no session object.
std::exception_ptr not_connected_error();

}  // namespace uvmysql::detail

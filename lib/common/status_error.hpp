// SPDX-License-Identifier: MIT
// Status -> exception: the one place where an internal Status becomes a PEP 249 error.
#pragma once

#include <exception>

#include "common/status.hpp"

namespace uvmysql::detail {

/// The exception a failed future carries for `st` (server errnos via PyMySQL's table).
[[nodiscard]] std::exception_ptr to_exception(const Status& st);

}  // namespace uvmysql::detail

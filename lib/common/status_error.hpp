// SPDX-License-Identifier: MIT
// Status -> exception: the one place where an internal Status becomes a PEP 249 error.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "common/status.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

/// The exception a failed future carries for `st` (server errnos via PyMySQL's table).
[[nodiscard]] std::exception_ptr to_exception(const Status& st);

/// The other way, for an Error thrown on the loop where a Status must carry it (a user
/// converter, a typed row): same errno, SQLSTATE, message and class.
[[nodiscard]] Status to_status(const Error& e);

/// The PEP 249 class of the exception to_exception(st) makes (an Observer's ErrorInfo).
[[nodiscard]] ErrorClass error_class(const Status& st) noexcept;

/// "There is no connection" (closed, destroyed, never opened): InterfaceError, errno 0,
/// SQLSTATE 08003 (connection does not exist), which is how is_fatal() recognises it.
[[nodiscard]] inline Status connection_gone(std::string message) {
    Status st = Status::client(0, std::move(message), ClientKind::interface);
    st.sqlstate = "08003";
    return st;
}

}  // namespace uvmysql::detail

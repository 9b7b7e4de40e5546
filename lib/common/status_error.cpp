// SPDX-License-Identifier: MIT
#include "common/status_error.hpp"

#include "uvmysql/error.hpp"

namespace uvmysql::detail {

namespace {
ErrorClass client_class(ClientKind kind) {
    switch (kind) {
        case ClientKind::operational: return ErrorClass::operational;
        case ClientKind::interface: return ErrorClass::interface;
        case ClientKind::programming: return ErrorClass::programming;
        case ClientKind::not_supported: return ErrorClass::not_supported;
        case ClientKind::data: return ErrorClass::data;
        case ClientKind::internal: return ErrorClass::internal;
        case ClientKind::outcome_unknown:
        case ClientKind::timeout: return ErrorClass::operational;
    }
    return ErrorClass::operational;
}

ClientKind kind_of(ErrorClass cls) noexcept {
    switch (cls) {
        case ErrorClass::interface: return ClientKind::interface;
        case ErrorClass::programming: return ClientKind::programming;
        case ErrorClass::operational: return ClientKind::operational;
        case ErrorClass::not_supported: return ClientKind::not_supported;
        case ErrorClass::internal: return ClientKind::internal;
        case ErrorClass::data:
        case ErrorClass::database:
        case ErrorClass::integrity: return ClientKind::data;
    }
    return ClientKind::data;
}
}  // namespace

Status to_status(const Error& e) {
    Status st = Status::client(e.errno_code(), e.message(), kind_of(error_class_of(e)));
    if (!e.sqlstate().empty()) st.sqlstate = e.sqlstate();
    return st;
}

ErrorClass error_class(const Status& st) noexcept {
    return st.from_server ? classify_server_errno(st.errno_code) : client_class(st.client_kind);
}

std::exception_ptr to_exception(const Status& st) {
    if (st.errno_code == er::statement_timeout || st.errno_code == er::query_timeout) {
        return std::make_exception_ptr(QueryTimeoutError(st.errno_code, st.sqlstate, st.message));
    }
    // Only our own cancellation: a KILL QUERY from elsewhere stays a plain OperationalError.
    if (st.errno_code == er::query_interrupted && !st.from_server) {
        return std::make_exception_ptr(CancelledError(st.errno_code, st.sqlstate, st.message));
    }
    if (!st.from_server && st.client_kind == ClientKind::timeout) {
        return std::make_exception_ptr(TimeoutError(st.errno_code, "HYT00", st.message));
    }
    if (!st.from_server && st.client_kind == ClientKind::outcome_unknown) {
        return std::make_exception_ptr(OutcomeUnknownError(st.errno_code, st.sqlstate, st.message));
    }
    const ErrorClass cls = st.from_server ? classify_server_errno(st.errno_code) : client_class(st.client_kind);
    return make_error(cls, st.errno_code, st.sqlstate.empty() ? "HY000" : st.sqlstate, st.message);
}

}  // namespace uvmysql::detail

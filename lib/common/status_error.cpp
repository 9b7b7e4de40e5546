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
        case ClientKind::outcome_unknown: return ErrorClass::operational;
    }
    return ErrorClass::operational;
}
}  // namespace

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
    if (!st.from_server && st.client_kind == ClientKind::outcome_unknown) {
        return std::make_exception_ptr(OutcomeUnknownError(st.errno_code, st.sqlstate, st.message));
    }
    const ErrorClass cls = st.from_server ? classify_server_errno(st.errno_code) : client_class(st.client_kind);
    return make_error(cls, st.errno_code, st.sqlstate.empty() ? "HY000" : st.sqlstate, st.message);
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// The error classes and PyMySQL's server errno -> class table.
#include "uvmysql/error.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace uvmysql {

namespace {

std::string describe(int errno_code, const std::string& sqlstate, const std::string& message) {
    if (errno_code == 0) return message;
    return "ERROR " + std::to_string(errno_code) + " (" + sqlstate + "): " + message;
}

struct ErrnoClass {
    int errno_code;
    ErrorClass cls;
};

// From PyMySQL's err.py (_map_error calls); everything else is decided by the number range.
// Deliberate differences, listed in docs/connection.md: 4025 (a CHECK constraint failed) is an
// IntegrityError, as its SQLSTATE 23000 says, where PyMySQL raises OperationalError; the XA
// state errors and 1568 at the end are ProgrammingError (docs/transaction.md).
constexpr std::array errno_table{
    ErrnoClass{1007, ErrorClass::programming},    // DB_CREATE_EXISTS
    ErrnoClass{1064, ErrorClass::programming},    // PARSE_ERROR
    ErrnoClass{1102, ErrorClass::programming},    // WRONG_DB_NAME
    ErrnoClass{1103, ErrorClass::programming},    // WRONG_TABLE_NAME
    ErrnoClass{1110, ErrorClass::programming},    // FIELD_SPECIFIED_TWICE
    ErrnoClass{1111, ErrorClass::programming},    // INVALID_GROUP_FUNC_USE
    ErrnoClass{1112, ErrorClass::programming},    // UNSUPPORTED_EXTENSION
    ErrnoClass{1113, ErrorClass::programming},    // TABLE_MUST_HAVE_COLUMNS
    ErrnoClass{1146, ErrorClass::programming},    // NO_SUCH_TABLE
    ErrnoClass{1149, ErrorClass::programming},    // SYNTAX_ERROR
    ErrnoClass{1166, ErrorClass::programming},    // WRONG_COLUMN_NAME
    ErrnoClass{1179, ErrorClass::programming},    // CANT_DO_THIS_DURING_AN_TRANSACTION
    ErrnoClass{1171, ErrorClass::data},           // PRIMARY_CANT_HAVE_NULL
    ErrnoClass{1230, ErrorClass::data},           // NO_DEFAULT
    ErrnoClass{1263, ErrorClass::data},           // WARN_NULL_TO_NOTNULL
    ErrnoClass{1264, ErrorClass::data},           // WARN_DATA_OUT_OF_RANGE
    ErrnoClass{1265, ErrorClass::data},           // WARN_DATA_TRUNCATED
    ErrnoClass{1366, ErrorClass::data},           // TRUNCATED_WRONG_VALUE_FOR_FIELD
    ErrnoClass{1367, ErrorClass::data},           // ILLEGAL_VALUE_FOR_TYPE
    ErrnoClass{1406, ErrorClass::data},           // DATA_TOO_LONG
    ErrnoClass{1441, ErrorClass::data},           // DATETIME_FUNCTION_OVERFLOW
    ErrnoClass{1048, ErrorClass::integrity},      // BAD_NULL_ERROR
    ErrnoClass{1062, ErrorClass::integrity},      // DUP_ENTRY
    ErrnoClass{1215, ErrorClass::integrity},      // CANNOT_ADD_FOREIGN
    ErrnoClass{1216, ErrorClass::integrity},      // NO_REFERENCED_ROW
    ErrnoClass{1217, ErrorClass::integrity},      // ROW_IS_REFERENCED
    ErrnoClass{1451, ErrorClass::integrity},      // ROW_IS_REFERENCED_2
    ErrnoClass{1452, ErrorClass::integrity},      // NO_REFERENCED_ROW_2
    ErrnoClass{4025, ErrorClass::integrity},      // CONSTRAINT_FAILED (CHECK constraint)
    ErrnoClass{1196, ErrorClass::not_supported},  // WARNING_NOT_COMPLETE_ROLLBACK
    ErrnoClass{1235, ErrorClass::not_supported},  // NOT_SUPPORTED_YET
    ErrnoClass{1286, ErrorClass::not_supported},  // UNKNOWN_STORAGE_ENGINE
    ErrnoClass{1289, ErrorClass::not_supported},  // FEATURE_DISABLED
    ErrnoClass{1040, ErrorClass::operational},    // CON_COUNT_ERROR
    ErrnoClass{1044, ErrorClass::operational},    // DBACCESS_DENIED_ERROR
    ErrnoClass{1045, ErrorClass::operational},    // ACCESS_DENIED_ERROR
    ErrnoClass{1142, ErrorClass::operational},    // TABLEACCESS_DENIED_ERROR
    ErrnoClass{1143, ErrorClass::operational},    // COLUMNACCESS_DENIED_ERROR
    ErrnoClass{1205, ErrorClass::operational},    // LOCK_WAIT_TIMEOUT
    ErrnoClass{1213, ErrorClass::operational},    // LOCK_DEADLOCK
    // uvmysql's additions: statements that the transaction state does not allow are the
    // caller's error, as CANT_DO_THIS_DURING_AN_TRANSACTION (1179) is for PyMySQL.
    ErrnoClass{1397, ErrorClass::programming},    // XAER_NOTA: unknown xid
    ErrnoClass{1398, ErrorClass::programming},    // XAER_INVAL
    ErrnoClass{1399, ErrorClass::programming},    // XAER_RMFAIL: not allowed in the XA state
    ErrnoClass{1400, ErrorClass::programming},    // XAER_OUTSIDE: XA START inside a transaction
    ErrnoClass{1440, ErrorClass::programming},    // XAER_DUPID: the xid exists already
    ErrnoClass{1568, ErrorClass::programming},    // CANT_CHANGE_TX_CHARACTERISTICS
};

template <class E>
std::exception_ptr make(int errno_code, std::string sqlstate, std::string message) {
    return std::make_exception_ptr(E(errno_code, std::move(sqlstate), std::move(message)));
}

}  // namespace

Error::Error(int errno_code, std::string sqlstate, std::string message)
    : std::runtime_error(describe(errno_code, sqlstate, message)),
      errno_(errno_code),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)) {}

ErrorClass classify_server_errno(int errno_code) noexcept {
    const auto* it = std::find_if(errno_table.begin(), errno_table.end(),
                                  [&](const ErrnoClass& e) { return e.errno_code == errno_code; });
    if (it != errno_table.end()) return it->cls;
    return errno_code < 1000 ? ErrorClass::internal : ErrorClass::operational;
}

std::exception_ptr make_error(ErrorClass cls, int errno_code, std::string sqlstate, std::string message) {
    switch (cls) {
        case ErrorClass::interface: return make<InterfaceError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::database: return make<DatabaseError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::data: return make<DataError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::operational: return make<OperationalError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::integrity: return make<IntegrityError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::internal: return make<InternalError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::programming: return make<ProgrammingError>(errno_code, std::move(sqlstate), std::move(message));
        case ErrorClass::not_supported: return make<NotSupportedError>(errno_code, std::move(sqlstate), std::move(message));
    }
    return make<Error>(errno_code, std::move(sqlstate), std::move(message));
}

ErrorClass error_class_of(const Error& e) noexcept {
    if (dynamic_cast<const InterfaceError*>(&e)) return ErrorClass::interface;
    if (dynamic_cast<const DataError*>(&e)) return ErrorClass::data;
    if (dynamic_cast<const OperationalError*>(&e)) return ErrorClass::operational;
    if (dynamic_cast<const IntegrityError*>(&e)) return ErrorClass::integrity;
    if (dynamic_cast<const InternalError*>(&e)) return ErrorClass::internal;
    if (dynamic_cast<const ProgrammingError*>(&e)) return ErrorClass::programming;
    if (dynamic_cast<const NotSupportedError*>(&e)) return ErrorClass::not_supported;
    if (dynamic_cast<const DatabaseError*>(&e)) return ErrorClass::database;
    return ErrorClass::interface;
}

bool is_fatal(const Error& e) noexcept {
    // Client errors say the link is gone or was never made, except two refusals that leave
    // the session as it was: 2014, a command while an SSCursor result is unread, and 2020, a
    // command larger than max_allowed_packet, refused before anything is sent.
    constexpr int cr_commands_out_of_sync = 2014;
    constexpr int cr_net_packet_too_large = 2020;
    const int n = e.errno_code();
    if (n >= 2000 && n < 3000) return n != cr_commands_out_of_sync && n != cr_net_packet_too_large;
    // SQLSTATE class 08 is "connection exception" (08003: no connection, 08S01: link failure).
    if (e.sqlstate().rfind("08", 0) == 0) return true;
    // The server ended the session: ER_CONNECTION_KILLED (MariaDB), ER_SESSION_WAS_KILLED and
    // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8).
    return n == 1927 || n == 3169 || n == 4031;
}

}  // namespace uvmysql

namespace uvmysql {

bool is_retryable(const Error& e) noexcept {
    // 1213 ER_LOCK_DEADLOCK: InnoDB chose the transaction as a deadlock victim, or Galera's
    // certification failed at commit (a conflicting write committed first on another node);
    // either way the whole transaction was rolled back. 1047 ER_UNKNOWN_COM_ERROR is what a
    // Galera node that is not ready (not Primary, not Synced) answers before running anything.
    constexpr int er_lock_deadlock = 1213;
    constexpr int er_unknown_com_error = 1047;
    return e.errno_code() == er_lock_deadlock || e.errno_code() == er_unknown_com_error;
}

}  // namespace uvmysql

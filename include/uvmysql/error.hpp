// SPDX-License-Identifier: MIT
// The PEP 249 exception hierarchy, as PyMySQL and aiomysql name it.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "uvmysql/export.hpp"

namespace uvmysql {

/// Base of every error uvmysql reports. Carries the MySQL errno (server ER_* or client CR_*
/// number; 0 for pure API misuse), the five-character SQLSTATE and the server's message.
/// what() reads like the mysql command line client: "ERROR 1045 (28000): Access denied ...".
class UVMYSQL_API Error : public std::runtime_error {
public:
    /// An error with its MySQL errno (0 when none applies), SQLSTATE and message; what() is
    /// `ERROR errno (sqlstate): message`, or the message alone when errno_code is 0.
    Error(int errno_code, std::string sqlstate, std::string message);
    /// The MySQL errno: a server ER_* number (1000 and up), a client CR_* number (2000 to 2999) or 0.
    [[nodiscard]] int errno_code() const noexcept { return errno_; }
    /// The five-character SQLSTATE, e.g. "42S02" (unknown table) or "HY000" (general error).
    [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
    /// The message alone, without the "ERROR n (state): " prefix that what() adds.
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

private:
    int errno_;
    std::string sqlstate_;
    std::string message_;
};

/// Errors in how uvmysql itself is used (a closed connection or cursor, a bad call).
class UVMYSQL_API InterfaceError : public Error { using Error::Error; };
/// Errors the database reports or causes.
class UVMYSQL_API DatabaseError : public Error { using Error::Error; };
/// A value out of range or of the wrong shape (ER_DATA_TOO_LONG, division by zero...).
class UVMYSQL_API DataError : public DatabaseError { using DatabaseError::DatabaseError; };
/// Trouble with the server or the link to it: lost connection, access denied, timeouts.
class UVMYSQL_API OperationalError : public DatabaseError { using DatabaseError::DatabaseError; };
/// A deadline the caller set passed: with_timeout()'s (errno 2013, the operation's result is
/// lost), ConnectOptions::connect_timeout (2013 during the handshake; 2003, or 2002 on a unix
/// socket, while the connect itself is pending), a pool's acquire_timeout (PoolTimeoutError, errno 0) or
/// query_timeout (QueryTimeoutError). SQLSTATE HYT00 (70100 for QueryTimeoutError). Not the
/// read and write timeouts of an open link: those are lost connections (OperationalError 2013).
class UVMYSQL_API TimeoutError : public OperationalError { using OperationalError::OperationalError; };
/// A statement ran past its time limit and was interrupted: the connection's query_timeout
/// (the library sent KILL QUERY; errno 1969, SQLSTATE 70100) or a limit the server enforces
/// (MariaDB's max_statement_time: 1969; MySQL's MAX_EXECUTION_TIME: 3024). The connection
/// stays usable; whether the statement took effect is unknown, as after any KILL QUERY.
class UVMYSQL_API QueryTimeoutError : public TimeoutError { using TimeoutError::TimeoutError; };
/// An operation was cancelled through its CancelSignal: a statement (errno 1317, SQLSTATE
/// 70100, as a KILL QUERY reports it; the connection stays usable) or a pool wait (errno 0,
/// SQLSTATE HY008, ODBC's "operation canceled").
class UVMYSQL_API CancelledError : public OperationalError { using OperationalError::OperationalError; };
/// The connection was lost (errno 2013) after a statement had been sent and before its reply
/// came: the statement — a COMMIT, an INSERT — may or may not have taken effect on the server.
/// Only the data can tell (read it back, or make the write idempotent). uvmysql never retries
/// such a statement; `is_fatal()` holds (the connection is closed). A statement that was still
/// queued when the link broke was never sent and fails with a plain OperationalError.
class UVMYSQL_API OutcomeUnknownError : public OperationalError { using OperationalError::OperationalError; };
/// A constraint failed: duplicate key, foreign key, NOT NULL.
class UVMYSQL_API IntegrityError : public DatabaseError { using DatabaseError::DatabaseError; };
/// The server's internal state is inconsistent.
class UVMYSQL_API InternalError : public DatabaseError { using DatabaseError::DatabaseError; };
/// Bad SQL or bad arguments: syntax error, unknown table, wrong parameter count.
class UVMYSQL_API ProgrammingError : public DatabaseError { using DatabaseError::DatabaseError; };
/// A feature the server or uvmysql does not support.
class UVMYSQL_API NotSupportedError : public DatabaseError { using DatabaseError::DatabaseError; };

/// A PEP 249 Warning: reported for statements that leave warnings, never thrown by default.
class UVMYSQL_API Warning : public std::runtime_error { using std::runtime_error::runtime_error; };

/// The class an error belongs to, for code that wants to switch instead of catch.
enum class ErrorClass {
    interface, database, data, operational, integrity, internal, programming, not_supported,
};

/// Maps a server errno to its class as PyMySQL's err.py does (unknown numbers: InternalError
/// below 1000, OperationalError otherwise), except that the XA state errors 1397-1400 and 1440
/// and 1568 (transaction characteristics changed inside a transaction) are ProgrammingError.
[[nodiscard]] UVMYSQL_API ErrorClass classify_server_errno(int errno_code) noexcept;

/// Builds the exception of class `cls`, ready for a failed Future.
[[nodiscard]] UVMYSQL_API std::exception_ptr make_error(ErrorClass cls, int errno_code, std::string sqlstate,
                                            std::string message);

/// Which class an exception belongs to (ErrorClass::interface for non-uvmysql exceptions).
[[nodiscard]] UVMYSQL_API ErrorClass error_class_of(const Error& e) noexcept;

/// True when the connection an operation failed on cannot be used any more and should be
/// dropped (a pool does so by itself): the link is lost or was never made (client errors 2000
/// to 2999 but 2014 and 2020), the connection is closed (SQLSTATE 08003), the server reported a
/// connection exception (SQLSTATE class 08: shutdown, aborted connection, network errors) or
/// killed the session (1927 ER_CONNECTION_KILLED, 3169, 4031), or with_timeout() expired
/// (TimeoutError 2013: a late result is still on its way). False for errors that leave the
/// session usable: SQL and data errors, deadlocks and lock wait timeouts (1213, 1205),
/// KILL QUERY (1317), 2014 (an unread SSCursor result: read it or close that cursor), 2020 (a
/// command over max_allowed_packet, refused unsent; a packet that large *from* the server
/// closes the connection, which closed() then tells) and errors that involve no connection
/// (the pool's TimeoutError, API misuse). For a connection at hand, Connection::closed() gives
/// the certain answer.
[[nodiscard]] UVMYSQL_API bool is_fatal(const Error& e) noexcept;

/// True when the whole transaction the error ended was rolled back by the server and running it
/// again from its start may succeed: 1213 (a deadlock, or a Galera certification failure at
/// commit: another node committed a conflicting write first) and 1047 (a Galera node that is
/// not ready refused the statement). The connection stays usable (is_fatal() is false). Retry
/// the whole transaction, not its last statement; uvmysql never retries on its own.
[[nodiscard]] UVMYSQL_API bool is_retryable(const Error& e) noexcept;

}  // namespace uvmysql

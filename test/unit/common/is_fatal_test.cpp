// SPDX-License-Identifier: MIT
// is_fatal(): which errors leave a connection unusable, on representative errors of each kind.
#include <gtest/gtest.h>

#include "common/status_error.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql {
namespace {

TEST(IsFatal, LostOrMissingLinksAreFatal) {
    EXPECT_TRUE(is_fatal(OperationalError(2013, "HY000", "Lost connection to MySQL server during query")));
    EXPECT_TRUE(is_fatal(OperationalError(2006, "HY000", "MySQL server has gone away")));
    EXPECT_TRUE(is_fatal(OperationalError(2003, "HY000", "Can't connect to MySQL server")));
    EXPECT_TRUE(is_fatal(OperationalError(2026, "HY000", "SSL connection error")));
    EXPECT_TRUE(is_fatal(OperationalError(2027, "HY000", "Malformed packet")));
    EXPECT_TRUE(is_fatal(TimeoutError(2013, "HYT00", "operation timed out after 5 ms")));
}

TEST(IsFatal, ConnectionExceptionsAndKilledSessionsAreFatal) {
    EXPECT_TRUE(is_fatal(OperationalError(1053, "08S01", "Server shutdown in progress")));
    EXPECT_TRUE(is_fatal(OperationalError(1927, "70100", "Connection was killed")));
    EXPECT_TRUE(is_fatal(OperationalError(4031, "HY000", "The client was disconnected by the server")));
    const Error gone = [] {
        try {
            std::rethrow_exception(detail::to_exception(detail::connection_gone("Not connected")));
        } catch (const Error& e) {
            return e;
        }
    }();
    EXPECT_EQ(error_class_of(gone), ErrorClass::interface);
    EXPECT_EQ(gone.sqlstate(), "08003");
    EXPECT_TRUE(is_fatal(gone));
}

TEST(IsFatal, AStatementCutOffOnTheWireHasAnUnknownOutcome) {
    detail::Status st = detail::Status::client(2013, "Lost connection to MySQL server (end of stream)");
    st.client_kind = detail::ClientKind::outcome_unknown;
    try {
        std::rethrow_exception(detail::to_exception(st));
    } catch (const OutcomeUnknownError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_EQ(error_class_of(e), ErrorClass::operational);
        EXPECT_TRUE(is_fatal(e));
        EXPECT_FALSE(is_retryable(e));
    } catch (...) {
        ADD_FAILURE() << "not an OutcomeUnknownError";
    }
}

TEST(IsFatal, StatementErrorsAreNot) {
    EXPECT_FALSE(is_fatal(ProgrammingError(1064, "42000", "You have an error in your SQL syntax")));
    EXPECT_FALSE(is_fatal(IntegrityError(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'")));
    EXPECT_FALSE(is_fatal(OperationalError(1213, "40001", "Deadlock found")));
    EXPECT_FALSE(is_fatal(OperationalError(1205, "HY000", "Lock wait timeout exceeded")));
    EXPECT_FALSE(is_fatal(OperationalError(1317, "70100", "Query execution was interrupted")));
    EXPECT_FALSE(is_fatal(DataError(1406, "22001", "Data too long for column")));
}

TEST(IsFatal, ErrorsWithoutABrokenConnectionAreNot) {
    EXPECT_FALSE(is_fatal(ProgrammingError(2014, "HY000", "Commands out of sync")));   // unread SSCursor
    EXPECT_FALSE(is_fatal(OperationalError(2020, "HY000", "Got packet bigger than 'max_allowed_packet'")));
    EXPECT_FALSE(is_fatal(TimeoutError(0, "HYT00", "pool acquire timed out")));       // no connection
    EXPECT_FALSE(is_fatal(ProgrammingError(0, "HY000", "Cursor closed")));
    EXPECT_FALSE(is_fatal(InterfaceError(0, "HY000", "no column named 'x'")));
}

TEST(TimeoutError, IsAnOperationalError) {
    const TimeoutError e(0, "HYT00", "timed out");
    EXPECT_EQ(error_class_of(e), ErrorClass::operational);
    EXPECT_EQ(std::string(e.what()), "timed out");
}

TEST(TimeoutError, AConnectTimeoutIsOneAndFatal) {
    const auto st = detail::Status::client(2013, "Lost connection to MySQL server while connecting (timed out after 5 ms)",
                                           detail::ClientKind::timeout);
    EXPECT_EQ(detail::error_class(st), ErrorClass::operational);
    try {
        std::rethrow_exception(detail::to_exception(st));
    } catch (const TimeoutError& e) {
        EXPECT_EQ(e.errno_code(), 2013);
        EXPECT_EQ(e.sqlstate(), "HYT00");
        EXPECT_EQ(e.message(), st.message);
        EXPECT_TRUE(is_fatal(e));
    }
}

}  // namespace
}  // namespace uvmysql

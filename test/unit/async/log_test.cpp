// SPDX-License-Identifier: MIT
// Tests that failures nobody handled (detached or dropped futures) are logged, and only those.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>
#include <string>

#include "common/logger.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"

namespace {

using uvmysql::Future;
using uvmysql::make_exception_future;
using uvmysql::make_ready_future;
using uvmysql::OperationalError;
using uvmysql::Promise;

// Captures what the "uvmysql" logger writes during one test.
class UnhandledLog : public ::testing::Test {
protected:
    void SetUp() override {
        logger_ = uvmysql::detail::logger();
        ASSERT_NE(logger_, nullptr);
        sink_ = std::make_shared<spdlog::sinks::ostream_sink_st>(out_);
        sink_->set_pattern("%l: %v");
        logger_->sinks().push_back(sink_);
    }
    void TearDown() override {
        auto& sinks = logger_->sinks();
        std::erase(sinks, sink_);
    }
    std::string text() const { return out_.str(); }

    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> logger_;
    std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
};

OperationalError lost() { return OperationalError(2013, "HY000", "Lost connection"); }

TEST_F(UnhandledLog, LoggerIsNamedUvmysql) { EXPECT_EQ(logger_->name(), "uvmysql"); }

TEST_F(UnhandledLog, DetachedFailureIsLogged) {
    make_exception_future<int>(lost()).detach();
    EXPECT_NE(text().find("error: a failed future was dropped without being handled: ERROR 2013 (HY000): "
                          "Lost connection"),
              std::string::npos)
        << text();
}

TEST_F(UnhandledLog, FailureArrivingAfterDetachIsLogged) {
    Promise<void> p;
    p.get_future().then([] {}).detach();
    EXPECT_EQ(text(), "");
    p.set_exception(std::make_exception_ptr(lost()));
    EXPECT_NE(text().find("Lost connection"), std::string::npos) << text();
}

TEST_F(UnhandledLog, DroppedFailedFutureIsLogged) {
    { Future<int> f = make_exception_future<int>(lost()); }
    EXPECT_NE(text().find("Lost connection"), std::string::npos) << text();
}

TEST_F(UnhandledLog, DetachedBrokenPromiseIsLogged) {
    {
        Promise<int> p;
        p.get_future().detach();
    }
    EXPECT_NE(text().find("broken promise"), std::string::npos) << text();
}

TEST_F(UnhandledLog, NonStandardExceptionIsLoggedToo) {
    make_exception_future(std::make_exception_ptr(42)).detach();
    EXPECT_NE(text().find("unknown exception"), std::string::npos) << text();
}

TEST_F(UnhandledLog, HandledFailureIsNotLogged) {
    make_exception_future<int>(lost()).on_error([](const OperationalError&) { return 0; }).detach();
    Future<int> f = make_exception_future<int>(lost());
    EXPECT_THROW(static_cast<void>(std::move(f).get()), OperationalError);
    EXPECT_EQ(text(), "");
}

TEST_F(UnhandledLog, DetachedSuccessIsSilent) {
    make_ready_future(1).then([](int) {}).detach();
    Promise<int> p;
    p.get_future().detach();
    p.set_value(1);
    EXPECT_EQ(text(), "");
}

TEST_F(UnhandledLog, PromiseWithoutFutureIsSilent) {
    { Promise<int> p; }
    {
        Promise<int> p;
        p.set_exception(std::make_exception_ptr(lost()));
    }
    EXPECT_EQ(text(), "") << "nobody asked for the future, so nobody missed the error";
}

}  // namespace

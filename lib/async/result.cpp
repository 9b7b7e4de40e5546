// SPDX-License-Identifier: MIT
#include "uvmysql/result.hpp"

namespace uvmysql::detail {

const Error& ResultError::error() const {
    if (error_) return *error_;
    // No portable way to reach the object inside an exception_ptr but catching it; the
    // aliasing shared_ptr keeps the exception alive as long as the pointer into it.
    try {
        std::rethrow_exception(exception_);
    } catch (const Error& e) {
        error_ = std::shared_ptr<const Error>(std::make_shared<std::exception_ptr>(exception_), &e);
    } catch (const std::exception& e) {
        error_ = std::make_shared<const InterfaceError>(0, "HY000", e.what());
    } catch (...) {
        error_ = std::make_shared<const InterfaceError>(0, "HY000", "unknown exception");
    }
    return *error_;
}

}  // namespace uvmysql::detail

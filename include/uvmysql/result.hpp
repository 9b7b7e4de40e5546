// SPDX-License-Identifier: MIT
// Result<T>: a value or the error that took its place, for code that checks instead of catching.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "uvmysql/error.hpp"
#include "uvmysql/export.hpp"

namespace uvmysql {

namespace detail {

/// A failure as a Result keeps it: the exception, and the Error found in it once asked for.
class UVMYSQL_API ResultError {
public:
    explicit ResultError(std::exception_ptr e) noexcept : exception_(std::move(e)) {}
    [[nodiscard]] const std::exception_ptr& exception() const noexcept { return exception_; }
    /// The uvmysql::Error inside the exception, or an InterfaceError carrying the what() of an
    /// exception of another type. Found once (by rethrowing internally), then remembered.
    [[nodiscard]] const Error& error() const;
    [[noreturn]] void rethrow() const { std::rethrow_exception(exception_); }

private:
    std::exception_ptr exception_;
    mutable std::shared_ptr<const Error> error_;   // points into exception_, or owns a stand-in
};

}  // namespace detail

/// The outcome of an operation as a value: a T (nothing for Result<void>) or the error that
/// failed it, with the same class, errno, SQLSTATE and message a catch block would see.
/// `Future::then_result()` and `co_await future.result()` give one instead of throwing
/// (docs/async.md, "Results without exceptions"):
///
///     uvmysql::Result<std::uint64_t> r = co_await cur.execute(sql, id).result();
///     if (!r && r.error().errno_code() == 1062) { /* duplicate key: expected */ }
///
/// Reading value() of a failed Result throws that error, so a Result can also be unwrapped.
template <class T>
class Result {
public:
    /// The type of the value (void for Result<void>).
    using value_type = T;

    /// A successful result holding `value`.
    template <class U = T>
    requires(!std::is_void_v<U> && std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result>)
        Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}   // NOLINT: implicit
    /// A failed result; `error` must not be null.
    [[nodiscard]] static Result failure(std::exception_ptr error) {
        return Result(detail::ResultError(std::move(error)));
    }

    /// True when the operation succeeded.
    [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
    /// Same as has_value(): `if (r) ...`.
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws the error when the operation failed.
    [[nodiscard]] T& value() & {
        if (!has_value()) fail();
        return std::get<0>(v_);
    }
    /// The value; throws the error when the operation failed.
    [[nodiscard]] const T& value() const& {
        if (!has_value()) fail();
        return std::get<0>(v_);
    }
    /// Moves the value out; throws the error when the operation failed.
    [[nodiscard]] T&& value() && {
        if (!has_value()) fail();
        return std::move(std::get<0>(v_));
    }
    /// The value, unchecked: only after has_value() said true.
    [[nodiscard]] T& operator*() noexcept { return std::get<0>(v_); }
    /// The value, unchecked: only after has_value() said true.
    [[nodiscard]] const T& operator*() const noexcept { return std::get<0>(v_); }
    /// Member access to the value, unchecked: only after has_value() said true.
    [[nodiscard]] T* operator->() noexcept { return &std::get<0>(v_); }
    /// Member access to the value, unchecked: only after has_value() said true.
    [[nodiscard]] const T* operator->() const noexcept { return &std::get<0>(v_); }
    /// The value, or `fallback` when the operation failed.
    template <class U>
    [[nodiscard]] T value_or(U&& fallback) && {
        if (has_value()) return std::move(std::get<0>(v_));
        return static_cast<T>(std::forward<U>(fallback));
    }

    /// The error (only when has_value() is false): its class (error_class_of()), errno_code(),
    /// sqlstate(), message() and what(), as the exception would carry them. An exception that
    /// is not a uvmysql::Error (thrown by a continuation of yours) shows as an InterfaceError
    /// with errno 0 and its what().
    [[nodiscard]] const Error& error() const { return std::get<1>(v_).error(); }
    /// The failure as an exception_ptr (null on success), e.g. to rethrow or to fail a Promise.
    [[nodiscard]] std::exception_ptr exception() const noexcept {
        return has_value() ? nullptr : std::get<1>(v_).exception();
    }

private:
    explicit Result(detail::ResultError e) noexcept : v_(std::in_place_index<1>, std::move(e)) {}
    [[noreturn]] void fail() const { std::get<1>(v_).rethrow(); }

    std::variant<T, detail::ResultError> v_;
};

/// The outcome of an operation that gives no value: success, or the error that failed it.
template <>
class Result<void> {
public:
    /// The type of the value.
    using value_type = void;

    /// A successful result.
    Result() noexcept = default;
    /// A failed result; `error` must not be null.
    [[nodiscard]] static Result failure(std::exception_ptr error) {
        Result r;
        r.error_.emplace(std::move(error));
        return r;
    }

    /// True when the operation succeeded.
    [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
    /// Same as has_value().
    explicit operator bool() const noexcept { return has_value(); }
    /// Throws the error when the operation failed; does nothing otherwise.
    void value() const {
        if (error_) error_->rethrow();
    }
    /// The error (only when has_value() is false); see Result<T>::error().
    [[nodiscard]] const Error& error() const { return error_->error(); }
    /// The failure as an exception_ptr (null on success).
    [[nodiscard]] std::exception_ptr exception() const noexcept {
        return error_ ? error_->exception() : nullptr;
    }

private:
    std::optional<detail::ResultError> error_;
};

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Task<T>: a lazily started coroutine that co_awaits Futures and other Tasks; spawn() runs one.
//
// Start: lazy. Calling a Task-returning function only creates its frame; the body starts when the
// Task is co_awaited or handed to spawn(). A Task destroyed before that is freed without running.
// Take coroutine parameters by value: the body may run after the caller's temporaries are gone.
//
// Resumption: every start, every return to an awaiting Task and every resumption by a Future goes
// through the run queue of future.hpp, never through nested calls, so neither deep co_await
// chains nor deep Task nesting grow the stack (symmetric transfer is not relied upon: GCC does
// not make it a tail call without optimisation or under AddressSanitizer).
#pragma once

#include <cassert>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"

namespace uvmysql {

template <class T = void>
class Task;

namespace detail {

/// What every Task promise has: the frame's run-queue node and its links.
class UVMYSQL_API TaskPromiseBase : public Runnable {
public:
    std::suspend_always initial_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }

    /// Starts this Task on behalf of `parent`, which is resumed (from the run queue) when the
    /// Task finishes.
    void start_as_child(std::coroutine_handle<> parent) noexcept {
        parent_ = parent;
        schedule(*this);
    }

protected:
    TaskPromiseBase() noexcept = default;
    ~TaskPromiseBase() = default;

    std::coroutine_handle<> self_;
    std::coroutine_handle<> parent_;
    std::exception_ptr exception_;
    bool finished_ = false;

private:
    // Before the end: start/resume the Task itself. After: resume its parent, which destroys
    // this frame once it has taken the result.
    void run() noexcept final {
        const std::coroutine_handle<> next = finished_ ? parent_ : self_;
        next.resume();
    }
};

/// The value storage and return_value / return_void of a Task's promise.
template <class T>
class TaskResult : public TaskPromiseBase {
public:
    template <class U = T>
    requires std::is_constructible_v<T, U&&>
    void return_value(U&& value) { value_.emplace(std::forward<U>(value)); }

protected:
    std::optional<T> value_;
};

template <>
class TaskResult<void> : public TaskPromiseBase {
public:
    void return_void() noexcept { value_.emplace(); }

protected:
    std::optional<std::monostate> value_;
};

/// The promise_type of Task<T>.
template <class T>
class TaskPromise final : public TaskResult<T> {
public:
    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<TaskPromise> frame) noexcept { frame.promise().finish(); }
        void await_resume() const noexcept {}
    };

    Task<T> get_return_object() noexcept;
    FinalAwaiter final_suspend() noexcept { return {}; }

    /// Starts this Task detached from any parent; its result goes to the returned future.
    Future<T> start_spawned() {
        Future<T> result = sink_.get_future();
        schedule(*this);  // may run the whole Task and free this frame
        return result;
    }

    /// The Task's result, for the awaiting parent: the value, or the exception rethrown.
    T take_result() {
        if (this->exception_) std::rethrow_exception(std::move(this->exception_));
        assert(this->value_.has_value() && "a Task<T> finished without co_return");
        if constexpr (!std::is_void_v<T>) return std::move(*this->value_);
    }

private:
    // At the final suspend point: hand back to the parent, or (spawned) free the frame first and
    // then fulfil the future, so continuations never see a half-destroyed coroutine.
    void finish() noexcept {
        this->finished_ = true;
        if (this->parent_) {
            schedule(*this);
            return;
        }
        Promise<T> sink = std::move(sink_);
        std::exception_ptr error = std::move(this->exception_);
        std::optional<non_void_t<T>> value;
        if (!error) {
            assert(this->value_.has_value() && "a Task<T> finished without co_return");
            try {
                value.emplace(std::move(*this->value_));
            } catch (...) {
                error = std::current_exception();
            }
        }
        this->self_.destroy();
        if (error) {
            sink.set_exception(std::move(error));
            return;
        }
        try {
            if constexpr (std::is_void_v<T>)
                sink.set_value();
            else
                sink.set_value(std::move(*value));
        } catch (...) {
            sink.set_exception(std::current_exception());
        }
    }

    Promise<T> sink_;
};

/// The co_await adapter for Task<T>: owns the child frame and frees it after taking the result.
template <class T>
class TaskAwaiter {
public:
    explicit TaskAwaiter(std::coroutine_handle<TaskPromise<T>> child) noexcept : child_(child) {}
    TaskAwaiter(const TaskAwaiter&) = delete;
    TaskAwaiter& operator=(const TaskAwaiter&) = delete;
    ~TaskAwaiter() {
        if (child_) child_.destroy();
    }

    bool await_ready() const noexcept { return !child_; }
    void await_suspend(std::coroutine_handle<> parent) noexcept { child_.promise().start_as_child(parent); }
    T await_resume() {
        if (!child_) std::rethrow_exception(invalid_future_error());
        return child_.promise().take_result();
    }

private:
    std::coroutine_handle<TaskPromise<T>> child_;
};

}  // namespace detail

/// A coroutine returning T (`Task<>` for void). Inside, `co_await` a `Future<U>` or a `Task<U>`
/// (yields U or throws its exception) and `co_return` the result; an exception escaping the
/// body fails the Task. Lazy, move-only, single-consumer: co_await it once from another
/// coroutine, or pass it to spawn(). Bound to the loop thread like Future.
template <class T>
class [[nodiscard]] Task {
public:
    /// The coroutine promise type (what makes a function returning Task a coroutine).
    using promise_type = detail::TaskPromise<T>;
    /// The type of the result (void for `Task<>`).
    using value_type = T;

    /// Takes over `other`'s coroutine; `other` becomes invalid.
    Task(Task&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
    /// Frees the coroutine held so far if it was never started, then takes over `other`'s.
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            reset();
            frame_ = std::exchange(other.frame_, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    /// Frees a Task that was never started.
    ~Task() { reset(); }

    /// True until the Task is awaited or spawned.
    [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(frame_); }

    /// Starts the Task and suspends the awaiting coroutine until it finishes; yields its result
    /// or rethrows its exception.
    auto operator co_await() && noexcept { return detail::TaskAwaiter<T>(std::exchange(frame_, {})); }
    /// Same as the rvalue form; the Task is consumed.
    auto operator co_await() & noexcept { return detail::TaskAwaiter<T>(std::exchange(frame_, {})); }

private:
    friend promise_type;
    template <class U>
    friend Future<U> spawn(Task<U> task);

    explicit Task(std::coroutine_handle<promise_type> frame) noexcept : frame_(frame) {}
    void reset() noexcept {
        if (frame_) std::exchange(frame_, {}).destroy();
    }

    std::coroutine_handle<promise_type> frame_;
};

template <class T>
Task<T> detail::TaskPromise<T>::get_return_object() noexcept {
    auto frame = std::coroutine_handle<TaskPromise>::from_promise(*this);
    this->self_ = frame;
    return Task<T>(frame);
}

/// Starts `task` and returns a Future for its result, handing a coroutine to plain code.
/// The Task runs at once, until its first suspension, when called from plain code; from inside
/// a continuation or coroutine it starts right after the current one returns (run queue order).
/// The frame frees itself when the Task finishes, whether or not anyone keeps the future.
template <class T>
[[nodiscard]] Future<T> spawn(Task<T> task) {
    auto frame = std::exchange(task.frame_, {});
    if (!frame) return make_exception_future<T>(detail::invalid_future_error());
    return frame.promise().start_spawned();
}

}  // namespace uvmysql

// SPDX-License-Identifier: MIT
// Future<T> and Promise<T>: single-threaded results for the loop thread, with then/on_error/finally.
//
// When continuations run: a continuation runs once its future is ready AND it is attached,
// whichever happens last. If that moment comes from plain code (a libuv callback, a test body),
// the continuation runs synchronously inside that call (set_value(), then() on a ready future...)
// together with everything it makes ready in turn. If it comes from inside a continuation (or a
// coroutine resumed by one), the continuation is queued and runs after the current one returns, in
// FIFO order. This per-thread queue (a trampoline) keeps arbitrarily long chains off the stack.
//
// Thread rules: a Promise/Future pair belongs to the thread that created it, normally the loop
// thread. No atomics, no locks; debug builds assert when a continuation runs on another thread.
#pragma once

#include <cassert>
#include <chrono>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "uvmysql/detail/callable_traits.hpp"
#include "uvmysql/detail/future_state.hpp"
#include "uvmysql/detail/loop_timer.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/result.hpp"

struct uv_loop_s;

namespace uvmysql {

template <class T>
class Future;
template <class T>
class Promise;

namespace detail {

/// What a Future may hold: void or a move-constructible object type (no references, no arrays).
template <class T>
concept FutureValue = std::is_void_v<T> ||(std::is_object_v<T> && !std::is_array_v<T> &&
                                           std::is_move_constructible_v<T> && std::is_destructible_v<T>);

template <class T>
struct IsFutureImpl : std::false_type {};
template <class T>
struct IsFutureImpl<Future<T>> : std::true_type {
    using value_type = T;
};
/// True for Future<T> (exactly, no cv or reference).
template <class T>
inline constexpr bool is_future_v = IsFutureImpl<T>::value;

/// Future<U> -> U; anything else -> itself without cv/ref (void stays void).
template <class R>
struct UnwrapFuture {
    using type = std::remove_cvref_t<R>;
};
template <class T>
struct UnwrapFuture<Future<T>> {
    using type = T;
};

/// A continuation's result is acceptable: a Future<U> by value, or anything a Future can hold.
template <class R>
concept ContinuationResult = is_future_v<R> ||
    (!is_future_v<std::remove_cvref_t<R>> && FutureValue<typename UnwrapFuture<R>::type>);

template <class F, class T>
struct ThenInvoke : std::invoke_result<std::decay_t<F>&, T&&> {};
template <class F>
struct ThenInvoke<F, void> : std::invoke_result<std::decay_t<F>&> {};

/// F can continue a Future<T>: callable with a T rvalue (with nothing for void) and returning
/// a value, void or a Future.
template <class F, class T>
concept ThenCallable = std::is_constructible_v<std::decay_t<F>, F> && requires {
    typename ThenInvoke<F, T>::type;
} && ContinuationResult<typename ThenInvoke<F, T>::type>;

template <class F, class T>
using then_result_t = typename ThenInvoke<F, T>::type;
/// The value type of the future then(f) returns.
template <class F, class T>
using then_value_t = typename UnwrapFuture<then_result_t<F, T>>::type;

template <class R, class T>
struct RecoversTo : std::bool_constant<std::is_convertible_v<R, T>> {};
template <class R>
struct RecoversTo<R, void> : std::is_void<R> {};
template <class T>
struct RecoversTo<Future<T>, T> : std::true_type {};
template <>
struct RecoversTo<Future<void>, void> : std::true_type {};

/// F can take a Future<T>'s outcome as a Result<T> and returns a value, void or a Future.
template <class F, class T>
concept ResultCallable = std::is_constructible_v<std::decay_t<F>, F> &&
    std::is_invocable_v<std::decay_t<F>&, Result<T>&&> &&
    ContinuationResult<std::invoke_result_t<std::decay_t<F>&, Result<T>&&>>;

/// The value type of the future then_result(f) returns.
template <class F, class T>
using then_result_value_t = typename UnwrapFuture<std::invoke_result_t<std::decay_t<F>&, Result<T>&&>>::type;

/// Takes a ready state's outcome (value or exception) out as a Result.
template <class T>
Result<T> take_result(State<T>& s) {
    if (s.failed()) return Result<T>::failure(s.take_exception());
    if constexpr (std::is_void_v<T>)
        return Result<T>();
    else
        return Result<T>(std::move(s.value()));
}

/// An on_error handler for Future<T> taking std::exception_ptr; returns T, Future<T> or throws.
template <class F, class T>
concept GenericErrorHandler =
    std::is_constructible_v<std::decay_t<F>, F> && std::is_invocable_v < std::decay_t<F>
&, std::exception_ptr > &&RecoversTo<std::invoke_result_t<std::decay_t<F>&, std::exception_ptr>, T>::value;

/// An on_error handler for Future<T> taking `const E&` (or `E&`) for one exception class E.
template <class F, class T>
concept TypedErrorHandler =
    !GenericErrorHandler<F, T> && std::is_constructible_v<std::decay_t<F>, F> && requires {
    typename sole_arg_t<F>;
}
&&std::is_lvalue_reference_v<sole_arg_t<F>>&& std::is_class_v<std::remove_cvref_t<sole_arg_t<F>>> &&
    !std::same_as<std::remove_cvref_t<sole_arg_t<F>>, std::exception_ptr> &&
    std::is_invocable_v<std::decay_t<F>&, sole_arg_t<F>> &&
    RecoversTo<std::invoke_result_t<std::decay_t<F>&, sole_arg_t<F>>, T>::value;

template <class F, class T>
concept ErrorHandler = GenericErrorHandler<F, T> || TypedErrorHandler<F, T>;

/// A finally() callable: takes nothing, returns void or a Future to wait for.
template <class F>
concept FinallyCallable = std::is_constructible_v<std::decay_t<F>, F> && std::is_invocable_v < std::decay_t<F>
& > &&(std::is_void_v<std::invoke_result_t<std::decay_t<F>&>> ||
       is_future_v<std::invoke_result_t<std::decay_t<F>&>>);

/// Arguments that can fulfil a Promise<T>: none for void, constructor arguments of T otherwise.
template <class T, class... Args>
concept ValueArgs = (std::is_void_v<T> && sizeof...(Args) == 0) ||
                    (!std::is_void_v<T> && std::is_constructible_v<T, Args...>);

/// Private access to futures and promises for the templates below and for task.hpp.
struct UVMYSQL_API FutureAccess {
    template <class T>
    static State<T>* state(const Future<T>& f) noexcept {
        return f.state_;
    }
    template <class T>
    static State<T>* release(Future<T>& f) noexcept {
        return std::exchange(f.state_, nullptr);
    }
    /// Wraps a reference to `s` in a Future (and marks the future as handed out).
    template <class T>
    static Future<T> adopt(State<T>* s) noexcept {
        s->mark_future_retrieved();
        return Future<T>(s);
    }
};

template <class U>
void forward_future(Future<U>&& inner, Promise<U>& to) noexcept;

/// Invokes `g()` and fulfils `to` with what it returns (a value, nothing, or a Future to follow),
/// or with the exception it throws.
template <class U, class G>
void fulfil_with(Promise<U>& to, G&& g) noexcept {
    using R = std::invoke_result_t<G&>;
    try {
        if constexpr (is_future_v<R>) {
            forward_future(g(), to);
        } else if constexpr (std::is_void_v<R>) {
            g();
            to.set_value();
        } else {
            to.set_value(g());
        }
    } catch (...) {
        to.set_exception(std::current_exception());
    }
}

}  // namespace detail

/// The eventual result of an asynchronous operation: a T (nothing for void) or an exception.
///
/// Single consumer: consume a future exactly once, with then(), on_error(), finally(), get(),
/// co_await, or detach() it; each of these invalidates it. Move-only and `[[nodiscard]]`.
/// A future that is dropped while holding (or later receiving) an exception reports that
/// exception through the "uvmysql" spdlog logger, like detach().
template <class T>
class [[nodiscard]] Future {
    static_assert(detail::FutureValue<T>, "Future<T> needs void or a move-constructible object type");

public:
    /// The type of the value (void for Future<void>).
    using value_type = T;

    /// An invalid future (valid() is false); useful as a placeholder to move into.
    Future() noexcept = default;
    /// Takes over `other`'s result; `other` becomes invalid.
    Future(Future&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
    /// Drops the result held so far (a failure in it is logged, as for a dropped future), then
    /// takes over `other`'s; `other` becomes invalid.
    Future& operator=(Future&& other) noexcept {
        if (this != &other) {
            reset();
            state_ = std::exchange(other.state_, nullptr);
        }
        return *this;
    }
    Future(const Future&) = delete;
    Future& operator=(const Future&) = delete;
    ~Future() { reset(); }

    /// True until the future is consumed (or if it was default-constructed: false).
    [[nodiscard]] bool valid() const noexcept { return state_ != nullptr; }
    /// True if the result (value or exception) is available.
    [[nodiscard]] bool is_ready() const noexcept { return state_ != nullptr && state_->ready(); }
    /// True if the result is available and is an exception. Does not consume it.
    [[nodiscard]] bool failed() const noexcept { return state_ != nullptr && state_->failed(); }

    /// Consumes a ready future: returns its value (moved out) or rethrows its exception.
    /// Throws InterfaceError (errno 0) if the future is not ready (it then stays valid) or invalid.
    T get() &&;

    /// Continues with `f` once the value is available. `f` takes T by value or reference (nothing
    /// for `Future<void>`) and returns U, void, or `Future<U>`, which is flattened: the result is a
    /// `Future<U>`. If this future fails, `f` is skipped and the exception passes on; if `f` throws,
    /// the returned future fails with that exception.
    template <class F>
    requires detail::ThenCallable<F, T> Future<detail::then_value_t<F, T>> then(F&& f) &&;

    /// Continues with `f` once the future is ready, success or failure alike: `f` receives a
    /// Result<T> (the value, or the error with its class, errno, SQLSTATE and message) instead of
    /// being skipped on failure, so no exception needs catching. Returns what `f` returns, as
    /// then() does (a value, void or a Future, flattened); if `f` throws, the future fails.
    template <class F>
    requires detail::ResultCallable<F, T> Future<detail::then_result_value_t<F, T>> then_result(F&& f) &&;

    /// For `co_await`: `co_await fut.result()` gives a Result<T> instead of throwing on failure.
    /// Consumes the future; the awaitable must be awaited at once (it is not a Future).
    [[nodiscard]] auto result() && noexcept;

    /// Handles a failure. `f` takes either std::exception_ptr (any failure) or `const E&` for one
    /// exception class E (other exceptions pass through untouched, as does a value). `f` recovers
    /// by returning a T (nothing for Future<void>) or a Future<T>, or fails by throwing; inside a
    /// typed handler a bare `throw;` rethrows the original. A handler that always throws on a
    /// non-void future spells its return type: `[](const E&) -> T { throw ...; }`.
    template <class F>
    requires detail::ErrorHandler<F, T> Future<T> on_error(F&& f) &&;

    /// Runs `f()` once this future is ready, on success and on failure, and then passes the
    /// original result on. If `f` returns a Future, it is waited for first. If `f` throws (or its
    /// future fails), that error replaces the result.
    template <class F>
    requires detail::FinallyCallable<F> Future<T> finally(F&& f) &&;

    /// Fire-and-forget: gives up the result. A failure nobody handled is logged through the
    /// "uvmysql" spdlog logger when the result arrives (or at once if it already has).
    void detach() && { reset(); }

    /// `co_await` support (any coroutine): yields the value or throws the exception. Consumes the
    /// future, also when awaited as an lvalue. Resumption happens from the run queue.
    auto operator co_await() && noexcept;
    /// Same as the rvalue form; `f` is consumed (invalid afterwards).
    auto operator co_await() & noexcept;

private:
    friend struct detail::FutureAccess;

    explicit Future(detail::State<T>* s) noexcept : state_(s) {}

    detail::State<T>* take_state() noexcept {
        assert(state_ != nullptr && "future is invalid (default-constructed or already consumed)");
        return std::exchange(state_, nullptr);
    }
    void reset() noexcept {
        if (state_ != nullptr) std::exchange(state_, nullptr)->release();
    }

    detail::State<T>* state_ = nullptr;
};

/// The producer side of a Future<T>.
///
/// Fulfil it once with set_value() or set_exception(); setting it twice is a bug (asserts).
/// A Promise destroyed unfulfilled after get_future() fails its future with InterfaceError
/// "broken promise". Default construction does not allocate: the shared state is created on
/// first use. Fulfil a promise last: continuations may run inside set_value().
template <class T>
class Promise {
    static_assert(detail::FutureValue<T>, "Promise<T> needs void or a move-constructible object type");

public:
    Promise() noexcept = default;
    /// Takes over `other`'s shared state; `other` becomes empty.
    Promise(Promise&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
    /// Abandons the promise held so far (its future, if retrieved and unfulfilled, fails with
    /// InterfaceError "broken promise"), then takes over `other`'s.
    Promise& operator=(Promise&& other) noexcept {
        if (this != &other) {
            abandon();
            state_ = std::exchange(other.state_, nullptr);
        }
        return *this;
    }
    Promise(const Promise&) = delete;
    Promise& operator=(const Promise&) = delete;
    ~Promise() { abandon(); }

    /// The future this promise fulfils. Call once.
    [[nodiscard]] Future<T> get_future() {
        detail::State<T>& s = state();
        assert(!s.future_retrieved() && "get_future() called twice");
        s.mark_future_retrieved();
        s.add_ref();
        return detail::FutureAccess::adopt(&s);
    }

    /// Fulfils the future with a value built from `args` (nothing for Promise<void>).
    /// Continuations may run before this returns (see the top of future.hpp).
    template <class... Args>
    requires detail::ValueArgs<T, Args...>
    void set_value(Args&&... args) {
        detail::State<T>& s = state();
        if (s.ready()) {
            assert(!"promise already satisfied");
            return;
        }
        s.set_value(std::forward<Args>(args)...);
    }

    /// Fails the future with `error` (must not be null).
    void set_exception(std::exception_ptr error) {
        detail::State<T>& s = state();
        if (s.ready()) {
            assert(!"promise already satisfied");
            return;
        }
        s.set_exception(std::move(error));
    }

private:
    detail::State<T>& state() {
        if (state_ == nullptr) state_ = new detail::State<T>();
        return *state_;
    }

    void abandon() noexcept {
        if (state_ == nullptr) return;
        if (!state_->ready() && state_->future_retrieved())
            state_->set_exception(detail::broken_promise_error());
        std::exchange(state_, nullptr)->release();
    }

    detail::State<T>* state_ = nullptr;
};

namespace detail {

/// Makes `to` follow `inner`: at once if `inner` is ready, else through a continuation.
template <class U>
void forward_future(Future<U>&& inner, Promise<U>& to) noexcept {
    State<U>* in = FutureAccess::release(inner);
    if (in == nullptr) {
        to.set_exception(invalid_future_error());
        return;
    }
    if (in->ready()) {
        transfer(*in, to);
        in->release();
        return;
    }
    in->set_continuation(
        [p = std::move(to)](StateBase& base) mutable noexcept { transfer(static_cast<State<U>&>(base), p); });
}

/// Marker for make_ready_future's deduced value type.
struct DeduceValue {};

template <class T, class... Args>
struct ReadyValue {
    using type = T;
};
template <>
struct ReadyValue<DeduceValue> {
    using type = void;
};
template <class A>
struct ReadyValue<DeduceValue, A> {
    using type = std::decay_t<A>;
};

/// The co_await adapter for Future<T>.
template <class T>
class FutureAwaiter {
public:
    explicit FutureAwaiter(Future<T>&& f) noexcept : future_(std::move(f)) {}

    bool await_ready() const noexcept { return !future_.valid() || future_.is_ready(); }

    void await_suspend(std::coroutine_handle<> coroutine) noexcept {
        State<T>* s = FutureAccess::state(future_);
        s->add_ref();  // for the continuation; future_ keeps its own to read the result
        s->set_continuation([coroutine](StateBase&) noexcept { coroutine.resume(); });
    }

    T await_resume() { return std::move(future_).get(); }
    /// The awaited future (for ResultAwaiter, which reads it its own way).
    Future<T>& future() noexcept { return future_; }

private:
    Future<T> future_;
};

}  // namespace detail

namespace detail {

/// The co_await adapter of Future<T>::result(): resumes with a Result<T>, never throws.
template <class T>
class ResultAwaiter {
public:
    explicit ResultAwaiter(Future<T>&& f) noexcept : awaiter_(std::move(f)) {}

    bool await_ready() const noexcept { return awaiter_.await_ready(); }
    void await_suspend(std::coroutine_handle<> coroutine) noexcept { awaiter_.await_suspend(coroutine); }
    Result<T> await_resume() noexcept(std::is_nothrow_move_constructible_v<Result<T>>) {
        Future<T>& f = awaiter_.future();
        if (!f.valid()) return Result<T>::failure(invalid_future_error());
        StateRef<State<T>> s(FutureAccess::release(f));
        return take_result(*s);
    }

private:
    FutureAwaiter<T> awaiter_;
};

}  // namespace detail

/// A future that is ready with a value. `make_ready_future(v)` deduces Future<decay_t<V>>;
/// `make_ready_future<T>(args...)` constructs a T from `args`; `make_ready_future()` is Future<void>.
template <class T = detail::DeduceValue, class... Args>
requires detail::ValueArgs<typename detail::ReadyValue<T, Args...>::type, Args...>
[[nodiscard]] Future<typename detail::ReadyValue<T, Args...>::type> make_ready_future(Args&&... args) {
    using V = typename detail::ReadyValue<T, Args...>::type;
    auto* s = new detail::State<V>();
    Future<V> f = detail::FutureAccess::adopt(s);  // owns s even if constructing the value throws
    s->set_value(std::forward<Args>(args)...);
    return f;
}

/// A future that is failed with `error` (must not be null).
template <class T = void>
[[nodiscard]] Future<T> make_exception_future(std::exception_ptr error) {
    assert(error && "make_exception_future with a null exception_ptr");
    auto* s = new detail::State<T>();
    s->set_exception(std::move(error));
    return detail::FutureAccess::adopt(s);
}

/// A future that is failed with a copy of the exception object `error`.
template <class T = void, class E>
requires(!std::same_as<std::remove_cvref_t<E>, std::exception_ptr>)
    [[nodiscard]] Future<T> make_exception_future(E&& error) {
    return make_exception_future<T>(std::make_exception_ptr(std::forward<E>(error)));
}

// ---- Future<T> members -----------------------------------------------------------------------

///@cond
template <class T>
T Future<T>::get() && {
    if (state_ == nullptr) std::rethrow_exception(detail::invalid_future_error());
    if (!state_->ready()) detail::throw_future_not_ready();
    detail::StateRef<detail::State<T>> s(take_state());
    if (s->failed()) std::rethrow_exception(s->take_exception());
    if constexpr (!std::is_void_v<T>) return std::move(s->value());
}

template <class T>
template <class F>
requires detail::ThenCallable<F, T> Future<detail::then_value_t<F, T>> Future<T>::then(F&& f) && {
    using U = detail::then_value_t<F, T>;
    Promise<U> next;
    Future<U> result = next.get_future();
    take_state()->set_continuation(
        [fn = std::forward<F>(f), next = std::move(next)](detail::StateBase& base) mutable noexcept {
            auto& src = static_cast<detail::State<T>&>(base);
            if (src.failed()) {
                next.set_exception(src.take_exception());
                return;
            }
            if constexpr (std::is_void_v<T>) {
                detail::fulfil_with(next, [&]() -> decltype(auto) { return std::invoke(fn); });
            } else {
                detail::fulfil_with(
                    next, [&]() -> decltype(auto) { return std::invoke(fn, std::move(src.value())); });
            }
        });
    return result;
}

template <class T>
template <class F>
requires detail::ResultCallable<F, T> Future<detail::then_result_value_t<F, T>> Future<T>::then_result(F&& f) && {
    using U = detail::then_result_value_t<F, T>;
    Promise<U> next;
    Future<U> result = next.get_future();
    take_state()->set_continuation(
        [fn = std::forward<F>(f), next = std::move(next)](detail::StateBase& base) mutable noexcept {
            auto& src = static_cast<detail::State<T>&>(base);
            detail::fulfil_with(next, [&]() -> decltype(auto) {
                return std::invoke(fn, detail::take_result(src));
            });
        });
    return result;
}

template <class T>
auto Future<T>::result() && noexcept {
    return detail::ResultAwaiter<T>(std::move(*this));
}

template <class T>
template <class F>
requires detail::ErrorHandler<F, T> Future<T> Future<T>::on_error(F&& f) && {
    Promise<T> next;
    Future<T> result = next.get_future();
    take_state()->set_continuation([fn = std::forward<F>(f),
                                    next = std::move(next)](detail::StateBase& base) mutable noexcept {
        auto& src = static_cast<detail::State<T>&>(base);
        if (!src.failed()) {
            detail::transfer(src, next);
            return;
        }
        std::exception_ptr error = src.take_exception();
        if constexpr (detail::GenericErrorHandler<F, T>) {
            detail::fulfil_with(next, [&]() -> decltype(auto) { return std::invoke(fn, std::move(error)); });
        } else {
            using Arg = detail::sole_arg_t<F>;
            try {
                std::rethrow_exception(error);
            } catch (Arg e) {
                detail::fulfil_with(next, [&]() -> decltype(auto) { return std::invoke(fn, e); });
                return;
            } catch (...) {
            }
            next.set_exception(std::move(error));
        }
    });
    return result;
}

template <class T>
template <class F>
requires detail::FinallyCallable<F> Future<T> Future<T>::finally(F&& f) && {
    Promise<T> next;
    Future<T> result = next.get_future();
    take_state()->set_continuation(
        [fn = std::forward<F>(f), next = std::move(next)](detail::StateBase& base) mutable noexcept {
            auto& src = static_cast<detail::State<T>&>(base);
            using R = std::invoke_result_t<std::decay_t<F>&>;
            if constexpr (std::is_void_v<R>) {
                try {
                    std::invoke(fn);
                } catch (...) {
                    src.discard_exception();
                    next.set_exception(std::current_exception());
                    return;
                }
                detail::transfer(src, next);
            } else {
                R cleanup;
                try {
                    cleanup = std::invoke(fn);
                } catch (...) {
                    src.discard_exception();
                    next.set_exception(std::current_exception());
                    return;
                }
                auto* c = detail::FutureAccess::release(cleanup);
                if (c == nullptr) {
                    src.discard_exception();
                    next.set_exception(detail::invalid_future_error());
                    return;
                }
                // Keep the original result alive until the cleanup future is done.
                c->set_continuation([keep = detail::StateRef<detail::State<T>>::share(&src),
                                     next = std::move(next)](detail::StateBase& done) mutable noexcept {
                    if (done.failed()) {
                        keep->discard_exception();
                        next.set_exception(done.take_exception());
                    } else {
                        detail::transfer(*keep, next);
                    }
                });
            }
        });
    return result;
}

template <class T>
auto Future<T>::operator co_await() && noexcept {
    return detail::FutureAwaiter<T>(std::move(*this));
}

template <class T>
auto Future<T>::operator co_await() & noexcept {
    return detail::FutureAwaiter<T>(std::move(*this));
}
///@endcond

// ---- when_all --------------------------------------------------------------------------------

namespace detail {

/// void -> std::monostate, for tuples.
template <class T>
using non_void_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
non_void_t<T> take_result_value(Future<T>& f) {
    State<T>* s = FutureAccess::state(f);
    if constexpr (std::is_void_v<T>) {
        static_cast<void>(s);
        return std::monostate{};
    } else {
        return std::move(s->value());
    }
}

/// Waits for every future of a vector, then delivers all values in order or the first failure.
template <class T>
class WhenAllVector {
public:
    using Result = std::conditional_t<std::is_void_v<T>, void, std::vector<T>>;

    static Future<Result> start(std::vector<Future<T>>&& futures) {
        if (futures.empty()) return make_ready_future<Result>();
        auto* self = new WhenAllVector(std::move(futures));
        Future<Result> result = self->promise_.get_future();
        const std::size_t count = self->futures_.size();
        for (std::size_t i = 0; i < count; ++i) {
            State<T>* s = FutureAccess::state(self->futures_[i]);
            assert(s != nullptr && "when_all() given an invalid future");
            s->add_ref();
            s->set_continuation([self](StateBase&) noexcept { self->arrived(); });
        }
        self->arrived();  // the guard count: nothing finishes while continuations are attached
        return result;
    }

private:
    explicit WhenAllVector(std::vector<Future<T>>&& futures) noexcept
        : futures_(std::move(futures)), remaining_(futures_.size() + 1) {}

    void arrived() noexcept {
        if (--remaining_ == 0) finish();
    }

    void finish() noexcept {
        std::exception_ptr error;
        for (auto& f : futures_) {
            if (!f.failed()) continue;
            std::exception_ptr e = FutureAccess::state(f)->take_exception();  // later ones are handled here
            if (!error) error = std::move(e);
        }
        std::optional<std::conditional_t<std::is_void_v<T>, std::monostate, Result>> values;
        if constexpr (!std::is_void_v<T>) {
            if (!error) {
                try {
                    values.emplace();
                    values->reserve(futures_.size());
                    for (auto& f : futures_) values->push_back(take_result_value(f));
                } catch (...) {
                    error = std::current_exception();
                }
            }
        }
        Promise<Result> promise = std::move(promise_);
        delete this;  // fulfil last: continuations may run inside set_value()
        if (error) {
            promise.set_exception(std::move(error));
        } else if constexpr (std::is_void_v<T>) {
            promise.set_value();
        } else {
            fulfil_with(promise, [&values]() -> Result&& { return std::move(*values); });
        }
    }

    std::vector<Future<T>> futures_;
    Promise<Result> promise_;
    std::size_t remaining_;
};

/// Waits for a fixed set of futures, then delivers a tuple of values or the first failure.
template <class... Ts>
class WhenAllTuple {
public:
    using Result = std::tuple<non_void_t<Ts>...>;

    static Future<Result> start(Future<Ts>&&... futures) {
        auto* self = new WhenAllTuple(std::move(futures)...);
        Future<Result> result = self->promise_.get_future();
        std::apply([self](auto&... f) { (self->attach(f), ...); }, self->futures_);
        self->arrived();  // the guard count
        return result;
    }

private:
    explicit WhenAllTuple(Future<Ts>&&... futures) noexcept
        : futures_(std::move(futures)...), remaining_(sizeof...(Ts) + 1) {}

    template <class T>
    void attach(Future<T>& f) {
        State<T>* s = FutureAccess::state(f);
        assert(s != nullptr && "when_all() given an invalid future");
        s->add_ref();
        s->set_continuation([this](StateBase&) noexcept { arrived(); });
    }

    void arrived() noexcept {
        if (--remaining_ == 0) finish(std::index_sequence_for<Ts...>{});
    }

    template <std::size_t... I>
    void finish(std::index_sequence<I...>) noexcept {
        std::exception_ptr error;
        [[maybe_unused]] auto note = [&error](auto& f) {
            if (!f.failed()) return;
            std::exception_ptr e = FutureAccess::state(f)->take_exception();
            if (!error) error = std::move(e);
        };
        (note(std::get<I>(futures_)), ...);
        std::optional<Result> values;
        if (!error) {
            try {
                values.emplace(take_result_value(std::get<I>(futures_))...);
            } catch (...) {
                error = std::current_exception();
            }
        }
        Promise<Result> promise = std::move(promise_);
        delete this;  // fulfil last
        if (error)
            promise.set_exception(std::move(error));
        else
            fulfil_with(promise, [&values]() -> Result&& { return std::move(*values); });
    }

    std::tuple<Future<Ts>...> futures_;
    Promise<Result> promise_;
    std::size_t remaining_;
};

}  // namespace detail

/// Waits for all `futures`. Resolves to their values in order (Future<void> for void futures),
/// or, once every one has completed, fails with the exception of the first failed future by
/// position; the other failures count as handled. An empty vector gives a ready future.
template <class T>
[[nodiscard]] Future<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> when_all(
    std::vector<Future<T>> futures) {
    return detail::WhenAllVector<T>::start(std::move(futures));
}

/// Waits for a fixed set of futures of any types. Resolves to a tuple of their values (void ones
/// become std::monostate) or, once all have completed, fails with the first failure by position.
template <class... Ts>
[[nodiscard]] Future<std::tuple<detail::non_void_t<Ts>...>> when_all(Future<Ts>... futures) {
    return detail::WhenAllTuple<Ts...>::start(std::move(futures)...);
}

// ---- timers ----------------------------------------------------------------------------------

/// Gives `future` a deadline on `loop`'s clock. Resolves like `future` if it completes within
/// `timeout`; otherwise fails with TimeoutError (an OperationalError) 2013, SQLSTATE HYT00,
/// "operation timed out after N ms", and a result arriving later is dropped (a late failure is
/// not logged). A ready future is returned as is. The timer is stopped and uv_close()d either way; run the loop until
/// it has closed before uv_loop_close(). Call on the loop thread.
template <class T>
[[nodiscard]] Future<T> with_timeout(uv_loop_s* loop, std::chrono::milliseconds timeout, Future<T> future) {
    if (!future.valid() || future.is_ready()) return future;
    auto* out = new detail::State<T>();
    Future<T> result = detail::FutureAccess::adopt(out);
    using Ref = detail::StateRef<detail::State<T>>;
    detail::LoopTimer* timer =
        detail::start_timer(loop, timeout, [sink = Ref::share(out), timeout]() noexcept {
            if (!sink->ready()) sink->set_exception(detail::timeout_error(timeout));
        });
    detail::FutureAccess::release(future)->set_continuation(
        [sink = Ref::share(out), timer](detail::StateBase& base) noexcept {
            auto& src = static_cast<detail::State<T>&>(base);
            if (sink->ready()) {  // the timer fired first (and has freed itself)
                src.discard_exception();
                return;
            }
            detail::cancel_timer(timer);
            detail::transfer(src, *sink);
        });
    return result;
}

/// A future that becomes ready after `delay` on `loop` (a one-shot uv timer that closes itself
/// when it fires). Call on the loop thread.
[[nodiscard]] UVMYSQL_API Future<void> sleep_for(uv_loop_s* loop, std::chrono::milliseconds delay);

}  // namespace uvmysql

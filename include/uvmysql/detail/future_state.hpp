// SPDX-License-Identifier: MIT
// The shared state behind a Promise/Future pair, and the per-thread run queue that runs continuations.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "uvmysql/detail/unique_function.hpp"
#include "uvmysql/export.hpp"

namespace uvmysql::detail {

class Runnable;

/// Runs `job` now if this thread is not already draining its run queue (and then drains whatever
/// `job` schedules), or appends it to the queue to run after the current job returns. This
/// trampoline is what keeps long chains of ready continuations off the stack.
UVMYSQL_API void schedule(Runnable& job) noexcept;

/// Runs every job queued on this thread, including those they queue, then marks the queue as
/// not draining. Only for the run queue's owners (schedule() and lib/async's scopes).
UVMYSQL_API void run_queued_jobs() noexcept;

/// True while this thread is draining its run queue (that is, inside a continuation).
[[nodiscard]] UVMYSQL_API bool draining() noexcept;

/// A job for the run queue: an intrusive node, so scheduling never allocates. A Runnable may be
/// queued at most once at a time.
class UVMYSQL_API Runnable {
public:
    Runnable(const Runnable&) = delete;
    Runnable& operator=(const Runnable&) = delete;

protected:
    Runnable() noexcept = default;
    ~Runnable() = default;

private:
    friend void schedule(Runnable& job) noexcept;
    friend void run_queued_jobs() noexcept;
    /// Called once per schedule(); may destroy *this.
    virtual void run() noexcept = 0;

    Runnable* next_ = nullptr;
};

/// The part of a future's shared state that does not depend on T: an intrusive reference count,
/// the outcome (pending / value / exception), the exception and the one continuation.
///
/// References: the Promise holds one, the Future holds one, and a pending continuation holds one
/// (handed over by whoever attaches it) that run() drops after the continuation returns.
/// An exception still stored when the state dies, after a Future for it was handed out, was never
/// consumed by anyone: it is logged.
class UVMYSQL_API StateBase : public Runnable {
public:
    /// What runs once the state is ready and a continuation is attached; gets the ready state.
    using Continuation = UniqueFunction<void(StateBase&)>;

    /// States come from per-thread free lists (most queries create and drop several): not
    /// from malloc in steady state.
    static void* operator new(std::size_t size);
    /// Gives the state's block back to the free lists (sized: `delete this` passes the size of
    /// the dynamic type).
    static void operator delete(void* block, std::size_t size) noexcept;

    void add_ref() noexcept { ++refs_; }
    void release() noexcept {
        if (--refs_ == 0) delete this;
    }
    [[nodiscard]] std::uint32_t use_count() const noexcept { return refs_; }

    [[nodiscard]] bool ready() const noexcept { return outcome_ != Outcome::pending; }
    [[nodiscard]] bool has_value() const noexcept { return outcome_ == Outcome::value; }
    [[nodiscard]] bool failed() const noexcept { return outcome_ == Outcome::exception; }

    [[nodiscard]] bool future_retrieved() const noexcept { return future_retrieved_; }
    void mark_future_retrieved() noexcept { future_retrieved_ = true; }

    /// Fails the state with `e` (non-null) and schedules the continuation, if one is attached.
    void set_exception(std::exception_ptr e) noexcept {
        assert(!ready() && "promise already satisfied");
        assert(e && "set_exception with a null exception_ptr");
        exception_ = std::move(e);
        outcome_ = Outcome::exception;
        complete();
    }

    /// Moves the stored exception out: it counts as handled from now on.
    [[nodiscard]] std::exception_ptr take_exception() noexcept { return std::move(exception_); }

    /// Drops a stored exception as handled (a late result after a timeout, a replaced error).
    void discard_exception() noexcept { exception_ = nullptr; }

    /// Attaches the continuation; the caller hands one reference over to it. Runs (or queues) the
    /// continuation at once if the state is already ready. At most one continuation per state.
    template <class F>
    void set_continuation(F&& f) {
        assert(!continuation_ && "a future has exactly one consumer");
        continuation_ = std::forward<F>(f);
        if (ready()) schedule(*this);
    }

protected:
    StateBase() noexcept;
    virtual ~StateBase();

    void mark_value() noexcept { outcome_ = Outcome::value; }
    void complete() noexcept {
        if (continuation_) schedule(*this);
    }

private:
    enum class Outcome : std::uint8_t { pending, value, exception };

    void run() noexcept final;

    std::uint32_t refs_ = 1;
    std::uint16_t owner_;  // tag of the creating thread, checked in debug builds
    Outcome outcome_ = Outcome::pending;
    bool future_retrieved_ = false;
    std::exception_ptr exception_;
    Continuation continuation_;
};

/// The shared state of a Future<T>: StateBase plus storage for one T. The value stays in place
/// (moved-from once consumed) until the state dies.
template <class T>
class State final : public StateBase {
public:
    State() noexcept {}
    ~State() override {
        if (has_value()) std::destroy_at(&value_);
    }

    /// Constructs the value from `args` and schedules the continuation. If constructing the value
    /// throws, the state stays pending and the exception propagates.
    template <class... Args>
    void set_value(Args&&... args) {
        assert(!ready() && "promise already satisfied");
        std::construct_at(&value_, std::forward<Args>(args)...);
        mark_value();
        complete();
    }

    [[nodiscard]] T& value() noexcept { return value_; }

private:
    union {
        T value_;
    };
};

template <>
class State<void> final : public StateBase {
public:
    State() noexcept = default;

    void set_value() noexcept {
        assert(!ready() && "promise already satisfied");
        mark_value();
        complete();
    }
};

/// An owning pointer to a state (one reference).
template <class S>
class StateRef {
public:
    StateRef() noexcept = default;
    /// Adopts a reference the caller already holds.
    explicit StateRef(S* adopted) noexcept : state_(adopted) {}
    StateRef(StateRef&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
    StateRef& operator=(StateRef&& other) noexcept {
        if (this != &other) {
            reset();
            state_ = std::exchange(other.state_, nullptr);
        }
        return *this;
    }
    StateRef(const StateRef&) = delete;
    StateRef& operator=(const StateRef&) = delete;
    ~StateRef() { reset(); }

    /// A new reference to `s`.
    static StateRef share(S* s) noexcept {
        s->add_ref();
        return StateRef(s);
    }

    S* get() const noexcept { return state_; }
    S* operator->() const noexcept { return state_; }
    S& operator*() const noexcept { return *state_; }
    explicit operator bool() const noexcept { return state_ != nullptr; }
    void reset() noexcept {
        if (state_ != nullptr) std::exchange(state_, nullptr)->release();
    }

private:
    S* state_ = nullptr;
};

/// Moves the outcome of a ready `from` into the pending `to` (either a State<T> or a Promise<T>).
template <class T, class Target>
void transfer(State<T>& from, Target& to) noexcept {
    if (from.failed()) {
        to.set_exception(from.take_exception());
        return;
    }
    if constexpr (std::is_void_v<T>) {
        to.set_value();
    } else {
        try {
            to.set_value(std::move(from.value()));
        } catch (...) {
            to.set_exception(std::current_exception());
        }
    }
}

/// The InterfaceError a Promise destroyed unfulfilled leaves in its future ("broken promise").
[[nodiscard]] UVMYSQL_API std::exception_ptr broken_promise_error();
/// The InterfaceError for using a default-constructed or already-consumed Future.
[[nodiscard]] UVMYSQL_API std::exception_ptr invalid_future_error();
/// Throws the InterfaceError of get() on a future that is not ready yet.
[[noreturn]] UVMYSQL_API void throw_future_not_ready();

}  // namespace uvmysql::detail

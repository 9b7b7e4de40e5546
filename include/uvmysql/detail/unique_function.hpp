// SPDX-License-Identifier: MIT
// UniqueFunction: a move-only, small-buffer-optimised callable wrapper (the futures' continuation slot).
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace uvmysql::detail {

/// Bytes a UniqueFunction keeps in place before it falls back to the heap: room for a lambda that
/// captures a shared handle, a pointer and a promise, the typical `.then()` continuation.
inline constexpr std::size_t unique_function_capacity = 5 * sizeof(void*);

template <class Signature, std::size_t Capacity = unique_function_capacity>
class UniqueFunction;

/// A move-only std::function: holds any callable that can be invoked as `R(Args...)`, including
/// ones that capture move-only objects. Callables of at most `Capacity` bytes, pointer alignment
/// and a non-throwing move constructor are stored in place; larger ones take one heap allocation.
/// Not thread-safe; an empty UniqueFunction must not be invoked.
template <class R, class... Args, std::size_t Capacity>
class UniqueFunction<R(Args...), Capacity> {
public:
    /// True if a callable of type F is stored in place (no allocation).
    template <class F>
    static constexpr bool stores_inline =
        sizeof(F) <= Capacity && alignof(F) <= alignof(void*) && std::is_nothrow_move_constructible_v<F>;

    /// An empty function.
    UniqueFunction() noexcept = default;
    /// An empty function.
    UniqueFunction(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): like std::function

    /// Wraps `f` (moved or copied in).
    template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, UniqueFunction> &&
             std::is_constructible_v<std::decay_t<F>, F> &&
             std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
        UniqueFunction(F&& f) {  // NOLINT(google-explicit-constructor): like std::function
        emplace<std::decay_t<F>>(std::forward<F>(f));
    }

    UniqueFunction(UniqueFunction&& other) noexcept { take(other); }

    UniqueFunction& operator=(UniqueFunction&& other) noexcept {
        if (this != &other) {
            reset();
            take(other);
        }
        return *this;
    }

    /// Destroys the held callable, leaving the function empty.
    UniqueFunction& operator=(std::nullptr_t) noexcept {
        reset();
        return *this;
    }

    /// Replaces the held callable with `f`, constructed in place.
    template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, UniqueFunction> &&
             std::is_constructible_v<std::decay_t<F>, F> &&
             std::is_invocable_r_v<R, std::decay_t<F>&, Args...>) UniqueFunction&
    operator=(F&& f) {
        reset();
        emplace<std::decay_t<F>>(std::forward<F>(f));
        return *this;
    }

    UniqueFunction(const UniqueFunction&) = delete;
    UniqueFunction& operator=(const UniqueFunction&) = delete;

    ~UniqueFunction() { reset(); }

    /// True if a callable is held.
    explicit operator bool() const noexcept { return ops_ != nullptr; }

    /// Calls the held callable; the function must not be empty.
    R operator()(Args... args) { return ops_->invoke(buffer_, std::forward<Args>(args)...); }

private:
    struct Ops {
        R (*invoke)(void* storage, Args&&... args);
        void (*relocate)(void* from, void* to) noexcept;  // move-construct into `to`, destroy `from`
        void (*destroy)(void* storage) noexcept;
    };

    template <class F>
    struct InlineOps {
        static F* get(void* storage) noexcept { return std::launder(static_cast<F*>(storage)); }
        static R invoke(void* storage, Args&&... args) {
            return std::invoke(*get(storage), std::forward<Args>(args)...);
        }
        static void relocate(void* from, void* to) noexcept {
            ::new (to) F(std::move(*get(from)));
            std::destroy_at(get(from));
        }
        static void destroy(void* storage) noexcept { std::destroy_at(get(storage)); }
        static constexpr Ops ops{&invoke, &relocate, &destroy};
    };

    template <class F>
    struct HeapOps {
        static F*& get(void* storage) noexcept { return *std::launder(static_cast<F**>(storage)); }
        static R invoke(void* storage, Args&&... args) {
            return std::invoke(*get(storage), std::forward<Args>(args)...);
        }
        static void relocate(void* from, void* to) noexcept { ::new (to) F*(get(from)); }
        static void destroy(void* storage) noexcept { delete get(storage); }
        static constexpr Ops ops{&invoke, &relocate, &destroy};
    };

    template <class F, class G>
    void emplace(G&& g) {
        if constexpr (stores_inline<F>) {
            ::new (static_cast<void*>(buffer_)) F(std::forward<G>(g));
            ops_ = &InlineOps<F>::ops;
        } else {
            ::new (static_cast<void*>(buffer_)) F*(new F(std::forward<G>(g)));
            ops_ = &HeapOps<F>::ops;
        }
    }

    void take(UniqueFunction& other) noexcept {
        if (other.ops_ != nullptr) {
            other.ops_->relocate(other.buffer_, buffer_);
            ops_ = std::exchange(other.ops_, nullptr);
        }
    }

    void reset() noexcept {
        if (ops_ != nullptr) std::exchange(ops_, nullptr)->destroy(buffer_);
    }

    const Ops* ops_ = nullptr;
    alignas(void*) std::byte buffer_[Capacity];
};

}  // namespace uvmysql::detail

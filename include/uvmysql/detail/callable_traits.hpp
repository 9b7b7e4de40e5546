// SPDX-License-Identifier: MIT
// SoleArg: the parameter type of a one-argument, non-generic callable (for typed on_error handlers).
#pragma once

#include <type_traits>

namespace uvmysql::detail {

/// `type` is the parameter type of a callable taking exactly one parameter, when that can be
/// read off its signature (function pointers, lambdas and functors with a single, non-template
/// operator()). Absent otherwise, so it can be used in concepts.
template <class F>
struct SoleArg {};

template <class R, class A>
struct SoleArg<R (*)(A)> {
    using type = A;
};
template <class R, class A>
struct SoleArg<R (*)(A) noexcept> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A)> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A) const> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A) noexcept> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A) const noexcept> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A)&> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A) const&> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A)& noexcept> {
    using type = A;
};
template <class C, class R, class A>
struct SoleArg<R (C::*)(A) const& noexcept> {
    using type = A;
};

template <class F>
requires requires { &F::operator(); }
struct SoleArg<F> : SoleArg<decltype(&F::operator())> {};

/// The single parameter type of F (decayed callable type), if it has exactly one.
template <class F>
using sole_arg_t = typename SoleArg<std::decay_t<F>>::type;

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// Compile-time proof that brace-initialised positional and named arguments pick the right form.
#include "uvmysql/params.hpp"

#include <gtest/gtest.h>

using namespace uvmysql;

namespace {

// What an API such as Cursor::execute(std::string_view, Args) sees.
Args::Style style_of(std::string_view /*query*/, const Args& args = {}) { return args.style(); }

// The overload set Args replaces. Templated on a tag so that the ambiguity can be probed in a
// requires-expression instead of breaking the build.
template <class Tag>
int two_overloads(Tag, const Params&) { return 1; }
template <class Tag>
int two_overloads(Tag, const NamedParams&) { return 2; }

template <class Tag>
constexpr bool named_single_pair_resolves = requires(Tag t) { two_overloads(t, {{"a", 1}}); };
template <class Tag>
constexpr bool empty_braces_resolve = requires(Tag t) { two_overloads(t, {}); };
template <class Tag>
Args::Style with_args(Tag, const Args& args) { return args.style(); }
template <class Tag>
constexpr bool args_single_pair_resolves = requires(Tag t) { with_args(t, {{"a", 1}}); };
template <class Tag>
constexpr bool args_empty_braces_resolve = requires(Tag t) { with_args(t, {}); };

}  // namespace

TEST(Args, BracedListsPickTheirStyle) {
    EXPECT_EQ(style_of("q"), Args::Style::none);
    EXPECT_EQ(style_of("q", {}), Args::Style::none);
    EXPECT_EQ(style_of("q", {5, "x"}), Args::Style::positional);
    EXPECT_EQ(style_of("q", {5}), Args::Style::positional);
    EXPECT_EQ(style_of("q", {"x"}), Args::Style::positional);
    EXPECT_EQ(style_of("q", {"a", 1}), Args::Style::positional);   // two values, not a pair
    EXPECT_EQ(style_of("q", {{"a", 1}, {"b", 2}}), Args::Style::named);
    EXPECT_EQ(style_of("q", {{"a", 1}}), Args::Style::named);
    EXPECT_EQ(style_of("q", {Value::List{1, 2, 3}}), Args::Style::positional);
    EXPECT_EQ(style_of("q", {Value::List{1, 2}, "x", Value()}), Args::Style::positional);
}

TEST(Args, ExistingContainersConvert) {
    Params p{1, 2};
    NamedParams n{{"a", 1}};
    EXPECT_EQ(style_of("q", p), Args::Style::positional);
    EXPECT_EQ(style_of("q", n), Args::Style::named);
    EXPECT_EQ(style_of("q", std::move(p)), Args::Style::positional);
    const Args a{{"a", 1}, {"b", "x"}};
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a.named()[1].first, "b");
    EXPECT_EQ(a.named()[1].second, Value("x"));
    const Args b{5, "x"};
    ASSERT_EQ(b.positional().size(), 2u);
    EXPECT_EQ(b.positional()[0], Value(5));
}

TEST(Args, PositionalValuesMoveOutOfAnArgsGivenAway) {
    Args a = Params{1, std::string(100, 'x')};
    const char* text = a.positional()[1].get_if<std::string>()->data();
    Params taken = std::move(a).positional();   // moved, not copied: the same text buffer
    ASSERT_EQ(taken.size(), 2u);
    EXPECT_EQ(taken[1].get_if<std::string>()->data(), text);
    const Args b{7};
    const Params copied = b.positional();   // an lvalue still copies
    EXPECT_EQ(copied, b.positional());
}

TEST(Args, PlainOverloadSetIsAmbiguousWhichIsWhyArgsExists) {
    // GCC 12 and Clang 14 both reject two_overloads(t, {{"a", 1}}) and two_overloads(t, {}).
    static_assert(!named_single_pair_resolves<int>);
    static_assert(!empty_braces_resolve<int>);
    static_assert(args_single_pair_resolves<int>);
    static_assert(args_empty_braces_resolve<int>);
    EXPECT_EQ(two_overloads(0, {5, "x"}), 1);
    EXPECT_EQ(two_overloads(0, {{"a", 1}, {"b", 2}}), 2);
}

TEST(Args, PositionalAndNamedBuildListsWithoutBraces) {
    const Params p = positional(5, "x", nullptr, std::string("y"));
    EXPECT_EQ(p, (Params{5, "x", nullptr, "y"}));
    EXPECT_TRUE(positional().empty());
    const NamedParams n = named("a", 1, std::string("b"), "x");
    EXPECT_EQ(n, (NamedParams{{"a", 1}, {"b", "x"}}));
    EXPECT_EQ(Args(named("a", 1)).style(), Args::Style::named);
}

namespace {
template <class... Ts>
constexpr bool named_accepts = requires(Ts... ts) { named(ts...); };
}  // namespace

TEST(Args, VariadicCallsTakeValuesButNotALoneList) {
    // What the variadic execute(query, values...) overloads accept; a lone list goes to Args.
    static_assert(detail::ParameterValues<int>);
    static_assert(detail::ParameterValues<const char (&)[2], long, std::nullptr_t>);
    static_assert(detail::ParameterValues<Params&, int>);   // a list beside others: one list value
    static_assert(detail::ParameterValues<Value>);
    static_assert(!detail::ParameterValues<>);
    static_assert(!detail::ParameterValues<Params&>);
    static_assert(!detail::ParameterValues<NamedParams>);
    static_assert(!detail::ParameterValues<Args&>);
    static_assert(!detail::ParameterValues<char>);   // Value('x') is refused
    static_assert(named_accepts<const char*, int>);
    static_assert(!named_accepts<const char*>);       // a name without its value
    static_assert(!named_accepts<int, int>);           // a name must be text
    SUCCEED();
}

// SPDX-License-Identifier: MIT
// Expr: building expression trees (operators, predicates, functions). Nothing is rendered here.
#include <utility>

#include "sql/sql_node.hpp"

namespace uvmysql::sql {

namespace {

using detail::Assoc;
using detail::NodePtr;
using detail::Precedence;
using detail::SqlNode;

NodePtr require(const Expr& e) {
    // An empty operand is reported when compiled, where every other misuse is reported too.
    return e.node();
}

Expr make(SqlNode node) { return Expr(std::make_shared<const SqlNode>(std::move(node))); }

Expr binary(const Expr& a, std::string op, const Expr& b, Precedence p, Assoc assoc) {
    SqlNode n(SqlNode::Kind::binary, p, std::move(op), assoc);
    n.children = {require(a), require(b)};
    return make(std::move(n));
}

Expr prefix(std::string op, const Expr& a, Precedence p) {
    SqlNode n(SqlNode::Kind::prefix, p, std::move(op));
    n.children = {require(a)};
    return make(std::move(n));
}

Expr postfix(const Expr& a, std::string op, Precedence p) {
    SqlNode n(SqlNode::Kind::postfix, p, std::move(op));
    n.children = {require(a)};
    return make(std::move(n));
}

bool is_null_bind(const Expr& e) {
    return e.node() && e.node()->kind == SqlNode::Kind::bind && e.node()->value.is_null();
}

Expr comparison(const Expr& a, std::string op, const Expr& b) {
    return binary(a, std::move(op), b, Precedence::comparison, Assoc::none);
}

Expr in_list(const Expr& e, std::vector<Value> values, bool negated) {
    if (values.empty()) return text(negated ? "1 = 1" : "1 = 0");   // `x IN ()` is a syntax error
    SqlNode n(SqlNode::Kind::in_list, Precedence::comparison);
    n.negated = negated;
    n.children.push_back(require(e));
    for (auto& v : values) n.children.push_back(Expr::bind(std::move(v)).node());
    return make(std::move(n));
}

Expr aggregate(std::string name, const Expr& e) {
    SqlNode n(SqlNode::Kind::function, Precedence::atom, std::move(name));
    n.children = {require(e)};
    return make(std::move(n));
}

Expr join_all(std::vector<Expr> conditions, std::string op, Precedence p, const char* if_none) {
    if (conditions.empty()) return text(if_none);
    Expr out = conditions.front();
    for (std::size_t i = 1; i < conditions.size(); ++i) out = binary(out, op, conditions[i], p, Assoc::full);
    return out;
}

}  // namespace

Expr Expr::bind(Value value) {
    SqlNode n(SqlNode::Kind::bind);
    n.value = std::move(value);
    return make(std::move(n));
}

Expr Expr::label(std::string name) const {
    SqlNode n(SqlNode::Kind::label, Precedence::top, std::move(name));
    n.children = {require(*this)};
    return make(std::move(n));
}

Expr Expr::asc() const { return postfix(*this, " ASC", Precedence::top); }
Expr Expr::desc() const { return postfix(*this, " DESC", Precedence::top); }
Expr Expr::in_(std::vector<Value> values) const { return in_list(*this, std::move(values), false); }
Expr Expr::not_in(std::vector<Value> values) const { return in_list(*this, std::move(values), true); }
Expr Expr::like(Expr pattern) const { return comparison(*this, "LIKE", pattern); }
Expr Expr::not_like(Expr pattern) const { return comparison(*this, "NOT LIKE", pattern); }
Expr Expr::is_null() const { return postfix(*this, " IS NULL", Precedence::comparison); }
Expr Expr::is_not_null() const { return postfix(*this, " IS NOT NULL", Precedence::comparison); }

Expr Expr::between(Expr low, Expr high) const {
    SqlNode n(SqlNode::Kind::between, Precedence::comparison);
    n.children = {require(*this), require(low), require(high)};
    return make(std::move(n));
}

Expr Expr::apply(detail::Op op, const Expr& a, const Expr& b) {
    using detail::Op;
    switch (op) {
        // `x = NULL` is never true in SQL: comparing with a NULL value means IS [NOT] NULL (SQLAlchemy).
        case Op::eq:
            if (is_null_bind(b)) return a.is_null();
            if (is_null_bind(a)) return b.is_null();
            return comparison(a, "=", b);
        case Op::ne:
            if (is_null_bind(b)) return a.is_not_null();
            if (is_null_bind(a)) return b.is_not_null();
            return comparison(a, "!=", b);
        case Op::lt: return comparison(a, "<", b);
        case Op::le: return comparison(a, "<=", b);
        case Op::gt: return comparison(a, ">", b);
        case Op::ge: return comparison(a, ">=", b);
        case Op::and_: return binary(a, "AND", b, Precedence::and_, Assoc::full);
        case Op::or_: return binary(a, "OR", b, Precedence::or_, Assoc::full);
        case Op::add: return binary(a, "+", b, Precedence::additive, Assoc::full);
        case Op::sub: return binary(a, "-", b, Precedence::additive, Assoc::left);
        case Op::mul: return binary(a, "*", b, Precedence::multiplicative, Assoc::full);
        case Op::div: return binary(a, "/", b, Precedence::multiplicative, Assoc::left);
        case Op::mod: return binary(a, "%", b, Precedence::multiplicative, Assoc::left);
    }
    return Expr();
}

Expr Expr::negated() const { return not_(*this); }
Expr Expr::minus() const { return prefix("-", *this, Precedence::unary); }

Expr and_(std::vector<Expr> conditions) { return join_all(std::move(conditions), "AND", Precedence::and_, "1 = 1"); }
Expr or_(std::vector<Expr> conditions) { return join_all(std::move(conditions), "OR", Precedence::or_, "1 = 0"); }
Expr not_(const Expr& condition) { return prefix("NOT ", condition, Precedence::not_); }

Expr count() {
    SqlNode n(SqlNode::Kind::function, Precedence::atom, "COUNT");
    n.star = true;
    return make(std::move(n));
}
Expr count(const Expr& e) { return aggregate("COUNT", e); }
Expr sum(const Expr& e) { return aggregate("SUM", e); }
Expr min(const Expr& e) { return aggregate("MIN", e); }
Expr max(const Expr& e) { return aggregate("MAX", e); }
Expr avg(const Expr& e) { return aggregate("AVG", e); }
Expr distinct(const Expr& e) { return prefix("DISTINCT ", e, Precedence::unary); }

Expr func(std::string name, std::vector<Expr> args) {
    SqlNode n(SqlNode::Kind::function, Precedence::atom, std::move(name));
    for (const auto& a : args) n.children.push_back(require(a));
    return make(std::move(n));
}

Expr text(std::string sql) {
    SqlNode n(SqlNode::Kind::text, Precedence::atom, std::move(sql));
    return make(std::move(n));
}

}  // namespace uvmysql::sql

// SPDX-License-Identifier: MIT
// The SQL expression layer (aiomysql.sa's SQLAlchemy Core counterpart): tables, columns,
// expressions and statements that compile to SQL text with %s placeholders plus bound Values.
#pragma once

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "uvmysql/error.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

/// A column looked up by a name (or Column) that is not there: a result row without that
/// column, a table without it, an INSERT or UPDATE naming it. errno 0, SQLSTATE 42S22 (column
/// not found); the message names the column. An InterfaceError: it is a mistake in the calling
/// code, not something the server said (SQLAlchemy's NoSuchColumnError).
class UVMYSQL_API NoSuchColumnError : public InterfaceError {
public:
    /// "no such column: `name`" followed by `where` (e.g. " in table `t`"), when not empty.
    explicit NoSuchColumnError(std::string_view name, std::string_view where = {});
};

namespace sql {

namespace detail {
/// The binary operators of Expr.
enum class Op : std::uint8_t { eq, ne, lt, le, gt, ge, and_, or_, add, sub, mul, div, mod };
struct SqlNode;
struct FromNode;
struct SelectData;
struct InsertData;
struct UpdateData;
struct DeleteData;
struct MetaDataState;
}  // namespace detail

// --- column types ----------------------------------------------------------------------------

/// Which SQL type a ColumnType stands for.
enum class TypeKind : std::uint8_t {
    integer, big_integer, small_integer, boolean, string, text, binary, large_binary,
    float_, numeric, date, datetime, time, enum_, json,
};

/// The SQL type of a Column, used by create_all() (DDL). Build one with the named types below:
/// `Integer()`, `String(255)`, `Numeric(10, 2)`, `DateTime(6)`, `Enum("a", "b")`...
class UVMYSQL_API ColumnType {
public:
    /// Which SQL type this is.
    [[nodiscard]] TypeKind kind() const noexcept { return kind_; }
    /// String/Binary length (0: none given), Numeric precision, DateTime fractional digits.
    [[nodiscard]] std::uint32_t length() const noexcept { return length_; }
    /// Numeric scale (digits after the decimal point); 0 for the other types.
    [[nodiscard]] std::uint32_t scale() const noexcept { return scale_; }
    /// The members of an Enum.
    [[nodiscard]] const std::vector<std::string>& members() const noexcept { return members_; }

protected:
    /// For the named types deriving from it; `length` and `scale` as the accessors describe them.
    explicit ColumnType(TypeKind kind, std::uint32_t length = 0, std::uint32_t scale = 0,
                        std::vector<std::string> members = {})
        : kind_(kind), length_(length), scale_(scale), members_(std::move(members)) {}

private:
    TypeKind kind_;
    std::uint32_t length_;
    std::uint32_t scale_;
    std::vector<std::string> members_;
};

/// INTEGER
struct Integer : ColumnType { Integer() : ColumnType(TypeKind::integer) {} };
/// BIGINT
struct BigInteger : ColumnType { BigInteger() : ColumnType(TypeKind::big_integer) {} };
/// SMALLINT
struct SmallInteger : ColumnType { SmallInteger() : ColumnType(TypeKind::small_integer) {} };
/// BOOL (TINYINT(1))
struct Boolean : ColumnType { Boolean() : ColumnType(TypeKind::boolean) {} };
/// VARCHAR(length); MySQL needs the length (DDL without one fails with ProgrammingError).
struct String : ColumnType { explicit String(std::uint32_t length = 0) : ColumnType(TypeKind::string, length) {} };
/// TEXT
struct Text : ColumnType { Text() : ColumnType(TypeKind::text) {} };
/// VARBINARY(length); the length is required as for String.
struct Binary : ColumnType { explicit Binary(std::uint32_t length = 0) : ColumnType(TypeKind::binary, length) {} };
/// BLOB
struct LargeBinary : ColumnType { LargeBinary() : ColumnType(TypeKind::large_binary) {} };
/// FLOAT
struct Float : ColumnType { Float() : ColumnType(TypeKind::float_) {} };
/// NUMERIC(precision, scale)
struct Numeric : ColumnType {
    /// `precision` total digits, `scale` of them after the decimal point.
    explicit Numeric(std::uint32_t precision = 10, std::uint32_t scale = 0)
        : ColumnType(TypeKind::numeric, precision, scale) {}
};
/// DATE
struct Date : ColumnType { Date() : ColumnType(TypeKind::date) {} };
/// DATETIME, or DATETIME(fsp) with fractional seconds (fsp 0 to 6).
struct DateTime : ColumnType { explicit DateTime(std::uint32_t fsp = 0) : ColumnType(TypeKind::datetime, fsp) {} };
/// TIME
struct Time : ColumnType { Time() : ColumnType(TypeKind::time) {} };
/// ENUM('a', 'b', ...): the members are bound values, escaped like any other.
struct Enum : ColumnType {
    /// ENUM of `members`, in order.
    explicit Enum(std::vector<std::string> members) : ColumnType(TypeKind::enum_, 0, 0, std::move(members)) {}
    /// ENUM of the members given one by one: `Enum("draft", "published")`.
    template <class... S>
    requires(sizeof...(S) > 0 && (std::constructible_from<std::string, S> && ...))
    explicit Enum(S&&... members) : Enum(std::vector<std::string>{std::string(std::forward<S>(members))...}) {}
};
/// JSON (MariaDB: LONGTEXT with a JSON_VALID check).
struct JSON : ColumnType { JSON() : ColumnType(TypeKind::json) {} };

/// \fn uvmysql::sql::String::String(std::uint32_t length)
/// VARCHAR(`length`); 0 leaves the length out, which compile() rejects for DDL.

/// \fn uvmysql::sql::Binary::Binary(std::uint32_t length)
/// VARBINARY(`length`); 0 leaves the length out, which compile() rejects for DDL.

/// \fn uvmysql::sql::DateTime::DateTime(std::uint32_t fsp)
/// DATETIME with `fsp` fractional-second digits (0 to 6; 0: plain DATETIME).

/// How a Column is declared. Outside coroutines a designated initializer reads well:
/// `Column("id", Integer(), {.primary_key = true})`; inside one (GCC 12 rejects braced lists in
/// co_await expressions) use the setters: `ColumnOptions().with_primary_key()`.
struct ColumnOptions {
    /// Part of the table's PRIMARY KEY (several columns make a composite key); NOT NULL unless
    /// `nullable` says otherwise.
    bool primary_key = false;
    /// Unset: NULL allowed unless the column is part of the primary key.
    std::optional<bool> nullable = std::nullopt;
    /// DEFAULT value in the DDL (a bound, escaped value).
    std::optional<Value> default_value = std::nullopt;
    /// Unset: AUTO_INCREMENT for the single integer primary key column (SQLAlchemy's "auto").
    std::optional<bool> autoincrement = std::nullopt;
    /// A UNIQUE constraint on this column alone.
    bool unique = false;

    /// A copy with primary_key set.
    [[nodiscard]] ColumnOptions with_primary_key(bool on = true) const { auto o = *this; o.primary_key = on; return o; }
    /// A copy with nullable set (false: NOT NULL).
    [[nodiscard]] ColumnOptions with_nullable(bool on) const { auto o = *this; o.nullable = on; return o; }
    /// A copy with default_value set.
    [[nodiscard]] ColumnOptions with_default(Value v) const { auto o = *this; o.default_value = std::move(v); return o; }
    /// A copy with autoincrement set (true: AUTO_INCREMENT, false: never).
    [[nodiscard]] ColumnOptions with_autoincrement(bool on) const { auto o = *this; o.autoincrement = on; return o; }
    /// A copy with unique set.
    [[nodiscard]] ColumnOptions with_unique(bool on = true) const { auto o = *this; o.unique = on; return o; }
};

// --- expressions -----------------------------------------------------------------------------

class Expr;
template <class T>
concept ExprSource = !std::derived_from<std::remove_cvref_t<T>, Expr> && std::constructible_from<Value, T>;

/// An SQL expression: a column, a bound value, an operator applied to expressions, a function
/// call, a label. Immutable and cheap to copy (one shared pointer). Any value a Value is made
/// from converts to a bound parameter: `tbl.c("id") == 5` compiles to `` `tbl`.`id` = %%s`` with
/// 5 in the parameters, never into the SQL text.
///
/// The C++ operators build expressions instead of computing: ==, !=, <, <=, >, >= compare;
/// && || ! are AND, OR, NOT (no short circuit: both sides are expressions); + - * / % and unary
/// - are arithmetic. Comparing with `nullptr` / `std::nullopt` gives IS NULL / IS NOT NULL.
class UVMYSQL_API Expr {
public:
    /// An empty expression: compiling it fails with ProgrammingError.
    Expr() = default;
    /// A bound value.
    template <ExprSource T>
    Expr(T&& value) : Expr(bind(Value(std::forward<T>(value)))) {}  // NOLINT: implicit by design
    /// A bound parameter holding `value`.
    [[nodiscard]] static Expr bind(Value value);

    /// `expr AS name` in a select list; elsewhere the expression itself (ORDER BY uses the name).
    [[nodiscard]] Expr label(std::string name) const;
    /// ORDER BY direction.
    [[nodiscard]] Expr asc() const;
    /// ORDER BY ... DESC.
    [[nodiscard]] Expr desc() const;
    /// `expr IN (%%s, %%s, ...)`; an empty list compiles to a false condition (1 = 0).
    [[nodiscard]] Expr in_(std::vector<Value> values) const;
    /// in_() with the values given one by one: `c.in_(1, 2, 3)`.
    template <class... Vs>
    requires(sizeof...(Vs) > 0 && (std::constructible_from<Value, Vs> && ...))
    [[nodiscard]] Expr in_(Vs&&... values) const {
        return in_(std::vector<Value>{Value(std::forward<Vs>(values))...});
    }
    /// `expr NOT IN (...)`; an empty list compiles to a true condition (1 = 1).
    [[nodiscard]] Expr not_in(std::vector<Value> values) const;
    /// not_in() with the values given one by one.
    template <class... Vs>
    requires(sizeof...(Vs) > 0 && (std::constructible_from<Value, Vs> && ...))
    [[nodiscard]] Expr not_in(Vs&&... values) const {
        return not_in(std::vector<Value>{Value(std::forward<Vs>(values))...});
    }
    /// `expr LIKE pattern` / `expr NOT LIKE pattern` (the pattern is bound; % and _ are LIKE's).
    [[nodiscard]] Expr like(Expr pattern) const;
    /// `expr NOT LIKE pattern`.
    [[nodiscard]] Expr not_like(Expr pattern) const;
    /// `expr IS NULL` (what `expr == nullptr` gives too).
    [[nodiscard]] Expr is_null() const;
    /// `expr IS NOT NULL` (what `expr != nullptr` gives too).
    [[nodiscard]] Expr is_not_null() const;
    /// `expr BETWEEN low AND high`.
    [[nodiscard]] Expr between(Expr low, Expr high) const;

    /// `a op b`; what the operators below call.
    [[nodiscard]] static Expr apply(detail::Op op, const Expr& a, const Expr& b);
    /// NOT (this).
    [[nodiscard]] Expr negated() const;
    /// -(this).
    [[nodiscard]] Expr minus() const;

    // Hidden friends: found only for Expr operands (and Column), so that in code that uses
    // namespace sql, `a || b` on other types that convert to Value stays what it was.
    /// `a = b`; `a IS NULL` when either side is a bound NULL (`nullptr`, `std::nullopt`).
    friend Expr operator==(const Expr& a, const Expr& b) { return apply(detail::Op::eq, a, b); }
    /// `a != b`; `a IS NOT NULL` when either side is a bound NULL.
    friend Expr operator!=(const Expr& a, const Expr& b) { return apply(detail::Op::ne, a, b); }
    /// `a < b`.
    friend Expr operator<(const Expr& a, const Expr& b) { return apply(detail::Op::lt, a, b); }
    /// `a <= b`.
    friend Expr operator<=(const Expr& a, const Expr& b) { return apply(detail::Op::le, a, b); }
    /// `a > b`.
    friend Expr operator>(const Expr& a, const Expr& b) { return apply(detail::Op::gt, a, b); }
    /// `a >= b`.
    friend Expr operator>=(const Expr& a, const Expr& b) { return apply(detail::Op::ge, a, b); }
    /// `a AND b` (both sides are always compiled: no short circuit).
    friend Expr operator&&(const Expr& a, const Expr& b) { return apply(detail::Op::and_, a, b); }
    /// `a OR b`.
    friend Expr operator||(const Expr& a, const Expr& b) { return apply(detail::Op::or_, a, b); }
    /// `a + b`.
    friend Expr operator+(const Expr& a, const Expr& b) { return apply(detail::Op::add, a, b); }
    /// `a - b`.
    friend Expr operator-(const Expr& a, const Expr& b) { return apply(detail::Op::sub, a, b); }
    /// `a * b`.
    friend Expr operator*(const Expr& a, const Expr& b) { return apply(detail::Op::mul, a, b); }
    /// `a / b`.
    friend Expr operator/(const Expr& a, const Expr& b) { return apply(detail::Op::div, a, b); }
    /// `a % b`, the modulo (doubled to `%%` in the compiled text, as placeholders require).
    friend Expr operator%(const Expr& a, const Expr& b) { return apply(detail::Op::mod, a, b); }
    /// `NOT (a)`.
    friend Expr operator!(const Expr& a) { return a.negated(); }
    /// `-(a)`.
    friend Expr operator-(const Expr& a) { return a.minus(); }

    /// True for a default-constructed Expr.
    [[nodiscard]] bool empty() const noexcept { return node_ == nullptr; }
    /// Internal: the expression tree.
    [[nodiscard]] const std::shared_ptr<const detail::SqlNode>& node() const noexcept { return node_; }
    /// Internal: wraps an expression tree.
    explicit Expr(std::shared_ptr<const detail::SqlNode> node) noexcept : node_(std::move(node)) {}

protected:
    /// The expression tree (nullptr when empty); shared by copies.
    std::shared_ptr<const detail::SqlNode> node_;
};

/// AND of every condition (1 = 1 when there is none).
UVMYSQL_API Expr and_(std::vector<Expr> conditions);
/// OR of every condition (1 = 0 when there is none).
UVMYSQL_API Expr or_(std::vector<Expr> conditions);
/// and_() with the conditions given one by one: `and_(a, b, c)` (no braced list).
template <class... Es>
requires(sizeof...(Es) > 1 && (std::constructible_from<Expr, Es> && ...))
[[nodiscard]] Expr and_(Es&&... conditions) {
    return and_(std::vector<Expr>{Expr(std::forward<Es>(conditions))...});
}
/// or_() with the conditions given one by one: `or_(a, b, c)` (no braced list).
template <class... Es>
requires(sizeof...(Es) > 1 && (std::constructible_from<Expr, Es> && ...))
[[nodiscard]] Expr or_(Es&&... conditions) {
    return or_(std::vector<Expr>{Expr(std::forward<Es>(conditions))...});
}
/// NOT (condition).
UVMYSQL_API Expr not_(const Expr& condition);

/// COUNT(*).
UVMYSQL_API Expr count();
/// COUNT(expr); `count(distinct(c))` is COUNT(DISTINCT c).
UVMYSQL_API Expr count(const Expr& e);
UVMYSQL_API Expr sum(const Expr& e);
UVMYSQL_API Expr min(const Expr& e);
UVMYSQL_API Expr max(const Expr& e);
UVMYSQL_API Expr avg(const Expr& e);
/// DISTINCT expr, for aggregate arguments.
UVMYSQL_API Expr distinct(const Expr& e);
/// Any SQL function: `func("COALESCE", {a, b})`. The name must be a plain identifier (letters,
/// digits, underscore): anything else fails with ProgrammingError when compiled.
UVMYSQL_API Expr func(std::string name, std::vector<Expr> args = {});
/// func() with the arguments one by one: `func("COALESCE", a, "none")` (no braced list, so it
/// compiles inside co_await expressions on GCC 12).
template <class... Es>
requires(sizeof...(Es) > 0 && (std::constructible_from<Expr, Es> && ...))
[[nodiscard]] Expr func(std::string name, Es&&... args) {
    return func(std::move(name), std::vector<Expr>{Expr(std::forward<Es>(args))...});
}
/// Raw SQL text, pasted as it is (a `%` in it is kept literally). Never build it from user
/// input: values belong in bound parameters.
UVMYSQL_API Expr text(std::string sql);

// --- schema ----------------------------------------------------------------------------------

/// A table column: its definition (name, type, options) and, once it belongs to a Table (as
/// `tbl.c("name")` returns it), an expression that compiles to the table-qualified name, both parts quoted with backticks.
class UVMYSQL_API Column : public Expr {
public:
    Column() = default;
    /// A column definition for a Table. The name may hold any character but NUL (it is quoted).
    Column(std::string name, ColumnType type, ColumnOptions options = {});

    /// The column name, as given (unquoted).
    [[nodiscard]] const std::string& name() const;
    /// The table it belongs to ("" before it is added to a Table).
    [[nodiscard]] const std::string& table_name() const;
    /// The SQL type the DDL declares.
    [[nodiscard]] const ColumnType& type() const;
    /// PRIMARY KEY, NULL, DEFAULT, AUTO_INCREMENT and UNIQUE as declared.
    [[nodiscard]] const ColumnOptions& options() const;
    /// Same definition object (C++ identity; `==` builds an SQL comparison instead).
    [[nodiscard]] bool same_as(const Column& other) const noexcept { return node_ == other.node_; }
};

class Select;
class Insert;
class Update;
class Delete;

/// A FROM item: a table or a join of tables. Cheap to copy.
class UVMYSQL_API From {
public:
    From() = default;
    /// `this JOIN right ON on`.
    [[nodiscard]] From join(const From& right, const Expr& on) const;
    /// `this LEFT OUTER JOIN right ON on`.
    [[nodiscard]] From outerjoin(const From& right, const Expr& on) const;

    /// Internal: the FROM tree.
    [[nodiscard]] const std::shared_ptr<const detail::FromNode>& node() const noexcept { return node_; }
    /// Internal: wraps a FROM tree.
    explicit From(std::shared_ptr<const detail::FromNode> node) noexcept : node_(std::move(node)) {}

protected:
    /// The FROM tree (nullptr for a default-constructed From); shared by copies.
    std::shared_ptr<const detail::FromNode> node_;
};

class MetaData;

/// A table: a name and its columns, registered in a MetaData. Cheap to copy (copies share it).
class UVMYSQL_API Table : public From {
public:
    Table() = default;
    /// Defines table `name` with `columns` and registers it in `metadata`. Throws
    /// ProgrammingError for an empty name or one with a NUL byte, duplicate column names, or a
    /// table of that name already in `metadata`.
    Table(MetaData& metadata, std::string name, std::vector<Column> columns);
    /// Table() with the columns given one by one: `Table(meta, "tbl", Column(...), Column(...))`.
    template <class... Cs>
    requires(std::same_as<std::remove_cvref_t<Cs>, Column> && ...)
    Table(MetaData& metadata, std::string name, Cs&&... columns)
        : Table(metadata, std::move(name), std::vector<Column>{std::forward<Cs>(columns)...}) {}

    /// The table name, as given (unquoted).
    [[nodiscard]] const std::string& name() const;
    /// The columns, bound to this table, in definition order.
    [[nodiscard]] const std::vector<Column>& columns() const;
    /// The column `name` (SQLAlchemy's `tbl.c.name`). Throws NoSuchColumnError naming it.
    [[nodiscard]] const Column& c(std::string_view name) const;
    /// The column `name`, or nullptr.
    [[nodiscard]] const Column* find(std::string_view name) const noexcept;

    /// SELECT every column FROM this table.
    [[nodiscard]] Select select() const;
    /// INSERT INTO this table: add the rows with Insert::values().
    [[nodiscard]] Insert insert() const;
    /// UPDATE this table: add SET and WHERE with Update::values() and Update::where().
    [[nodiscard]] Update update() const;
    /// DELETE (`delete` is a C++ keyword).
    [[nodiscard]] Delete delete_() const;
};

/// The tables of one schema, in the order they were defined (SQLAlchemy's MetaData). Copies
/// share the collection.
class UVMYSQL_API MetaData {
public:
    MetaData();
    /// Every table defined with this MetaData, in definition order.
    [[nodiscard]] const std::vector<Table>& tables() const;
    /// The table `name`, or nullptr.
    [[nodiscard]] const Table* find(std::string_view name) const noexcept;
    /// Internal: used by Table's constructor.
    void add(const Table& table);

private:
    std::shared_ptr<detail::MetaDataState> state_;
};

// --- statements ------------------------------------------------------------------------------

/// What a statement compiles to: SQL text with `%%s` placeholders (a literal `%` doubled, as the
/// library's query formatting expects) and the bound values in placeholder order. Execute it
/// with `cur.execute(c.sql, c.params)` or hand the statement to EngineConnection::execute().
struct UVMYSQL_API Compiled {
    /// The SQL text, with `%%s` placeholders.
    std::string sql;
    /// The bound values, one per placeholder, in order.
    Params params;

    /// The statement with the parameters interpolated through the library's escaping (as a
    /// connection without NO_BACKSLASH_ESCAPES would send it): for logs and debugging. Throws
    /// ProgrammingError for a value that has no SQL literal (NaN, infinity).
    [[nodiscard]] std::string str() const;
    /// Same SQL text and equal parameters.
    friend bool operator==(const Compiled&, const Compiled&) = default;
};
/// Prints the SQL text, then the parameters as Value prints them: `` ... WHERE `t`.`id` = %%s [int64(5)] ``.
UVMYSQL_API std::ostream& operator<<(std::ostream& os, const Compiled& c);

/// A SELECT statement. Each method returns a new Select, leaving this one unchanged.
class UVMYSQL_API Select {
public:
    /// SELECT of `columns` (select() is the usual way to make one); FROM lists the tables they use.
    explicit Select(std::vector<Expr> columns);

    /// Adds a WHERE condition (several are joined with AND).
    [[nodiscard]] Select where(const Expr& condition) const;
    /// An explicit FROM item (a join). Tables the columns use but no FROM item covers are
    /// added after it, as SQLAlchemy does.
    [[nodiscard]] Select select_from(const From& from) const;
    /// GROUP BY `exprs` (added to those given before).
    [[nodiscard]] Select group_by(std::vector<Expr> exprs) const;
    /// group_by() with the expressions given one by one.
    template <class... Es>
    requires(sizeof...(Es) > 0 && (std::constructible_from<Expr, Es> && ...))
    [[nodiscard]] Select group_by(Es&&... exprs) const {
        return group_by(std::vector<Expr>{Expr(std::forward<Es>(exprs))...});
    }
    /// Adds a HAVING condition (several are joined with AND).
    [[nodiscard]] Select having(const Expr& condition) const;
    /// ORDER BY; use `.desc()` / `.asc()` on the expressions for the direction.
    [[nodiscard]] Select order_by(std::vector<Expr> exprs) const;
    /// order_by() with the expressions given one by one: `order_by(tbl.c("id").desc())`.
    template <class... Es>
    requires(sizeof...(Es) > 0 && (std::constructible_from<Expr, Es> && ...))
    [[nodiscard]] Select order_by(Es&&... exprs) const {
        return order_by(std::vector<Expr>{Expr(std::forward<Es>(exprs))...});
    }
    /// LIMIT n (n is bound as a parameter).
    [[nodiscard]] Select limit(std::uint64_t n) const;
    /// OFFSET n. MySQL has no OFFSET without LIMIT, so without limit() the LIMIT is the largest
    /// there is (18446744073709551615), the MySQL manual's idiom.
    [[nodiscard]] Select offset(std::uint64_t n) const;
    /// SELECT DISTINCT.
    [[nodiscard]] Select distinct() const;

    /// Internal: the statement's parts, for compile().
    [[nodiscard]] const detail::SelectData& data() const noexcept { return *d_; }

private:
    std::shared_ptr<const detail::SelectData> d_;
};

namespace detail {
UVMYSQL_API void append_select_item(std::vector<Expr>& out, const Table& table);
UVMYSQL_API void append_select_item(std::vector<Expr>& out, const Expr& expr);

/// True when Ts alternate a column name and something an Expr is made from.
template <class... Ts>
struct NameExprPairs : std::false_type {};
template <>
struct NameExprPairs<> : std::true_type {};
template <class Name, class E, class... Rest>
struct NameExprPairs<Name, E, Rest...>
    : std::bool_constant<std::constructible_from<std::string, Name> && std::constructible_from<Expr, E> &&
                         NameExprPairs<Rest...>::value> {};

using Assignments = std::vector<std::pair<std::string, Expr>>;
inline void append_assignments(Assignments&) {}
template <class Name, class E, class... Rest>
void append_assignments(Assignments& out, Name&& name, E&& e, Rest&&... rest) {
    out.emplace_back(std::string(std::forward<Name>(name)), Expr(std::forward<E>(e)));
    append_assignments(out, std::forward<Rest>(rest)...);
}
}  // namespace detail

/// SELECT of columns, expressions, or every column of a table: `select(tbl.c("id"), count())`,
/// `select(tbl)`. The braced form `select({a, b})` works too, except inside co_await
/// expressions on GCC 12.
UVMYSQL_API Select select(std::vector<Expr> columns);
template <class... Items>
requires(sizeof...(Items) > 0 &&
         ((std::constructible_from<Expr, Items> || std::derived_from<std::remove_cvref_t<Items>, Table>) && ...))
[[nodiscard]] Select select(const Items&... items) {
    std::vector<Expr> columns;
    (detail::append_select_item(columns, items), ...);
    return select(std::move(columns));
}

/// INSERT INTO table (...) VALUES (...), one row or several.
class UVMYSQL_API Insert {
public:
    /// INSERT INTO `table` without rows yet (Table::insert() and insert() make the same).
    explicit Insert(const Table& table);
    /// One row: `values({{"val", "abc"}})`, or `values(named("val", "abc"))` in coroutines.
    /// Replaces rows given before. Unknown column names fail with NoSuchColumnError at compile().
    [[nodiscard]] Insert values(const NamedParams& row) const;
    /// One row from alternating names and values/expressions: `values("id", 1, "val", "abc")`.
    template <class... Ts>
    requires(sizeof...(Ts) > 0 && detail::NameExprPairs<Ts...>::value)
    [[nodiscard]] Insert values(Ts&&... names_and_values) const {
        detail::Assignments row;
        detail::append_assignments(row, std::forward<Ts>(names_and_values)...);
        return values_many(std::vector<detail::Assignments>{std::move(row)});
    }
    /// Several rows in one statement. Every row must name the same columns (in any order),
    /// else compile() fails with ProgrammingError.
    [[nodiscard]] Insert values_many(const std::vector<NamedParams>& rows) const;
    /// values_many() with each row as (column name, expression) pairs.
    [[nodiscard]] Insert values_many(std::vector<detail::Assignments> rows) const;

    /// Internal: the statement's parts, for compile().
    [[nodiscard]] const detail::InsertData& data() const noexcept { return *d_; }

private:
    std::shared_ptr<const detail::InsertData> d_;
};

/// UPDATE table SET ... [WHERE ...].
class UVMYSQL_API Update {
public:
    /// UPDATE `table` without assignments yet (Table::update() and update() make the same).
    explicit Update(const Table& table);
    /// SET name = value for each pair (added to those given before).
    [[nodiscard]] Update values(const NamedParams& assignments) const;
    /// SET from alternating names and values/expressions: `values("cnt", tbl.c("cnt") + 1)`.
    template <class... Ts>
    requires(sizeof...(Ts) > 0 && detail::NameExprPairs<Ts...>::value)
    [[nodiscard]] Update values(Ts&&... names_and_values) const {
        detail::Assignments set;
        detail::append_assignments(set, std::forward<Ts>(names_and_values)...);
        return set_all(std::move(set));
    }
    /// SET from (column name, expression) pairs, added to those given before. Unknown column
    /// names fail with NoSuchColumnError at compile().
    [[nodiscard]] Update set_all(detail::Assignments assignments) const;
    /// Adds a WHERE condition (several are joined with AND). Without one every row is updated.
    [[nodiscard]] Update where(const Expr& condition) const;

    /// Internal: the statement's parts, for compile().
    [[nodiscard]] const detail::UpdateData& data() const noexcept { return *d_; }

private:
    std::shared_ptr<const detail::UpdateData> d_;
};

/// DELETE FROM table [WHERE ...].
class UVMYSQL_API Delete {
public:
    /// DELETE FROM `table` (Table::delete_() and delete_() make the same).
    explicit Delete(const Table& table);
    /// Adds a WHERE condition (several are joined with AND). Without one every row is deleted.
    [[nodiscard]] Delete where(const Expr& condition) const;

    /// Internal: the statement's parts, for compile().
    [[nodiscard]] const detail::DeleteData& data() const noexcept { return *d_; }

private:
    std::shared_ptr<const detail::DeleteData> d_;
};

UVMYSQL_API Insert insert(const Table& table);
UVMYSQL_API Update update(const Table& table);
UVMYSQL_API Delete delete_(const Table& table);

/// CREATE TABLE [IF NOT EXISTS] for `table` (columns, PRIMARY KEY, UNIQUE).
struct UVMYSQL_API CreateTable {
    /// The table to create.
    Table table;
    /// Adds IF NOT EXISTS.
    bool if_not_exists = true;
};
/// DROP TABLE [IF EXISTS] `table`.
struct UVMYSQL_API DropTable {
    /// The table to drop.
    Table table;
    /// Adds IF EXISTS.
    bool if_exists = true;
};

// --- compiling -------------------------------------------------------------------------------

/// Compiles a statement or an expression to SQL text and parameters. Identifiers are quoted
/// with backticks (a backtick in a name doubled); values are always parameters. Throws
/// ProgrammingError for what cannot be expressed (an empty expression, a VARCHAR without
/// length, a bad function name, an identifier with a NUL byte) and NoSuchColumnError for a
/// column name a table does not have.
UVMYSQL_API Compiled compile(const Expr& expr);
UVMYSQL_API Compiled compile(const Select& stmt);
UVMYSQL_API Compiled compile(const Insert& stmt);
UVMYSQL_API Compiled compile(const Update& stmt);
UVMYSQL_API Compiled compile(const Delete& stmt);
UVMYSQL_API Compiled compile(const CreateTable& stmt);
UVMYSQL_API Compiled compile(const DropTable& stmt);
inline Compiled compile(const Compiled& c) { return c; }

/// The CREATE TABLE IF NOT EXISTS statements of every table of `metadata`, in definition order.
UVMYSQL_API std::vector<Compiled> create_all_statements(const MetaData& metadata);
/// The DROP TABLE IF EXISTS statements, in reverse definition order.
UVMYSQL_API std::vector<Compiled> drop_all_statements(const MetaData& metadata);

/// What EngineConnection::execute() takes as a statement: the statement classes, expressions
/// and already compiled statements (not plain values, which also convert to Expr).
template <class S>
concept Statement = std::same_as<std::remove_cvref_t<S>, Select> || std::same_as<std::remove_cvref_t<S>, Insert> ||
                    std::same_as<std::remove_cvref_t<S>, Update> || std::same_as<std::remove_cvref_t<S>, Delete> ||
                    std::same_as<std::remove_cvref_t<S>, CreateTable> ||
                    std::same_as<std::remove_cvref_t<S>, DropTable> ||
                    std::same_as<std::remove_cvref_t<S>, Compiled> || std::derived_from<std::remove_cvref_t<S>, Expr>;

/// Python's `str(stmt)`: the compiled statement with its values interpolated (Compiled::str()).
template <Statement S>
[[nodiscard]] std::string str(const S& statement) {
    return compile(statement).str();
}

}  // namespace sql
}  // namespace uvmysql

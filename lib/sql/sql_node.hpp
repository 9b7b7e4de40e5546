// SPDX-License-Identifier: MIT
// The expression layer's trees: what Expr, From and the statement classes point to.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uvmysql/sql.hpp"

namespace uvmysql::sql::detail {

/// Binding strength, MySQL's operator precedence (higher binds tighter); a child weaker than
/// its parent is put in parentheses.
enum class Precedence : int {
    top = 0,  // ordering, label: only at the top of an ORDER BY or select item
    or_ = 1,
    and_ = 2,
    not_ = 3,
    comparison = 4,  // = <> < IS LIKE IN BETWEEN
    additive = 5,
    multiplicative = 6,
    unary = 7,
    atom = 10,
};

/// How a binary operator groups: `a AND b AND c` needs no parentheses, `a - (b - c)` does,
/// and comparisons never chain without them.
enum class Assoc { full, left, none };

/// A column's definition, once attached to a table (`table` set).
struct ColumnDef {
    std::string name;
    std::string table;
    ColumnType type;
    ColumnOptions options;
};

struct SqlNode {
    enum class Kind {
        column,    // def
        bind,      // value
        text,      // raw SQL in `text`
        prefix,    // text + child (NOT, -, DISTINCT)
        postfix,   // child + text (IS NULL, ASC)
        binary,    // child0 text child1
        function,  // text(children...) or text(*) when `star`
        label,     // child AS text
        in_list,   // child0 [NOT] IN (children 1..n); `negated`
        between,   // child0 BETWEEN child1 AND child2
    };
    explicit SqlNode(Kind k, Precedence p = Precedence::atom, std::string t = {}, Assoc a = Assoc::full)
        : kind(k), precedence(p), assoc(a), text(std::move(t)) {}

    Kind kind;
    Precedence precedence = Precedence::atom;
    Assoc assoc = Assoc::full;
    std::string text;
    std::optional<ColumnDef> column;
    Value value;
    std::vector<std::shared_ptr<const SqlNode>> children;
    bool star = false;
    bool negated = false;
};
using NodePtr = std::shared_ptr<const SqlNode>;

/// The shared definition of a table.
struct TableData {
    std::string name;
    std::vector<Column> columns;
};

struct FromNode {
    enum class Kind { table, join };
    Kind kind = Kind::table;
    std::shared_ptr<const TableData> table;       // Kind::table
    std::shared_ptr<const FromNode> left, right;  // Kind::join
    Expr on;
    bool outer = false;
};

struct SelectData {
    std::vector<Expr> columns;
    std::vector<From> froms;
    std::vector<Expr> where;
    std::vector<Expr> group_by;
    std::vector<Expr> having;
    std::vector<Expr> order_by;
    std::optional<std::uint64_t> limit;
    std::optional<std::uint64_t> offset;
    bool distinct = false;
};

struct InsertData {
    Table table;
    std::vector<Assignments> rows;
};

struct UpdateData {
    Table table;
    Assignments set;
    std::vector<Expr> where;
};

struct DeleteData {
    Table table;
    std::vector<Expr> where;
};

struct MetaDataState {
    std::vector<Table> tables;
};

/// The table data behind a Table handle (null for an empty Table).
const TableData* table_data(const Table& t) noexcept;

/// A ProgrammingError (errno 0, SQLSTATE 42000) with `message`.
[[noreturn]] void throw_programming(std::string message);

}  // namespace uvmysql::sql::detail

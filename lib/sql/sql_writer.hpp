// SPDX-License-Identifier: MIT
// SqlWriter: renders expression trees into SQL text with %s placeholders and collects the values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/sql_node.hpp"

namespace uvmysql::sql::detail {

/// Where an expression stands: labels and orderings render differently at the top of a
/// select item or an ORDER BY / GROUP BY item.
enum class Place { plain, select_item, order_item };

class SqlWriter {
public:
    /// SQL text that holds no `%` (keywords, punctuation).
    void keyword(std::string_view s) { out_.sql += s; }
    /// A quoted identifier; throws ProgrammingError for an empty name or one with a NUL byte.
    void identifier(std::string_view name);
    /// `table`.`column`, or `column` when `table` is empty.
    void column(const ColumnDef& def, bool qualified = true);
    /// A placeholder for `v`.
    void bind(Value v);
    void expr(const NodePtr& node, Place place = Place::plain);
    /// Conditions joined with AND.
    void conditions(const std::vector<Expr>& conds);
    void from(const FromNode& node);
    [[nodiscard]] Compiled take() { return std::move(out_); }

private:
    void child(const NodePtr& node, Precedence parent, bool parens_on_tie);
    /// Raw text that may hold `%`: doubled, so that the query formatting keeps it literal.
    void text(std::string_view s);

    Compiled out_;
};

/// Adds the names of the tables `node` refers to that `out` does not hold yet, in order of
/// first appearance.
void collect_tables(const NodePtr& node, std::vector<std::string>& out);
/// The same for the tables a FROM item covers.
void collect_tables(const FromNode& node, std::vector<std::string>& out);

}  // namespace uvmysql::sql::detail

// SPDX-License-Identifier: MIT
// SqlWriter: expressions to SQL text, parenthesised by MySQL's operator precedence.
#include "sql/sql_writer.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include "common/status_error.hpp"
#include "values/escape.hpp"

namespace uvmysql::sql::detail {

namespace {

bool plain_identifier(std::string_view name) {
    if (name.empty()) return false;
    if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void add_table(const std::string& name, std::vector<std::string>& out) {
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
}

}  // namespace

void SqlWriter::text(std::string_view s) {
    for (char c : s) {
        if (c == '%') out_.sql += '%';
        out_.sql += c;
    }
}

void SqlWriter::identifier(std::string_view name) {
    std::string quoted;
    const uvmysql::detail::Status st = uvmysql::detail::append_identifier(name, quoted);
    if (!st.ok()) std::rethrow_exception(uvmysql::detail::to_exception(st));
    text(quoted);
}

void SqlWriter::column(const ColumnDef& def, bool qualified) {
    if (qualified && !def.table.empty()) {
        identifier(def.table);
        keyword(".");
    }
    identifier(def.name);
}

void SqlWriter::bind(Value v) {
    out_.sql += "%s";
    out_.params.push_back(std::move(v));
}

void SqlWriter::child(const NodePtr& node, Precedence parent, bool parens_on_tie) {
    if (!node) throw_programming("empty expression in an SQL statement");
    const bool parens = node->precedence < parent || (parens_on_tie && node->precedence == parent);
    if (parens) keyword("(");
    expr(node);
    if (parens) keyword(")");
}

void SqlWriter::expr(const NodePtr& node, Place place) {
    if (!node) throw_programming("empty expression in an SQL statement");
    const SqlNode& n = *node;
    switch (n.kind) {
        case SqlNode::Kind::column:
            column(*n.column);
            return;
        case SqlNode::Kind::bind:
            bind(n.value);
            return;
        case SqlNode::Kind::text:
            text(n.text);
            return;
        case SqlNode::Kind::prefix:
            keyword(n.text);
            // NOT and unary minus wrap anything but an atom: `NOT (a = 1)`, `-(%s)` (never `--5`).
            if (n.children[0] && n.children[0]->kind == SqlNode::Kind::column) {
                expr(n.children[0]);
            } else if (n.text == "DISTINCT ") {
                child(n.children[0], n.precedence, false);
            } else {
                keyword("(");
                expr(n.children[0]);
                keyword(")");
            }
            return;
        case SqlNode::Kind::postfix:
            if (n.precedence == Precedence::top && place != Place::order_item)
                throw_programming("asc()/desc() belongs in order_by()");
            if (n.precedence == Precedence::top && n.children[0] &&
                n.children[0]->kind == SqlNode::Kind::label) {
                expr(n.children[0], Place::order_item);  // ORDER BY `n` DESC
            } else {
                child(n.children[0], n.precedence == Precedence::top ? Precedence::or_ : n.precedence, true);
            }
            keyword(n.text);
            return;
        case SqlNode::Kind::binary:
            child(n.children[0], n.precedence, n.assoc == Assoc::none);
            keyword(" ");
            text(n.text);
            keyword(" ");
            child(n.children[1], n.precedence, n.assoc != Assoc::full);
            return;
        case SqlNode::Kind::function:
            if (!plain_identifier(n.text))
                throw_programming("bad SQL function name '" + n.text + "': letters, digits and _ only");
            keyword(n.text);
            keyword("(");
            if (n.star) keyword("*");
            for (std::size_t i = 0; i < n.children.size(); ++i) {
                if (i > 0) keyword(", ");
                expr(n.children[i]);
            }
            keyword(")");
            return;
        case SqlNode::Kind::label:
            if (place == Place::order_item) {
                identifier(n.text);
            } else if (place == Place::select_item) {
                child(n.children[0], Precedence::or_, false);
                keyword(" AS ");
                identifier(n.text);
            } else {
                child(n.children[0], Precedence::atom, false);
            }
            return;
        case SqlNode::Kind::in_list:
            child(n.children[0], n.precedence, true);
            keyword(n.negated ? " NOT IN (" : " IN (");
            for (std::size_t i = 1; i < n.children.size(); ++i) {
                if (i > 1) keyword(", ");
                expr(n.children[i]);
            }
            keyword(")");
            return;
        case SqlNode::Kind::between:
            child(n.children[0], n.precedence, true);
            keyword(" BETWEEN ");
            child(n.children[1], n.precedence, true);
            keyword(" AND ");
            child(n.children[2], n.precedence, true);
            return;
    }
}

void SqlWriter::conditions(const std::vector<Expr>& conds) {
    for (std::size_t i = 0; i < conds.size(); ++i) {
        if (i > 0) keyword(" AND ");
        child(conds[i].node(), conds.size() > 1 ? Precedence::and_ : Precedence::top, false);
    }
}

void SqlWriter::from(const FromNode& node) {
    if (node.kind == FromNode::Kind::table) {
        identifier(node.table->name);
        return;
    }
    if (!node.left || !node.right) throw_programming("a join of an empty From");
    from(*node.left);
    keyword(node.outer ? " LEFT OUTER JOIN " : " JOIN ");
    // A join on the right nests: a JOIN (b JOIN c ON ...) ON ...
    const bool nested = node.right->kind == FromNode::Kind::join;
    if (nested) keyword("(");
    from(*node.right);
    if (nested) keyword(")");
    keyword(" ON ");
    child(node.on.node(), Precedence::top, false);
}

void collect_tables(const NodePtr& node, std::vector<std::string>& out) {
    if (!node) return;
    if (node->column) add_table(node->column->table, out);
    for (const auto& c : node->children) collect_tables(c, out);
}

void collect_tables(const FromNode& node, std::vector<std::string>& out) {
    if (node.kind == FromNode::Kind::table) {
        add_table(node.table->name, out);
        return;
    }
    if (node.left) collect_tables(*node.left, out);
    if (node.right) collect_tables(*node.right, out);
}

}  // namespace uvmysql::sql::detail

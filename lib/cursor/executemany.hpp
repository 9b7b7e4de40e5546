// SPDX-License-Identifier: MIT
// executemany's statement builder: multi-row INSERT/REPLACE batching, as PyMySQL does it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "uvmysql/params.hpp"
#include "values/escape.hpp"

namespace uvmysql::detail {

/// The parts of `INSERT|REPLACE ... VALUES (row template) [ON DUPLICATE KEY UPDATE ...]`.
struct InsertValuesParts {
    std::string_view prefix;     // up to and including VALUES and the spaces after it
    std::string_view values;     // "(%s, %s)" or "(%(a)s, %(b)s)"
    std::string_view postfix;    // " ON DUPLICATE KEY UPDATE ..." or empty
};

/// Splits a statement that executemany can batch; false for any other statement.
bool split_insert_values(std::string_view query, InsertValuesParts& out);

/// The statements executemany sends for `query` and `seq`: for a batchable INSERT/REPLACE, as
/// few multi-row statements as fit in `max_statement_size` bytes each (a single row larger
/// than that is still sent alone, and the server judges it); otherwise one per Args.
Status build_executemany(std::string_view query, const std::vector<Args>& seq, const EscapeOptions& opts,
                         std::size_t max_statement_size, std::vector<std::string>& out);

}  // namespace uvmysql::detail

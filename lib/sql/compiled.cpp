// SPDX-License-Identifier: MIT
// Compiled: the display forms of a compiled statement (interpolated through the library's escaping).
#include <ostream>

#include "common/status_error.hpp"
#include "uvmysql/sql.hpp"
#include "values/format_query.hpp"

namespace uvmysql::sql {

std::string Compiled::str() const {
    std::string out;
    const uvmysql::detail::Status st =
        uvmysql::detail::format_query(sql, params, uvmysql::detail::EscapeOptions{}, out);
    if (!st.ok()) std::rethrow_exception(uvmysql::detail::to_exception(st));
    return out;
}

std::ostream& operator<<(std::ostream& os, const Compiled& c) {
    os << c.sql << " [";
    for (std::size_t i = 0; i < c.params.size(); ++i) os << (i > 0 ? ", " : "") << c.params[i];
    return os << "]";
}

}  // namespace uvmysql::sql

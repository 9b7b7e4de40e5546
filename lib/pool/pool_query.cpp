// SPDX-License-Identifier: MIT
// Pool::query() and Pool::execute(): one statement on a connection lent for just that statement;
// what with_connection() needs out of line.
#include "uvmysql/pool.hpp"

namespace uvmysql {

void detail::close_if_fatal(Connection& conn, const std::exception_ptr& error) noexcept {
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        if (is_fatal(e)) conn.close();
    } catch (...) {
    }
}

Future<std::vector<Row>> Pool::query(std::string sql, Args args) {
    return with_connection([sql = std::move(sql), args = std::move(args)](Connection conn) mutable {
        return conn.query(std::move(sql), std::move(args));
    });
}

Future<ResultSet> Pool::execute(std::string sql, Args args) {
    return with_connection([sql = std::move(sql), args = std::move(args)](Connection conn) mutable {
        return conn.execute(std::move(sql), std::move(args));
    });
}

}  // namespace uvmysql

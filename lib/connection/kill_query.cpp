// SPDX-License-Identifier: MIT
#include "connection/kill_query.hpp"

#include <string>

#include "uvmysql/connection.hpp"

namespace uvmysql::detail {

Future<void> kill_query(uv_loop_s* loop, ConnectOptions options, std::uint32_t thread_id) {
    // A plain, quick session: nothing of the user's set-up, and bounded by the grace period.
    options.init_command.reset();
    options.sql_mode.reset();
    options.autocommit.reset();
    options.show_warnings = false;
    options.read_default_file.clear();   // already applied to `options`
    options.query_timeout = std::chrono::milliseconds(0);
    options.connect_timeout = options.kill_grace;
    options.read_timeout = options.kill_grace;
    options.program_name = "uvmysql-kill";
    options.observer.reset();   // the library's own session: not the program's to see
    return connect(loop, std::move(options)).then([thread_id](Connection conn) {
        return conn.query("KILL QUERY " + std::to_string(thread_id)).then([conn](std::vector<ResultSet>) mutable {
            conn.close();
        });
    });
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// uvmysql-query: runs SQL from the command line or stdin and prints result rows as JSON lines.
#include <uv.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <uvmysql/uvmysql.hpp>
#include <uvmysql/version.hpp>

#include "command_line.hpp"
#include "error_report.hpp"
#include "query_runner.hpp"

namespace {

/// All of stdin; throws UsageError when it cannot be read.
std::string read_stdin() {
    if (::isatty(STDIN_FILENO) == 1) {
        throw query_tool::UsageError("no SQL given: use -e SQL, an SQL argument, or pipe SQL to stdin");
    }
    std::string text;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, n);
    if (std::ferror(stdin)) throw query_tool::UsageError("cannot read SQL from stdin");
    return text;
}

int run(query_tool::QueryCommand cmd) {
    using namespace query_tool;
    // Rows are written in large blocks unless a person is watching the terminal.
    if (::isatty(STDOUT_FILENO) != 1) std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
    RowPrinter printer(stdout);

    uv_loop_t loop;
    uv_loop_init(&loop);
    int status = exit_statement_failed;
    uvmysql::spawn(run_queries(&loop, std::move(cmd), printer))
        .then([&status](int s) { status = s; })
        .on_error([](const std::exception& e) { report_error(error_json(e)); })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);

    if (!printer.flush() && status == exit_ok) {
        report_error(error_json(0, "HY000", "OutputError", "writing the rows to stdout failed"));
        status = exit_statement_failed;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace query_tool;
    QueryCommand cmd;
    try {
        cmd = parse_command_line(std::vector<std::string_view>(argv + 1, argv + argc));
        if (cmd.help) {
            std::fputs(usage_text().c_str(), stdout);
            return exit_ok;
        }
        if (cmd.version) {
            std::printf("uvmysql-query %s\n", std::string(uvmysql::version()).c_str());
            return exit_ok;
        }
        if (cmd.sql.empty()) cmd.sql.push_back(read_stdin());
    } catch (const UsageError& e) {
        report_error(usage_error_json(e.what()));
        return exit_usage;
    }
    return run(std::move(cmd));
}

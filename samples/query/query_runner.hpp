// SPDX-License-Identifier: MIT
// Connects, runs each SQL text and prints every row of every result set as a JSON line.
#pragma once

#include <cstdio>
#include <string>

#include <uvmysql/task.hpp>

#include "command_line.hpp"
#include "value_json.hpp"

struct uv_loop_s;

namespace query_tool {

/// Writes rows to a FILE, one JSON value and a newline each, reusing one line buffer.
class RowPrinter {
public:
    explicit RowPrinter(std::FILE* out) : out_(out) {}

    template <class RowT>
    void print(const RowT& row) {
        line_.clear();
        append_row_json(line_, row);
        line_ += '\n';
        std::fwrite(line_.data(), 1, line_.size(), out_);
    }
    /// Flushes; false when anything could not be written.
    bool flush() { return std::fflush(out_) == 0 && !std::ferror(out_); }

private:
    std::FILE* out_;
    std::string line_;
};

/// Connects with cmd.connect, then runs cmd.sql in order, stopping at the first error; rows go
/// to `printer`. Errors are reported on stderr (report_error). Resolves to the exit status.
uvmysql::Task<int> run_queries(uv_loop_s* loop, QueryCommand cmd, RowPrinter& printer);

}  // namespace query_tool

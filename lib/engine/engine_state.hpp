// SPDX-License-Identifier: MIT
// The shared state behind Engine, EngineConnection and ResultProxy handles.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uvmysql/engine.hpp"
#include "uvmysql/ss_cursor.hpp"

namespace uvmysql::detail {

struct EngineState {
    Pool pool;
    std::string name;  // the dialect
};

struct EngineConnectionState {
    PooledConnection lent;
    Connection conn;
    bool closed = false;
};

struct ResultState {
    std::shared_ptr<const std::vector<std::string>> keys = std::make_shared<const std::vector<std::string>>();
    std::int64_t rowcount = -1;
    std::uint64_t lastrowid = 0;
    bool returns_rows = false;
    bool closed = true;
    // Buffered: every row, and the next one to hand out.
    std::vector<Row> rows;
    std::size_t pos = 0;
    // Streamed: the cursor the rows come from.
    std::optional<SSCursor> stream;
};

/// The SSCursor behind a streamed result (nullptr for a buffered one): for tests that check
/// its flow control.
[[nodiscard]] const SSCursor* stream_cursor(const ResultProxy& result) noexcept;

}  // namespace uvmysql::detail

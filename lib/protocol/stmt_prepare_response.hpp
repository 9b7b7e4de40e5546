// SPDX-License-Identifier: MIT
// The response to COM_STMT_PREPARE: PREPARE_OK, then the parameter and column definitions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// COM_STMT_PREPARE_OK's fields.
struct StmtPrepareOk {
    std::uint32_t statement_id = 0;
    std::uint16_t column_count = 0;   // result columns (0: the statement returns no rows)
    std::uint16_t param_count = 0;    // `?` placeholders
    std::uint16_t warning_count = 0;
};

/// Parses COM_STMT_PREPARE_OK: 0x00, int<4> statement id, int<2> columns, int<2> params,
/// int<1> filler, and int<2> warnings when the payload has them (12 bytes; a 10-byte payload
/// has none). Bytes after them (MySQL's optional-metadata flag, not negotiated) are ignored.
/// A wrong header or a truncated payload is cr::malformed_packet.
Status parse_stmt_prepare_ok(Bytes payload, StmtPrepareOk& out);

/// Reads the whole response to COM_STMT_PREPARE, one message at a time:
/// PREPARE_OK, param_count ColumnDefinition41 packets, then an EOF unless DEPRECATE_EOF (only
/// when there are parameters), then column_count definitions and their EOF likewise.
/// Flow: feed each message to on_message() until done() (or a failed Status).
class StmtPrepareReader {
public:
    /// For one response, on a session with the negotiated `capabilities`.
    explicit StmtPrepareReader(std::uint64_t capabilities) noexcept : capabilities_(capabilities) {}

    /// Takes the next message. An ERR as first message gives its server error (Status::server,
    /// the session stays usable); anything else unexpected is cr::malformed_packet.
    Status on_message(Bytes payload);
    /// True once the last message of the response has been read.
    [[nodiscard]] bool done() const noexcept { return stage_ == Stage::done; }

    /// PREPARE_OK's fields (valid after the first message).
    [[nodiscard]] const StmtPrepareOk& prepare_ok() const noexcept { return ok_; }
    /// The parameters' definitions (MariaDB and MySQL send placeholders typed as far as known).
    [[nodiscard]] std::vector<ColumnInfo>& params() noexcept { return params_; }
    /// The result columns' definitions.
    [[nodiscard]] std::vector<ColumnInfo>& columns() noexcept { return columns_; }

private:
    enum class Stage { prepare_ok, params, params_eof, columns, columns_eof, done };
    Status definition(Bytes payload, std::vector<ColumnInfo>& into, std::uint16_t count, Stage eof_stage);
    Status end_of_definitions(Bytes payload, Stage next);
    void after_params();

    std::uint64_t capabilities_;
    Stage stage_ = Stage::prepare_ok;
    StmtPrepareOk ok_;
    std::vector<ColumnInfo> params_;
    std::vector<ColumnInfo> columns_;
};

}  // namespace uvmysql::detail

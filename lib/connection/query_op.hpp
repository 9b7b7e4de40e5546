// SPDX-License-Identifier: MIT
// QueryOp: COM_QUERY and its response, for both buffered and streamed results.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "connection/observe.hpp"
#include "connection/op.hpp"
#include "connection/result_reader.hpp"
#include "uvmysql/detail/row_sink.hpp"

namespace uvmysql::detail {

/// One COM_STMT_EXECUTE: its payload, the statement's text (logged with echo, reported to an
/// observer; else empty) and where the statement's column definitions are kept (see
/// ResultReader::use_statement_columns()).
struct StatementRequest {
    std::string sql;
    std::vector<std::uint8_t> payload;
    ColumnsSlot columns;
    std::shared_ptr<RowSink> sink;   // Statement::execute_as(): where the rows go instead of Values
};

/// The exchange of one COM_QUERY (or of one COM_STMT_EXECUTE, whose response has the same
/// shape with binary rows), whatever becomes of its results: writes the statement, reads
/// the response through a ResultReader, keeps the session's status and counters, decodes rows
/// with the session's decoders and answers LOCAL INFILE requests. Where results go is the
/// subclass's job (BufferedQueryOp: ResultSets; StreamQueryOp: a RowStream).
///
/// Flow: write COM_QUERY -> read { header -> [columns -> rows -> end] }+ -> done; a LOCAL INFILE
/// request writes the file (or an empty packet) and reads on. With `fatal_errors` (the session
/// setup statements) a server error fails the session instead of only this op.
class QueryOp : public Op, private ResultSink {
public:
    [[nodiscard]] bool runs_statement() const override { return true; }
    [[nodiscard]] std::size_t request_size() const override {
        return binary_ ? request_.size() : 1 + sql_.size();
    }
    /// The COM_STMT_EXECUTE asks for a server-side cursor (see ResultReader::expect_cursor()).
    void expect_cursor() noexcept { reader_.expect_cursor(); }
    /// Rows go to `sink` (Connection::query_as(), Statement::execute_as()) instead of being
    /// decoded into Values; the first error it throws fails the op once the response has been read.
    void send_rows_to(std::shared_ptr<RowSink> sink) noexcept { sink_ = std::move(sink); }
    /// Reports this statement to `observer`: its start now, its end when the op resolves.
    void observe(Observer& observer, const SessionState& session);

protected:
    QueryOp(std::string sql, bool fatal_errors) : sql_(std::move(sql)), fatal_errors_(fatal_errors) {}
    /// A prepared statement's execution: its COM_STMT_EXECUTE payload (built and checked by the
    /// caller), binary rows.
    explicit QueryOp(StatementRequest&& request)
        : sql_(std::move(request.sql)),
          fatal_errors_(false),
          binary_(true),
          request_(std::move(request.payload)),
          statement_columns_(std::move(request.columns)),
          sink_(std::move(request.sink)) {}

    /// The rest of a server-side cursor's rows: `request` is a COM_STMT_FETCH payload, its
    /// response binary rows of `columns` and an end of rows, without a header.
    QueryOp(std::vector<std::uint8_t> request, std::shared_ptr<const std::vector<ColumnInfo>> columns)
        : fatal_errors_(false), binary_(true), request_(std::move(request)), fetch_columns_(std::move(columns)) {}
    Action step(SessionState& s, Bytes message) override;

    // --- what the subclass does with the results, in wire order -----------------------------
    /// A statement ended without a result set (the session already took the OK's values).
    virtual void deliver_ok(const OkPacket& ok) = 0;
    /// A result set starts.
    virtual void deliver_columns(const std::shared_ptr<const std::vector<ColumnInfo>>& columns) = 0;
    /// False when rows may be dropped undecoded (a stream being discarded).
    [[nodiscard]] virtual bool wants_rows() const { return true; }
    /// One decoded row of the current set.
    virtual void deliver_row(std::vector<Value>&& values) = 0;
    /// The current set ended after `rows` rows (counted even when dropped).
    virtual void deliver_end(const OkPacket& end, std::uint64_t rows) = 0;

    /// The ERR the server ended the response with, and whether it cut a result set short.
    [[nodiscard]] const Status& server_error() const noexcept { return reader_.server_error(); }
    [[nodiscard]] bool error_cut_result_set() const noexcept { return reader_.error_cut_result_set(); }
    /// Tells the observer, if any, that the statement ends with `failure` (null or ok: it
    /// succeeded). The first thing finish() and fail() do, so that the end is reported before
    /// any continuation runs.
    void observed_end(const Status* failure) noexcept {
        if (watch_) [[unlikely]] end_watch(failure);
    }

    /// A client-side failure that did not break the stream (a field that does not decode, a
    /// refused LOCAL INFILE): the op reads its response to the end, then reports it.
    [[nodiscard]] const Status& client_error() const noexcept { return error_; }

private:
    void end_watch(const Status* failure) noexcept;
    Status on_ok(const OkPacket& ok) override;
    Status on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) override;
    Status on_row(std::span<const FieldView> fields) override;
    Status on_end_of_rows(const OkPacket& end) override;
    Status on_local_infile(std::string_view filename) override;
    /// Hands one row to the sink (as text, also for binary rows).
    void to_sink_row(std::span<const FieldView> fields);
    /// Runs a sink call, keeping what it throws as the op's client error.
    template <class F>
    void to_sink(F&& call) noexcept;

    std::string sql_;
    bool fatal_errors_;
    bool binary_ = false;                 // COM_STMT_EXECUTE: request_ is sent, rows are binary
    std::vector<std::uint8_t> request_;
    ColumnsSlot statement_columns_;                                  // an execute's statement's
    std::shared_ptr<const std::vector<ColumnInfo>> fetch_columns_;   // a COM_STMT_FETCH's
    bool started_ = false;           // the request went into the session's output
    bool infile_answered_ = false;   // the file (or a refusal) waits in the session's output
    SessionState* session_ = nullptr;  // valid during step() only: the sink callbacks use it
    ResultReader reader_{*this};
    std::uint64_t rows_in_set_ = 0;
    Status error_;
    std::shared_ptr<RowSink> sink_;
    std::shared_ptr<const std::vector<ColumnInfo>> sink_columns_;   // the current set's (binary rows)
    std::unique_ptr<QueryWatch> watch_;   // null unless an Observer is installed
};

/// Reports `op`, a statement issued on the user's behalf, to the session's observer: with none
/// installed (the common case) this is one null check, no clock read and no allocation.
inline void observe_statement(const SessionState& s, QueryOp& op) {
    if (s.options->observer) [[unlikely]] op.observe(*s.options->observer, s);
}

}  // namespace uvmysql::detail

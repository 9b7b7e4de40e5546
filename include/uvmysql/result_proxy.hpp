// SPDX-License-Identifier: MIT
// ResultProxy: the result of EngineConnection::execute(), buffered or streamed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uvmysql/detail/unique_function.hpp"
#include "uvmysql/export.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/row_proxy.hpp"
#include "uvmysql/typed_row.hpp"
#include "uvmysql/value.hpp"

namespace uvmysql {

namespace detail {
struct ResultState;
struct Access;
}

/// The outcome of one EngineConnection::execute() (aiomysql.sa.ResultProxy). A cheap handle:
/// copies share the result. Call on the connection's loop thread.
///
/// Buffered by default: every row is read before execute() resolves, and the fetch methods
/// resolve at once. With `execution_options(ExecutionOptions().with_stream_results())` the rows
/// are read from the socket as they are fetched (an SSCursor underneath): memory stays flat,
/// and the connection runs nothing else until the rows are read or the result is closed.
///
/// Iterate with `while (auto row = co_await result.fetchone()) { ... }`, or for_each() without
/// coroutines. A result is closed once its rows are exhausted, by close(), or at once when the
/// statement returns no rows; fetches on a closed result that had rows resolve to nothing, on
/// one that never had rows fail with InterfaceError (SQLAlchemy's ResourceClosedError).
class UVMYSQL_API ResultProxy {
public:
    /// An empty result: no rows, closed.
    ResultProxy() = default;

    /// The column names ("keys" of the rows); empty when the statement returns no rows.
    [[nodiscard]] const std::vector<std::string>& keys() const;
    /// Rows matched by an UPDATE or DELETE (engines set CLIENT_FOUND_ROWS, as SQLAlchemy does),
    /// rows inserted, or rows of a buffered result set; -1 for a streamed result still being read.
    [[nodiscard]] std::int64_t rowcount() const;
    /// The AUTO_INCREMENT value of the last inserted row (0 when none).
    [[nodiscard]] std::uint64_t lastrowid() const;
    /// True when the statement returned rows (a result set, possibly empty).
    [[nodiscard]] bool returns_rows() const;
    /// True once closed (explicitly, or after the last row was fetched).
    [[nodiscard]] bool closed() const;
    /// Closes the result: a streamed one reads and drops what is left, so the connection can
    /// run other statements. Buffered rows not fetched yet are dropped. Idempotent.
    [[nodiscard]] Future<void> close();

    /// The next row, or std::nullopt after the last one (the result then closes itself).
    [[nodiscard]] Future<std::optional<RowProxy>> fetchone();
    /// Up to `size` rows (1 by default, DB-API's arraysize); fewer at the end, none after it.
    [[nodiscard]] Future<std::vector<RowProxy>> fetchmany(std::optional<std::size_t> size = std::nullopt);
    /// Every remaining row; the result is closed afterwards.
    [[nodiscard]] Future<std::vector<RowProxy>> fetchall();
    /// The next row converted into T, a std::tuple or a described struct (docs/values.md,
    /// "Typed rows"); the columns are checked once per result set.
    template <TypedRow T>
    [[nodiscard]] Future<std::optional<T>> fetchone(const RowMapping& mapping = {}) {
        return fetchone().then([mapping](std::optional<RowProxy> row) {
            if (!row) return std::optional<T>();
            return std::optional<T>(row_as<T>(std::move(*row).row(), mapping));
        });
    }
    /// Up to `size` rows converted into T.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchmany(std::optional<std::size_t> size = std::nullopt,
                                                   const RowMapping& mapping = {}) {
        return fetchmany(size).then([mapping](std::vector<RowProxy> rows) { return convert<T>(rows, mapping); });
    }
    /// Every remaining row converted into T; the result is closed afterwards.
    template <TypedRow T>
    [[nodiscard]] Future<std::vector<T>> fetchall(const RowMapping& mapping = {}) {
        return fetchall().then([mapping](std::vector<RowProxy> rows) { return convert<T>(rows, mapping); });
    }
    /// The first row (std::nullopt when there is none), then closes the result.
    [[nodiscard]] Future<std::optional<RowProxy>> first();
    /// The first column of the first row (NULL when there is no row), then closes the result.
    [[nodiscard]] Future<Value> scalar();
    /// Calls `fn` for each remaining row, in order; resolves when the rows are exhausted. A
    /// throwing `fn` stops the loop and fails the future with its exception (the result is
    /// closed first, so the connection is usable).
    [[nodiscard]] Future<void> for_each(detail::UniqueFunction<void(const RowProxy&)> fn);

private:
    friend struct detail::Access;   // the engine layer makes it and reads its state
    template <class T>
    static std::vector<T> convert(std::vector<RowProxy>& rows, const RowMapping& mapping) {
        std::vector<Row> plain;
        plain.reserve(rows.size());
        for (RowProxy& r : rows) plain.push_back(std::move(r).row());
        return rows_as<T>(std::move(plain), mapping);
    }
    explicit ResultProxy(std::shared_ptr<detail::ResultState> state) noexcept : state_(std::move(state)) {}
    std::shared_ptr<detail::ResultState> state_;
};

}  // namespace uvmysql

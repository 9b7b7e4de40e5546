// SPDX-License-Identifier: MIT
// RowSink: where a typed query's rows go straight from the wire, without a Value per field.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "uvmysql/typed_row.hpp"

namespace uvmysql::detail {

/// Receives the text rows of a query as they are read (Connection::query_as()). Runs on the
/// loop thread inside the read callback; what it throws fails the query once its response has
/// been read to the end (the connection stays in sync).
class RowSink {
public:
    virtual ~RowSink() = default;
    /// A result set starts: check its columns (throw when they do not fit).
    virtual void begin_set(const std::shared_ptr<const Columns>& columns) = 0;
    /// One row of the set begun last, one field per column.
    virtual void row(std::span<const FieldText> fields) = 0;
};

/// Converts the rows of the first result set into T with a plan made once for its columns;
/// later result sets (a CALL's status) are not rows of T and are left out.
template <class T>
class TypedRowSink final : public RowSink {
public:
    explicit TypedRowSink(const RowMapping& mapping) noexcept : mapping_(mapping) {}

    void begin_set(const std::shared_ptr<const Columns>& columns) override {
        if (columns_) {
            active_ = false;
            return;
        }
        columns_ = columns;
        // A statement run again shares its column metadata (the connection's column cache, a
        // prepared statement's columns): then its plan is reused, checked once, and its rows of
        // last time are reserved, so that they are converted in place.
        const CachedPlan<T>& cached = cached_plan<T>(columns_, mapping_);
        // A copy (a pointer and the column indexes): the per-thread plan may be replaced by
        // another connection's result set before this one ends.
        plan_.emplace(*cached.plan);
        rows_.reserve(cached.last_row_count);
    }
    void row(std::span<const FieldText> fields) override {
        if (!active_) return;
        if (rows_.size() < rows_.capacity()) {
            convert_at_end(rows_, fields);
            return;
        }
        if (overflow_.empty() || overflow_.back().size() == overflow_.back().capacity()) add_chunk();
        convert_at_end(overflow_.back(), fields);
    }

    /// The converted rows, in order, moved out once.
    std::vector<T> take_rows() {
        if (!overflow_.empty()) gather_overflow();
        CachedPlan<T>& cached = plan_cache<T>();
        if (columns_ && cached.raw == columns_.get() && cached.mapping == mapping_) {
            cached.last_row_count = rows_.size();
        }
        if (rows_.size() < rows_.capacity() / 2) rows_.shrink_to_fit();   // far fewer than last time
        return std::move(rows_);
    }

private:
    // Rows beyond the reserved ones wait in chunks that stay below glibc's mmap threshold, so
    // their memory comes from the heap and is reused; one growing vector of a large result
    // would be mmapped afresh, faulted in and unmapped at every doubling (docs/performance.md,
    // W3t).
    void add_chunk() {
        constexpr std::size_t chunk_bytes = 64 * 1024;
        constexpr std::size_t full = chunk_bytes / sizeof(T) > 0 ? chunk_bytes / sizeof(T) : 1;
        overflow_.emplace_back().reserve(overflow_.empty() ? (full < 16 ? full : 16) : full);
    }
    // Built in place (no tuple moved into the vector); a field that does not convert leaves no
    // half-filled row behind.
    void convert_at_end(std::vector<T>& rows, std::span<const FieldText> fields) {
        T& row = rows.emplace_back();
        try {
            plan_->convert_into(row, fields);
        } catch (...) {
            rows.pop_back();
            throw;
        }
    }
    void gather_overflow() {
        if (rows_.empty() && overflow_.size() == 1) {
            rows_ = std::move(overflow_.front());
        } else {
            std::size_t total = rows_.size();
            for (const auto& c : overflow_) total += c.size();
            rows_.reserve(total);
            for (auto& c : overflow_) {
                for (T& r : c) rows_.push_back(std::move(r));
            }
        }
        overflow_.clear();
    }

    std::vector<T> rows_;                    // reserved for as many rows as last time
    std::vector<std::vector<T>> overflow_;   // the rows after those
    RowMapping mapping_;
    std::shared_ptr<const Columns> columns_;   // keeps what plan_ points into
    std::optional<RowPlan<T>> plan_;
    bool active_ = true;
};

}  // namespace uvmysql::detail

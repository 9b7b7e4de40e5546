// SPDX-License-Identifier: MIT
// ColumnCache: the parsed column definitions of the last result set, keyed by their raw bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.hpp"
#include "protocol/bytes.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/column.hpp"

namespace uvmysql::detail {

/// A statement run again sends byte-identical column definitions. Collecting them raw and
/// comparing with the previous set's bytes lets the connection reuse the parsed metadata (and
/// everything keyed on it: row decoders, cursor descriptions) instead of parsing and
/// allocating it for every statement.
///
/// Flow per result set: begin(count), add() once per definition packet, then finish().
class ColumnCache {
public:
    /// A result set of `count` columns starts.
    void begin(std::size_t count);
    /// One ColumnDefinition41 payload, in order.
    void add(Bytes payload);
    /// True once add() was called `count` times.
    [[nodiscard]] bool complete() const noexcept { return added_ == count_; }
    /// The columns of the set just read: the previous set's shared object when the bytes are
    /// the same, else freshly parsed (a malformed definition is cr::malformed_packet).
    Status finish(std::shared_ptr<const std::vector<ColumnInfo>>& out);
    /// Room for the field views of one row of the current set, kept across statements.
    [[nodiscard]] std::vector<FieldView>& field_views() noexcept { return field_views_; }

private:
    std::vector<std::uint8_t> pending_;   // this set's definitions, each as int<4> length + bytes
    std::vector<std::uint8_t> cached_raw_;
    std::shared_ptr<const std::vector<ColumnInfo>> cached_;
    std::vector<FieldView> field_views_;
    std::size_t count_ = 0;
    std::size_t added_ = 0;
};

}  // namespace uvmysql::detail

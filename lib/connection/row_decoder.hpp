// SPDX-License-Identifier: MIT
// RowDecoder: text rows of one result set -> Values, shared by the buffered and streamed queries.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "protocol/text_row.hpp"
#include "uvmysql/value.hpp"
#include "values/text_decoder.hpp"

namespace uvmysql::detail {

/// The per-column decoders of the current result set, prepared once per set (the hot path then
/// only decodes). The connection keeps one: a statement run again gets the same shared columns
/// from the ColumnCache, and then the decoders are kept as they are.
class RowDecoder {
public:
    /// Prepares for a result set, with the connection's use_unicode and converters (null: none).
    void reset(bool use_unicode, const Converters* converters,
               const std::shared_ptr<const std::vector<ColumnInfo>>& columns);
    /// Decodes one row into `out` (resized to the column count). A field that does not decode
    /// becomes NULL and the first such failure is kept in `error`; returns false if any failed.
    bool decode(std::span<const FieldView> fields, std::vector<Value>& out, Status& error) const;

private:
    std::shared_ptr<const std::vector<ColumnInfo>> columns_;   // what decoders_ point into
    std::vector<ColumnDecoder> decoders_;
};

}  // namespace uvmysql::detail

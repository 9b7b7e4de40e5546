// SPDX-License-Identifier: MIT
#include "connection/row_decoder.hpp"


namespace uvmysql::detail {

void RowDecoder::reset(bool use_unicode, const Converters* converters,
                       const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    if (columns == columns_) return;
    decoders_.clear();
    decoders_.reserve(columns->size());
    for (const ColumnInfo& col : *columns) decoders_.emplace_back(col, use_unicode, converters);
    columns_ = columns;
}

bool RowDecoder::decode(std::span<const FieldView> fields, std::vector<Value>& out, Status& error) const {
    out.clear();
    out.reserve(fields.size());
    bool ok = true;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        ok &= decoders_[i].append(fields[i].text(), fields[i].is_null, out, error);
    }
    return ok;
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
#include "connection/row_decoder.hpp"

#include "common/logger.hpp"
#include "connection/connection_impl.hpp"
#include "protocol/commands.hpp"

namespace uvmysql::detail {

void RowDecoder::reset(const ConnectionImpl& conn, const std::shared_ptr<const std::vector<ColumnInfo>>& columns) {
    if (columns == columns_) return;
    const bool use_unicode = conn.options().use_unicode;
    decoders_.clear();
    decoders_.reserve(columns->size());
    for (const ColumnInfo& col : *columns) decoders_.emplace_back(col, use_unicode, conn.converters());
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

void send_query(ConnectionImpl& conn, std::string_view sql) {
    if (conn.options().echo) logger()->info("{}", sql);
    conn.send([&](std::vector<std::uint8_t>& out) { serialize_com_query(out, sql); });
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
#include "connection/row_decoder.hpp"

#include "common/logger.hpp"
#include "connection/connection_impl.hpp"
#include "protocol/commands.hpp"

namespace uvmysql::detail {

void RowDecoder::reset(const ConnectionImpl& conn, const std::vector<ColumnInfo>& columns) {
    const bool use_unicode = conn.options().use_unicode;
    decoders_.clear();
    decoders_.reserve(columns.size());
    for (const ColumnInfo& col : columns) decoders_.emplace_back(col, use_unicode, conn.converters());
}

bool RowDecoder::decode(std::span<const FieldView> fields, std::vector<Value>& out, Status& error) const {
    out.resize(fields.size());
    bool ok = true;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        Status bad;
        if (!decoders_[i].decode(fields[i].text(), fields[i].is_null, out[i], bad)) {
            out[i] = Value();
            if (ok && error.ok()) error = std::move(bad);
            ok = false;
        }
    }
    return ok;
}

void send_query(ConnectionImpl& conn, std::string_view sql) {
    if (conn.options().echo) logger()->info("{}", sql);
    conn.send([&](std::vector<std::uint8_t>& out) { serialize_com_query(out, sql); });
}

}  // namespace uvmysql::detail

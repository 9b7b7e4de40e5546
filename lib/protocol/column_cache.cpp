// SPDX-License-Identifier: MIT
#include "protocol/column_cache.hpp"

#include <cstring>

#include "protocol/column_definition.hpp"

namespace uvmysql::detail {

void ColumnCache::begin(std::size_t count) {
    pending_.clear();
    count_ = count;
    added_ = 0;
}

void ColumnCache::add(Bytes payload) {
    const auto n = static_cast<std::uint32_t>(payload.size());
    const std::uint8_t len[4] = {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                                 static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)};
    pending_.insert(pending_.end(), len, len + 4);
    pending_.insert(pending_.end(), payload.begin(), payload.end());
    ++added_;
}

Status ColumnCache::finish(std::shared_ptr<const std::vector<ColumnInfo>>& out) {
    if (cached_ && pending_ == cached_raw_) {
        out = cached_;
        return {};
    }
    auto columns = std::make_shared<std::vector<ColumnInfo>>(count_);
    std::size_t pos = 0;
    for (ColumnInfo& col : *columns) {
        std::uint32_t n = 0;
        for (int i = 3; i >= 0; --i) n = n << 8 | pending_[pos + static_cast<std::size_t>(i)];
        pos += 4;
        if (auto st = parse_column_definition41(Bytes(pending_.data() + pos, n), col); !st.ok()) return st;
        pos += n;
    }
    cached_raw_.swap(pending_);
    cached_ = columns;
    out = std::move(columns);
    return {};
}

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
#include "connection/statement_cache.hpp"

namespace uvmysql::detail {

void StatementCache::drop_other_epochs(std::uint64_t epoch) {
    if (epoch == epoch_) return;
    clear();
    epoch_ = epoch;
}

std::shared_ptr<StatementState> StatementCache::find(const std::string& sql, std::uint64_t epoch) {
    drop_other_epochs(epoch);
    auto it = by_sql_.find(sql);
    if (it == by_sql_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return order_.front();
}

void StatementCache::insert(const std::shared_ptr<StatementState>& st) {
    drop_other_epochs(st->epoch);
    if (capacity_ == 0 || by_sql_.count(st->sql) != 0) return;
    st->cached = true;
    order_.push_front(st);
    by_sql_.emplace(st->sql, order_.begin());
    while (order_.size() > capacity_) {
        order_.back()->cached = false;   // closed on the server once nobody holds it
        by_sql_.erase(order_.back()->sql);
        order_.pop_back();
    }
}

void StatementCache::clear() {
    for (auto& st : order_) st->closed = true;
    order_.clear();
    by_sql_.clear();
}

}  // namespace uvmysql::detail

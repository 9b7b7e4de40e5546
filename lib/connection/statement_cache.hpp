// SPDX-License-Identifier: MIT
// StatementCache: a connection's least-recently-used prepared statements, by their text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "connection/statement_state.hpp"

namespace uvmysql::detail {

/// At most `capacity` statements, keyed by their SQL text; the least recently used is evicted
/// first. The cache does no I/O: an evicted statement is only released, and the server closes
/// it when its last holder lets go (~StatementState), so a Statement handle a user still holds
/// stays usable. An epoch other than the one the statements were prepared in (the session was
/// reset or reopened, so the server forgot them) empties it.
class StatementCache {
public:
    /// Sets the most statements kept (0: none); call before the first insert().
    void set_capacity(std::size_t capacity) noexcept { capacity_ = capacity; }

    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }

    /// The cached statement for `sql` in `epoch`, now the most recently used; null on a miss.
    std::shared_ptr<StatementState> find(const std::string& sql, std::uint64_t epoch);
    /// Adds `st` (prepared in st->epoch, its text not cached yet) as the most recently used,
    /// evicting the least recently used beyond the capacity. Does nothing when the capacity is 0.
    void insert(const std::shared_ptr<StatementState>& st);
    /// Forgets every statement (marked closed: the server already forgot them).
    void clear();

private:
    void drop_other_epochs(std::uint64_t epoch);

    std::size_t capacity_ = 0;
    std::uint64_t epoch_ = 0;
    std::list<std::shared_ptr<StatementState>> order_;   // most recently used first
    std::unordered_map<std::string, std::list<std::shared_ptr<StatementState>>::iterator> by_sql_;
};

}  // namespace uvmysql::detail

// SPDX-License-Identifier: MIT
// glob_match(): the node-name patterns of PoolCluster::of().
#pragma once

#include <string_view>

namespace uvmysql::detail {

/// True when `name` matches `pattern`, where `*` stands for any run of characters (also none)
/// and `?` for one character; everything else matches itself.
bool glob_match(std::string_view pattern, std::string_view name) noexcept;

}  // namespace uvmysql::detail

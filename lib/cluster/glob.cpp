// SPDX-License-Identifier: MIT
// glob_match(): `*` and `?` over node names, iteratively (no recursion, linear backtracking).
#include "cluster/glob.hpp"

#include <cstddef>

namespace uvmysql::detail {

bool glob_match(std::string_view pattern, std::string_view name) noexcept {
    std::size_t p = 0, n = 0;
    std::size_t star = std::string_view::npos, star_n = 0;   // the last `*` and where it resumed
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_n = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;   // let the last `*` swallow one more character
            n = ++star_n;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace uvmysql::detail

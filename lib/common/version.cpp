// SPDX-License-Identifier: MIT
// uvmysql::version(): the version this library was built as (uvmysql/version.hpp).
#include "uvmysql/version.hpp"

namespace uvmysql {

std::string_view version() noexcept { return UVMYSQL_VERSION_STRING; }

}  // namespace uvmysql

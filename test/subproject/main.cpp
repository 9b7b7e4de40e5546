// SPDX-License-Identifier: MIT
// Proves a consumer project builds and links against uvmysql's public API only.
#include <uvmysql/error.hpp>

#include <cstdio>

int main() {
    const uvmysql::OperationalError e(2003, "HY000", "Can't connect to MySQL server");
    std::printf("uvmysql consumer: %s (errno %d, sqlstate %s)\n", e.what(), e.errno_code(),
                e.sqlstate().c_str());
    const bool ok = e.errno_code() == 2003 && e.sqlstate() == "HY000" &&
                    uvmysql::error_class_of(e) == uvmysql::ErrorClass::operational;
    return ok ? 0 : 1;
}

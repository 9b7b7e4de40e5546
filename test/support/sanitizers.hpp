// SPDX-License-Identifier: MIT
// UVMYSQL_TEST_ASAN: defined when the test is built with AddressSanitizer, by GCC
// (__SANITIZE_ADDRESS__) or by clang (__has_feature). Memory measurements that ASan's
// quarantine and redzones would distort test on it.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define UVMYSQL_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UVMYSQL_TEST_ASAN 1
#endif
#endif

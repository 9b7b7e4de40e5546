// SPDX-License-Identifier: MIT
// UVMYSQL_API marks what libuvmysql exports. The library is built with hidden symbol
// visibility, so a class or function of the public API is reachable from a program only when
// its declaration carries this mark; everything else (lib/) stays private to the library.
#pragma once

#if defined(_WIN32) || defined(__CYGWIN__)
#  define UVMYSQL_API
#else
#  define UVMYSQL_API __attribute__((visibility("default")))
#endif

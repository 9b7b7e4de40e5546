// SPDX-License-Identifier: MIT
// Runs one sample coroutine on a fresh loop and turns its outcome into an exit status.
#pragma once

#include <uv.h>

#include <cstdio>
#include <uvmysql/uvmysql.hpp>

namespace samples {

/// Runs `make_task(loop)` to completion; prints an error and returns 1 if it failed.
template <class MakeTask>
int run(MakeTask make_task) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    int exit_code = 1;
    uvmysql::spawn(make_task(&loop))
        .then([&exit_code]() { exit_code = 0; })
        .on_error([](const uvmysql::Error& e) { std::fprintf(stderr, "error: %s\n", e.what()); })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}

}  // namespace samples

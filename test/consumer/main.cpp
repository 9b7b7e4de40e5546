// SPDX-License-Identifier: MIT
// A consumer of the public API only, run against the private test server: connect, a coroutine
// query with parameters (the forms GCC 12 accepts inside co_await), an error caught by its class
// (its type information must cross the shared library's boundary) and a pool. Built as a Meson
// subproject user (test/subproject) and against an installed uvmysql through CMake and
// pkg-config (test/packaging).
#include <uv.h>
#include <uvmysql/uvmysql.hpp>
#include <uvmysql/version.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

uvmysql::ConnectOptions options_from_env() {
    auto env = [](const char* name, const char* fallback) {
        const char* v = std::getenv(name);
        return std::string(v && *v ? v : fallback);
    };
    uvmysql::ConnectOptions opt;
    opt.host = env("UVMYSQL_TEST_HOST", "127.0.0.1");
    opt.port = std::atoi(env("UVMYSQL_TEST_PORT", "3307").c_str());
    opt.user = env("UVMYSQL_TEST_USER", "root");
    opt.password = env("UVMYSQL_TEST_PASSWORD", "");
    return opt;
}

void expect(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "uvmysql consumer: unexpected result: %s\n", what);
    std::exit(1);
}

uvmysql::Task<> run(uv_loop_t* loop, uvmysql::ConnectOptions opt) {
    auto conn = co_await uvmysql::connect(loop, opt);
    auto cur = conn.cursor<uvmysql::DictCursor>();
    const std::int64_t id = 41;
    co_await cur.execute("SELECT %s + 1 AS answer, %s AS name", id, "uvmysql");
    auto row = co_await cur.fetchone();
    expect(row && (*row)["answer"].as<std::int64_t>() == 42, "SELECT %s + 1 with a variadic parameter");
    expect((*row)["name"].as<std::string>() == "uvmysql", "a string parameter");
    co_await cur.execute("SELECT %(a)s * %(b)s", uvmysql::named("a", 6, "b", 7));
    expect(cur.rowcount() == 1, "named parameters");
    int syntax_errno = 0;
    try {
        co_await cur.execute("SELEKT 1");
    } catch (const uvmysql::ProgrammingError& e) {
        syntax_errno = e.errno_code();
    }
    expect(syntax_errno == 1064, "a syntax error caught as ProgrammingError (1064)");
    co_await conn.ensure_closed();

    uvmysql::PoolOptions pool_options;
    pool_options.maxsize = 2;
    auto pool = co_await uvmysql::create_pool(loop, opt, pool_options);
    std::vector<uvmysql::Row> rows = co_await pool.query("SELECT %s UNION ALL SELECT %s", 1, 2);
    expect(rows.size() == 2 && rows[1].at(0).as<std::int64_t>() == 2, "Pool::query");
    expect(pool.stats().in_use == 0, "Pool::query returned its connection");
    pool.close();
    co_await pool.wait_closed();
    std::printf("uvmysql consumer: connect, coroutine queries with parameters and a pool: ok\n");
}

}  // namespace

int main() {
    expect(uvmysql::version() == UVMYSQL_VERSION_STRING, "the library's version is the headers' version");
    uv_loop_t loop;
    uv_loop_init(&loop);
    auto done = uvmysql::spawn(run(&loop, options_from_env()));
    uv_run(&loop, UV_RUN_DEFAULT);
    int status = 0;
    try {
        std::move(done).get();
    } catch (const uvmysql::Error& e) {
        std::fprintf(stderr, "uvmysql consumer: %s (is the test server running? see test/mariadb/server.sh)\n",
                     e.what());
        status = 1;
    }
    return uv_loop_close(&loop) == 0 ? status : 1;
}

// SPDX-License-Identifier: MIT
// aiomysql docs: a stored procedure that increments its argument, called with callproc().
#include "run_sample.hpp"
#include "sample_options.hpp"

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    auto cur = conn.cursor();
    co_await cur.execute("DROP PROCEDURE IF EXISTS myinc");
    const std::string create = R"(CREATE PROCEDURE myinc(p1 INT)
                                  BEGIN
                                      SELECT p1 + 1;
                                  END)";
    co_await cur.execute(create);
    const uvmysql::Params args{1};
    co_await cur.callproc("myinc", args);
    auto row = co_await cur.fetchone();
    std::printf("myinc(1) = %s\n", row.value().at(0).to_string().c_str());
    co_await cur.execute("DROP PROCEDURE myinc");
    conn.close();
}

int main() { return samples::run(example); }

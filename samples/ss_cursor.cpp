// SPDX-License-Identifier: MIT
// aiomysql docs: SSCursor — a million rows streamed with flat memory.
#include "run_sample.hpp"
#include "sample_options.hpp"

uvmysql::Task<> example(uv_loop_t* loop) {
    auto conn = co_await uvmysql::connect(loop, samples::options_from_env("test_pymysql"));
    auto cur = conn.cursor<uvmysql::SSCursor>();
    co_await cur.execute("SELECT seq, MD5(seq) FROM seq_1_to_1000000");
    std::uint64_t rows = 0, sum = 0;
    for (;;) {
        auto batch = co_await cur.fetchmany(10'000);   // the socket is read as rows are taken
        if (batch.empty()) break;
        for (const auto& row : batch) sum += row[0].as<std::uint64_t>();
        rows += batch.size();
    }
    std::printf("%llu rows streamed, sum of ids %llu, rowcount %lld\n", static_cast<unsigned long long>(rows),
                static_cast<unsigned long long>(sum), static_cast<long long>(cur.rowcount()));
    co_await cur.close();
    conn.close();
}

int main() { return samples::run(example); }

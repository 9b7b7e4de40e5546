// SPDX-License-Identifier: MIT
// An Observer that exports each statement as an OpenTelemetry-shaped span (one JSON line), then
// the pool's PoolStats and a per-operation query-duration histogram as Prometheus text.
#include <uv.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <uvmysql/task.hpp>
#include <uvmysql/uvmysql.hpp>

#include "run_sample.hpp"
#include "sample_options.hpp"

namespace {

/// `s` as a JSON string literal: quotes, backslashes and control characters escaped (UTF-8
/// passes through as it is).
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

/// `s` as a Prometheus label value (backslash, double quote and newline escaped).
std::string label_value(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

const char* error_class_name(uvmysql::ErrorClass c) {
    switch (c) {
        case uvmysql::ErrorClass::interface:
            return "InterfaceError";
        case uvmysql::ErrorClass::database:
            return "DatabaseError";
        case uvmysql::ErrorClass::data:
            return "DataError";
        case uvmysql::ErrorClass::operational:
            return "OperationalError";
        case uvmysql::ErrorClass::integrity:
            return "IntegrityError";
        case uvmysql::ErrorClass::internal:
            return "InternalError";
        case uvmysql::ErrorClass::programming:
            return "ProgrammingError";
        case uvmysql::ErrorClass::not_supported:
            return "NotSupportedError";
    }
    return "Error";
}

std::uint64_t unix_nanos() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

/// Query durations of one db.operation, in Prometheus' cumulative-bucket form.
struct Histogram {
    static constexpr std::array<double, 10> bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                   0.005,  0.01,    0.025,  0.1,   1.0};
    std::array<std::uint64_t, bounds.size()> le{};  // cumulative: observations <= bound
    std::uint64_t count = 0;
    double sum = 0;

    void observe(double seconds) {
        for (std::size_t i = 0; i < bounds.size(); ++i) le[i] += seconds <= bounds[i];
        ++count;
        sum += seconds;
    }
};

class Exporter final : public uvmysql::Observer {
public:
    // The start time travels in user_token: no map from statements to spans is needed.
    void on_query_start(uvmysql::QueryEvent& event) override { event.user_token = unix_nanos(); }

    void on_query_end(uvmysql::QueryEvent& event, const uvmysql::QueryOutcome& outcome) override {
        const std::uint64_t start = event.user_token;
        const std::uint64_t end = start + static_cast<std::uint64_t>(outcome.duration.count());
        const auto& s = event.server;
        const std::string operation(event.db_operation.empty() ? "OTHER" : event.db_operation);
        std::string line = "{\"name\":" + json_string(operation + " " + std::string(s.db_name)) +
                           ",\"kind\":\"CLIENT\",\"span_id\":\"" + span_id() +
                           "\",\"start_time_unix_nano\":" + std::to_string(start) +
                           ",\"end_time_unix_nano\":" + std::to_string(end) + ",\"attributes\":{" +
                           "\"db.system\":" + json_string(s.db_system) +
                           ",\"db.statement\":" + json_string(event.statement) +
                           ",\"db.operation\":" + json_string(operation) +
                           ",\"db.name\":" + json_string(s.db_name);
        if (s.net_sock_path.empty()) {
            line += ",\"net.peer.name\":" + json_string(s.net_peer_name) +
                    ",\"net.peer.port\":" + std::to_string(s.net_peer_port);
        } else {
            line += ",\"net.sock.peer.addr\":" + json_string(s.net_sock_path) + ",\"net.transport\":\"unix\"";
        }
        line += ",\"db.uvmysql.connection_id\":" + std::to_string(s.connection_id) +
                ",\"db.uvmysql.rows\":" + std::to_string(outcome.rows) +
                ",\"db.uvmysql.affected_rows\":" + std::to_string(outcome.affected_rows) +
                ",\"db.uvmysql.warnings\":" + std::to_string(outcome.warnings);
        if (event.prepared) line += ",\"db.uvmysql.statement_id\":" + std::to_string(event.statement_id);
        const auto& e = outcome.error;
        if (e.failed) {
            line += ",\"db.uvmysql.errno\":" + std::to_string(e.errno_code) +
                    ",\"db.uvmysql.sqlstate\":" + json_string(e.sqlstate) +
                    ",\"db.uvmysql.error_class\":" + json_string(error_class_name(e.error_class)) +
                    "},\"status\":{\"code\":\"ERROR\",\"message\":" + json_string(e.message) + "}}";
        } else {
            line += "},\"status\":{\"code\":\"OK\"}}";
        }
        std::printf("%s\n", line.c_str());
        histograms_[operation].observe(std::chrono::duration<double>(outcome.duration).count());
        ++spans;
        errors += e.failed;
    }

    void on_pool_acquire(const uvmysql::AcquireEvent& event) override {
        ++acquires;
        acquire_wait_s += std::chrono::duration<double>(event.wait).count();
    }

    /// The Prometheus text exposition of the query histograms and of `stats`.
    void print_prometheus(const uvmysql::PoolStats& stats) const {
        std::printf(
            "# HELP uvmysql_query_duration_seconds Duration of statements, by operation.\n"
            "# TYPE uvmysql_query_duration_seconds histogram\n");
        for (const auto& [op, h] : histograms_) {
            const std::string label = "db_operation=\"" + label_value(op) + "\"";
            for (std::size_t i = 0; i < Histogram::bounds.size(); ++i) {
                std::printf("uvmysql_query_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", label.c_str(),
                            Histogram::bounds[i], static_cast<unsigned long long>(h.le[i]));
            }
            std::printf("uvmysql_query_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", label.c_str(),
                        static_cast<unsigned long long>(h.count));
            std::printf("uvmysql_query_duration_seconds_sum{%s} %.9f\n", label.c_str(), h.sum);
            std::printf("uvmysql_query_duration_seconds_count{%s} %llu\n", label.c_str(),
                        static_cast<unsigned long long>(h.count));
        }
        std::printf(
            "# HELP uvmysql_pool_connections Connections of the pool, by state.\n"
            "# TYPE uvmysql_pool_connections gauge\n");
        const std::pair<const char*, std::size_t> states[] = {{"idle", stats.idle},
                                                              {"in_use", stats.in_use},
                                                              {"opening", stats.opening},
                                                              {"checking", stats.checking}};
        for (const auto& [state, n] : states)
            std::printf("uvmysql_pool_connections{state=\"%s\"} %zu\n", state, n);
        std::printf("# TYPE uvmysql_pool_size gauge\nuvmysql_pool_size %zu\n", stats.size);
        std::printf("# TYPE uvmysql_pool_max_size gauge\nuvmysql_pool_max_size %zu\n", stats.maxsize);
        std::printf("# TYPE uvmysql_pool_pending_acquires gauge\nuvmysql_pool_pending_acquires %zu\n",
                    stats.waiting);
        std::printf("# TYPE uvmysql_pool_acquired_total counter\nuvmysql_pool_acquired_total %llu\n",
                    static_cast<unsigned long long>(stats.acquired));
        std::printf("# TYPE uvmysql_pool_acquire_wait_seconds histogram\n");
        for (std::size_t i = 0; i < uvmysql::WaitHistogram::bounds_us.size(); ++i) {
            std::printf("uvmysql_pool_acquire_wait_seconds_bucket{le=\"%g\"} %llu\n",
                        static_cast<double>(uvmysql::WaitHistogram::bounds_us[i]) / 1e6,
                        static_cast<unsigned long long>(stats.acquire_wait.cumulative(i)));
        }
        std::printf("uvmysql_pool_acquire_wait_seconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(stats.acquire_wait.count));
        std::printf("uvmysql_pool_acquire_wait_seconds_sum %.6f\n",
                    static_cast<double>(stats.acquire_wait.sum_us) / 1e6);
        std::printf("uvmysql_pool_acquire_wait_seconds_count %llu\n",
                    static_cast<unsigned long long>(stats.acquire_wait.count));
    }

    int spans = 0;
    int errors = 0;
    int acquires = 0;
    double acquire_wait_s = 0;

private:
    std::string span_id() {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(++next_span_));
        return buf;
    }

    std::uint64_t next_span_ = 0;
    std::map<std::string, Histogram> histograms_;
};

uvmysql::Task<> work(uvmysql::Pool pool) {
    // Text with quotes, a tab and a newline: the span's JSON must escape them.
    co_await pool.execute("SELECT %s AS greeting, %s AS quoted", "hello\tworld", "say \"hi\"\nbye");
    co_await pool.with_connection([](uvmysql::Connection c) -> uvmysql::Task<int> {
        co_await c.query("CREATE TEMPORARY TABLE observed (id INT PRIMARY KEY, name VARCHAR(20))");
        co_await c.execute("INSERT INTO observed VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        co_await c.query("SELECT * FROM observed WHERE id >= %s", 2);
        try {
            co_await c.execute("INSERT INTO observed VALUES (%s, 'again')", 1);  // 1062
        } catch (const uvmysql::IntegrityError&) {
        }
        uvmysql::Statement doubled = co_await c.prepare("SELECT ? * 2 AS doubled");
        co_await doubled.execute(21);
        auto stream = c.cursor<uvmysql::SSCursor>();  // rows reported once the result ended
        co_await stream.execute("SELECT seq FROM seq_1_to_500");
        co_await stream.fetchall();
        co_await stream.close();
        co_return 0;
    });
    try {
        co_await pool.query("SELEC 1", uvmysql::Args());  // 1064
    } catch (const uvmysql::ProgrammingError&) {
    }
}

uvmysql::Task<> run(uv_loop_t* loop) {
    auto exporter = std::make_shared<Exporter>();
    uvmysql::PoolOptions po;
    po.minsize = 1;
    po.maxsize = 2;
    po.observer = exporter;  // acquire waits, and the statements of the pool's connections
    uvmysql::Pool pool = co_await uvmysql::create_pool(loop, samples::options_from_env("test_pymysql"), po);
    co_await work(pool);
    exporter->print_prometheus(pool.stats());
    pool.close();
    co_await pool.wait_closed();
    std::fprintf(stderr, "observer_export: %d spans (%d failed), %d acquires waiting %.6f s in all\n",
                 exporter->spans, exporter->errors, exporter->acquires, exporter->acquire_wait_s);
    if (exporter->spans != 8 || exporter->errors != 2) {
        throw uvmysql::InterfaceError(0, "HY000", "observer_export: expected 8 spans, 2 of them failed");
    }
}

}  // namespace

int main() { return samples::run(run); }

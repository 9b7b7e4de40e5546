/* SPDX-License-Identifier: MIT */
/* What every side of the benchmark shares: flags, id and row generators, timing, JSON output.
 *
 * Plain C11 so that uvmysql-bench (C++) and the C connector peers use the very same code for
 * everything that is not the client library under test (docs/performance.md, bench-interface). */
#ifndef UVMYSQL_BENCH_COMMON_H
#define UVMYSQL_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit code of a workload a side does not implement ("unsupported", not a failure). */
#define BENCH_EXIT_UNSUPPORTED 3
/* Exit code of bad flags. */
#define BENCH_EXIT_USAGE 2

/* Ring of ids W2's tasks walk, task i starting at i * BENCH_W2_STRIDE. */
#define BENCH_W2_RING 65536u
#define BENCH_W2_STRIDE 4099u

/* W4 field widths: c is 10 draws of 11 digits joined by '-', pad 5 of them. */
#define BENCH_C_LEN 119
#define BENCH_PAD_LEN 59

/* The point select of W1, W2 and W5 (%s: client-side parameter; W5 prepares it with '?'). */
#define BENCH_POINT_SELECT "SELECT id,k,c,pad FROM sbtest1 WHERE id=%s"
#define BENCH_WIDE_SELECT "SELECT * FROM wide"
/* The session's traffic as the server counts it (after compression, before TLS): W3/W3s/W3z
 * report the delta over the measured region as server_bytes_sent / server_bytes_received. */
#define BENCH_BYTES_STATUS "SHOW SESSION STATUS WHERE Variable_name IN ('Bytes_sent','Bytes_received')"

typedef enum bench_workload {
    BENCH_W1,
    BENCH_W1P,   /* W1 with --tasks (16) queries in flight on one pipelined connection */
    BENCH_W2,
    BENCH_W3,
    BENCH_W3S,
    BENCH_W4,
    BENCH_W5,
    BENCH_W3Z,  /* W3 over the compressed protocol (zlib) */
    BENCH_W4P,  /* W4's inserts through a prepared statement's bulk executemany (COM_STMT_BULK_EXECUTE) */
    BENCH_W2C,  /* W2 over a cluster (--hosts), one node killed --kill-at s into the run (--kill-cmd) */
    BENCH_W3T,  /* W3 with rows straight into typed fields (uvmysql: query_as<tuple>; the C side: W3) */
    BENCH_W5T   /* W5 with rows straight into typed fields (uvmysql: execute_as<tuple>; the C side: W5) */
} bench_workload;

/* The command line, the same for every side. */
typedef struct bench_opts {
    bench_workload workload;
    const char* workload_name;
    const char* host;
    int port;
    const char* socket;   /* NULL: TCP */
    const char* user;
    const char* password;
    const char* db;
    long n;
    long warmup;
    uint32_t seed;
    long conns;
    long tasks;
    long loops; /* W2: event loops (threads) sharing --conns and --tasks; the C side ignores it */
    long pool;  /* W2: 1 = tasks borrow from a Pool, 0 = task i keeps connection i % conns; the C side ignores it */
    long observer; /* 1 = a trivial uvmysql::Observer on every connection (--observer trivial); the C side ignores it */
    double duration;
    long reps;
    long rows;
    long batch;
    const char* hosts;      /* W2c: "host:port,host:port,..." (NULL: none) */
    double kill_at;         /* W2c: seconds into the run when --kill-cmd runs */
    const char* kill_cmd;   /* W2c: a shell command that takes a node down (NULL: none) */
} bench_opts;

/* Parses argv (see bench-interface.md). On a bad flag prints why and the usage to stderr and
 * returns BENCH_EXIT_USAGE; on --help prints the usage and returns -1; 0 when all is well. */
int bench_parse_args(int argc, char** argv, bench_opts* opts);

/* xorshift32: updates the state and returns it. */
static inline uint32_t bench_xorshift32(uint32_t* state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* The generator's first state for `seed` (0 is not a valid xorshift state: 1 instead). */
static inline uint32_t bench_seed_state(uint32_t seed) { return seed != 0 ? seed : 1u; }

/* The next sbtest1 id: 1 + x % 100000. */
static inline int32_t bench_next_id(uint32_t* state) { return (int32_t)(1u + bench_xorshift32(state) % 100000u); }

/* `count` ids drawn from the seed (W1, W5; W2's ring): malloc'd, free() it. */
int32_t* bench_draw_ids(uint32_t seed, size_t count);

/* One W4 row: k, then c (BENCH_C_LEN chars + NUL), then pad (BENCH_PAD_LEN chars + NUL). */
void bench_w4_row(uint32_t* state, int32_t* k, char c[BENCH_C_LEN + 1], char pad[BENCH_PAD_LEN + 1]);

/* Monotonic clock in nanoseconds. */
static inline uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The measured region: wall clock and getrusage(RUSAGE_SELF), all threads included. Starting
 * and stopping it also brackets callgrind's instrumentation when built with valgrind.
 * runq_wait_s is a diagnostic for loaded machines: how long the calling thread was runnable but
 * waiting for a CPU (/proc/thread-self/schedstat); a side with worker threads adds theirs. */
typedef struct bench_region {
    uint64_t wall_start_ns;
    uint64_t runq_start_ns;
    struct rusage ru_start;
    double wall_s;
    double cpu_user_s;
    double cpu_sys_s;
    double runq_wait_s;
} bench_region;

void bench_region_start(bench_region* r);
void bench_region_stop(bench_region* r);

/* Nanoseconds the calling thread has spent waiting on a run queue so far; 0 when unknown. */
uint64_t bench_thread_runq_wait_ns(void);

/* Peak resident set (VmHWM) in KiB, or -1. */
long bench_maxrss_kb(void);

/* Latencies in nanoseconds: a growable array. */
typedef struct bench_lat {
    uint64_t* ns;
    size_t len;
    size_t cap;
} bench_lat;

void bench_lat_reserve(bench_lat* l, size_t cap);
void bench_lat_push(bench_lat* l, uint64_t ns);
/* Appends every sample of `from` to `to`. */
void bench_lat_merge(bench_lat* to, const bench_lat* from);
void bench_lat_free(bench_lat* l);

/* One JSON object, built field by field then printed on one line. */
typedef struct bench_json {
    char buf[4096];
    size_t len;
    int overflow;
} bench_json;

/* Opens the object with the fields every workload has (peer, driver, workload, times, maxrss,
 * params). */
void bench_json_begin(bench_json* j, const char* peer, const char* driver, const bench_opts* o,
                      const bench_region* r);
void bench_json_str(bench_json* j, const char* key, const char* value);
void bench_json_num(bench_json* j, const char* key, double value);
void bench_json_int(bench_json* j, const char* key, int64_t value);
void bench_json_uint(bench_json* j, const char* key, uint64_t value);
/* Adds ops, qps, cpu_us_per_op and the latency statistics (sorts `lat`). */
void bench_json_ops(bench_json* j, const bench_region* r, uint64_t ops, bench_lat* lat);
/* Adds rows, rows_per_s and cpu_s_per_1M_rows. */
void bench_json_rows(bench_json* j, const bench_region* r, uint64_t rows);
/* Closes the object and prints it with a newline to stdout. Returns 0, or 1 if it overflowed. */
int bench_json_print(bench_json* j);

/* What W3/W3s fold every converted field into, the same on every side, so that a harness can
 * check that both read the same data: NULL fields, the sum of column i, the bytes of column bl. */
typedef struct bench_wide_check {
    uint64_t null_fields;
    int64_t sum_i;
    uint64_t blob_bytes;
} bench_wide_check;

void bench_json_wide_check(bench_json* j, const bench_wide_check* c);

#ifdef __cplusplus
}
#endif

#endif

/* SPDX-License-Identifier: MIT */
/* peer-libmariadb: the benchmark workloads against the MariaDB C connector (libmariadb), sync API.
 *
 * The reference uvmysql-bench is compared with: the same flags, generators and JSON
 * (bench_common.c). W1/W3/W3s/W4/W5 run on one thread and one connection; W2 runs --conns
 * threads with a connection each. Text-protocol fields are converted to typed values the way a
 * careful C program would: integers with a plain digit loop, doubles with strtod, DECIMAL to a
 * scaled integer, temporal values with fixed-format parsers; strings and blobs stay views into
 * the connector's buffers (no copies). */
#define _GNU_SOURCE
#include <mysql.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

static const char* const peer_name = "libmariadb";
static char driver_name[64];

static void die(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("peer-libmariadb: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static MYSQL* open_connection(const bench_opts* o) {
    MYSQL* m = mysql_init(NULL);
    if (m == NULL) die("mysql_init failed");
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (o->workload == BENCH_W3Z) mysql_options(m, MYSQL_OPT_COMPRESS, NULL);
    const char* host = o->socket ? "localhost" : o->host;
    if (!mysql_real_connect(m, host, o->user, o->password, o->db, o->socket ? 0u : (unsigned)o->port, o->socket,
                            0)) {
        die("connect: %s", mysql_error(m));
    }
    return m;
}

static void query(MYSQL* m, const char* sql, size_t len) {
    if (mysql_real_query(m, sql, (unsigned long)len) != 0) die("query failed: %s", mysql_error(m));
}

/* --- typed values ---------------------------------------------------------------------------- */

typedef enum plan { AS_NULL, AS_INT, AS_UINT, AS_DOUBLE, AS_DECIMAL, AS_TEXT, AS_BYTES, AS_DATE, AS_DATETIME, AS_TIME } plan;

typedef struct typed_value {
    plan kind; /* AS_NULL for a NULL field */
    union {
        int64_t i;
        uint64_t u;
        double d;
        struct {
            int64_t unscaled;
            int scale;
        } dec;
        struct {
            int year, month, day, hour, minute, second, microsecond;
            int negative;
        } t;
        struct {
            const char* p;
            size_t n;
        } s;
    } v;
} typed_value;

/* How to convert a column, as uvmysql decides it: by type, and for strings by charset. */
static plan plan_for(const MYSQL_FIELD* f) {
    switch (f->type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONGLONG: return (f->flags & UNSIGNED_FLAG) ? AS_UINT : AS_INT;
        case MYSQL_TYPE_YEAR: return AS_INT;
        case MYSQL_TYPE_FLOAT:
        case MYSQL_TYPE_DOUBLE: return AS_DOUBLE;
        case MYSQL_TYPE_DECIMAL:
        case MYSQL_TYPE_NEWDECIMAL: return AS_DECIMAL;
        case MYSQL_TYPE_DATE:
        case MYSQL_TYPE_NEWDATE: return AS_DATE;
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP: return AS_DATETIME;
        case MYSQL_TYPE_TIME: return AS_TIME;
        case MYSQL_TYPE_NULL: return AS_NULL;
        default: return f->charsetnr == 63 ? AS_BYTES : AS_TEXT;
    }
}

/* A decimal integer as the server prints it ([-]digits); what strtoll does, without the locale
 * and base handling that make glibc's strtoll the slowest step of a row. */
static int64_t parse_int(const char* p, const char* end) {
    int neg = p < end && *p == '-';
    uint64_t v = 0;
    for (p += neg; p < end; ++p) v = v * 10 + (uint64_t)(*p - '0');
    return neg ? (int64_t)(0 - v) : (int64_t)v;
}

static uint64_t parse_uint(const char* p, const char* end) {
    uint64_t v = 0;
    for (; p < end; ++p) v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

static int digits(const char* p, int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) v = v * 10 + (p[i] - '0');
    return v;
}

/* "HH:MM:SS[.ffffff]" at p (hours of any width for TIME), returns 0 on a bad shape. */
static int parse_clock(const char* p, const char* end, typed_value* out) {
    const char* colon = memchr(p, ':', (size_t)(end - p));
    if (colon == NULL || end - colon < 6) return 0;
    out->v.t.hour = digits(p, (int)(colon - p));
    out->v.t.minute = digits(colon + 1, 2);
    out->v.t.second = digits(colon + 4, 2);
    out->v.t.microsecond = 0;
    const char* frac = colon + 6;
    if (frac < end && *frac == '.') {
        int us = 0, n = 0;
        for (++frac; frac < end && n < 6; ++frac, ++n) us = us * 10 + (*frac - '0');
        for (; n < 6; ++n) us *= 10;
        out->v.t.microsecond = us;
    }
    return 1;
}

static void convert(plan how, const char* text, unsigned long len, typed_value* out) {
    if (text == NULL) {
        out->kind = AS_NULL;
        return;
    }
    out->kind = how;
    switch (how) {
        case AS_NULL: break;
        case AS_INT: out->v.i = parse_int(text, text + len); break;
        case AS_UINT: out->v.u = parse_uint(text, text + len); break;
        case AS_DOUBLE: out->v.d = strtod(text, NULL); break;   /* C has no from_chars */
        case AS_DECIMAL: {
            const char* p = text;
            const char* end = text + len;
            int neg = p < end && *p == '-';
            if (neg || (p < end && *p == '+')) ++p;
            int64_t v = 0;
            int scale = -1;
            for (; p < end; ++p) {
                if (*p == '.') {
                    scale = 0;
                    continue;
                }
                v = v * 10 + (*p - '0');
                if (scale >= 0) ++scale;
            }
            out->v.dec.unscaled = neg ? -v : v;
            out->v.dec.scale = scale < 0 ? 0 : scale;
            break;
        }
        case AS_DATE:
        case AS_DATETIME:
            if (len < 10) {
                out->kind = AS_TEXT;
                out->v.s.p = text;
                out->v.s.n = len;
                break;
            }
            out->v.t.year = digits(text, 4);
            out->v.t.month = digits(text + 5, 2);
            out->v.t.day = digits(text + 8, 2);
            out->v.t.hour = out->v.t.minute = out->v.t.second = out->v.t.microsecond = 0;
            if (how == AS_DATETIME && len >= 19) parse_clock(text + 11, text + len, out);
            break;
        case AS_TIME:
            out->v.t.negative = text[0] == '-';
            parse_clock(text + out->v.t.negative, text + len, out);
            break;
        case AS_TEXT:
        case AS_BYTES:
            out->v.s.p = text;
            out->v.s.n = len;
            break;
    }
}

/* The plans of a result's columns (at most 16 columns in these workloads). */
typedef struct result_plan {
    unsigned count;
    plan how[16];
} result_plan;

static void make_plan(MYSQL_RES* res, result_plan* p) {
    p->count = mysql_num_fields(res);
    if (p->count > 16) die("too many columns");
    const MYSQL_FIELD* fields = mysql_fetch_fields(res);
    for (unsigned i = 0; i < p->count; ++i) p->how[i] = plan_for(&fields[i]);
}

/* --- W1, W2: point selects -------------------------------------------------------------------- */

/* One point select with a client-side parameter; returns what the caller folds from the row. */
static int64_t point_select(MYSQL* m, int32_t id) {
    char sql[96];
    int len = snprintf(sql, sizeof sql, "SELECT id,k,c,pad FROM sbtest1 WHERE id=%d", (int)id);
    query(m, sql, (size_t)len);
    MYSQL_RES* res = mysql_store_result(m);
    if (res == NULL) die("store_result: %s", mysql_error(m));
    result_plan p;
    make_plan(res, &p);
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row == NULL || p.count != 4 || mysql_num_rows(res) != 1) die("point select for id %d: wrong row count", id);
    unsigned long* lengths = mysql_fetch_lengths(res);
    typed_value v[4];
    for (unsigned i = 0; i < 4; ++i) convert(p.how[i], row[i], lengths[i], &v[i]);
    if (v[0].kind != AS_INT || v[0].v.i != id || v[2].kind != AS_TEXT || v[3].kind != AS_TEXT) {
        die("point select for id %d returned the wrong row", id);
    }
    int64_t folded = v[1].v.i + (int64_t)(v[2].v.s.n + v[3].v.s.n);
    mysql_free_result(res);
    return folded;
}

static int run_w1(const bench_opts* o) {
    MYSQL* m = open_connection(o);
    size_t n = (size_t)o->n;
    int32_t* ids = bench_draw_ids(o->seed, n);
    int64_t sink = 0;
    size_t warmup = (size_t)o->warmup < n ? (size_t)o->warmup : n;
    for (size_t i = 0; i < warmup; ++i) sink += point_select(m, ids[i]);
    bench_lat lat = {0};
    bench_lat_reserve(&lat, n);
    bench_region region;
    bench_region_start(&region);
    for (size_t i = 0; i < n; ++i) {
        uint64_t t0 = bench_now_ns();
        sink += point_select(m, ids[i]);
        bench_lat_push(&lat, bench_now_ns() - t0);
    }
    bench_region_stop(&region);
    mysql_close(m);
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, o, &region);
    bench_json_ops(&j, &region, n, &lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    free(ids);
    return bench_json_print(&j);
}

typedef struct w2_thread {
    pthread_t thread;
    MYSQL* m;
    const int32_t* ring;
    size_t pos;
    uint64_t deadline_ns;
    pthread_barrier_t* start;
    bench_lat lat;
    uint64_t ops;
    int64_t sink;
    uint64_t runq_wait_ns;
} w2_thread;

static void* w2_main(void* arg) {
    w2_thread* t = arg;
    mysql_thread_init();
    bench_lat_reserve(&t->lat, 1u << 16);
    pthread_barrier_wait(t->start);
    uint64_t runq_start = bench_thread_runq_wait_ns();
    for (;;) {
        int32_t id = t->ring[t->pos++ % BENCH_W2_RING];
        uint64_t t0 = bench_now_ns();
        t->sink += point_select(t->m, id);
        uint64_t t1 = bench_now_ns();
        bench_lat_push(&t->lat, t1 - t0);
        ++t->ops;
        if (t1 >= t->deadline_ns) break;
    }
    t->runq_wait_ns = bench_thread_runq_wait_ns() - runq_start;
    mysql_thread_end();
    return NULL;
}

static int run_w2(const bench_opts* o) {
    size_t count = (size_t)o->conns;
    w2_thread* threads = calloc(count, sizeof *threads);
    int32_t* ring = bench_draw_ids(o->seed, BENCH_W2_RING);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)count + 1);
    for (size_t i = 0; i < count; ++i) {
        threads[i].m = open_connection(o);
        threads[i].ring = ring;
        threads[i].pos = i * BENCH_W2_STRIDE;
        threads[i].start = &start;
        point_select(threads[i].m, ring[0]);   /* one round-trip each before the clock starts */
    }
    for (size_t i = 0; i < count; ++i) {
        if (pthread_create(&threads[i].thread, NULL, w2_main, &threads[i]) != 0) die("pthread_create failed");
    }
    bench_region region;
    bench_region_start(&region);
    uint64_t deadline = bench_now_ns() + (uint64_t)(o->duration * 1e9);
    for (size_t i = 0; i < count; ++i) threads[i].deadline_ns = deadline;
    pthread_barrier_wait(&start);
    for (size_t i = 0; i < count; ++i) pthread_join(threads[i].thread, NULL);
    bench_region_stop(&region);
    bench_lat lat = {0};
    uint64_t ops = 0;
    int64_t sink = 0;
    for (size_t i = 0; i < count; ++i) {
        bench_lat_merge(&lat, &threads[i].lat);
        bench_lat_free(&threads[i].lat);
        ops += threads[i].ops;
        sink += threads[i].sink;
        region.runq_wait_s += (double)threads[i].runq_wait_ns / 1e9;
        mysql_close(threads[i].m);
    }
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, o, &region);
    bench_json_ops(&j, &region, ops, &lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    pthread_barrier_destroy(&start);
    free(ring);
    free(threads);
    return bench_json_print(&j);
}

/* --- W3, W3s: SELECT * FROM wide ------------------------------------------------------------- */

static uint64_t read_wide(MYSQL_RES* res, bench_wide_check* check) {
    result_plan p;
    make_plan(res, &p);
    uint64_t rows = 0;
    MYSQL_ROW row;
    typed_value v[16];
    while ((row = mysql_fetch_row(res)) != NULL) {
        unsigned long* lengths = mysql_fetch_lengths(res);
        for (unsigned i = 0; i < p.count; ++i) {
            convert(p.how[i], row[i], lengths[i], &v[i]);
            if (v[i].kind == AS_NULL) {
                ++check->null_fields;
            } else if (i == 1) {
                check->sum_i += v[i].v.i;
            } else if (i == 8) {
                check->blob_bytes += v[i].v.s.n;
            }
        }
        ++rows;
    }
    return rows;
}

/* The server's Bytes_sent and Bytes_received of this session (BENCH_BYTES_STATUS). */
static void session_bytes(MYSQL* m, int64_t* sent, int64_t* received) {
    query(m, BENCH_BYTES_STATUS, strlen(BENCH_BYTES_STATUS));
    MYSQL_RES* res = mysql_store_result(m);
    if (res == NULL) die("reading the byte counters: %s", mysql_error(m));
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        *(strcmp(row[0], "Bytes_sent") == 0 ? sent : received) = strtoll(row[1], NULL, 10);
    }
    mysql_free_result(res);
}

static int run_w3(const bench_opts* o, int streamed) {
    MYSQL* m = open_connection(o);
    bench_wide_check check = {0, 0, 0};
    uint64_t rows = 0;
    int64_t sent_before = 0, received_before = 0, sent_after = 0, received_after = 0;
    session_bytes(m, &sent_before, &received_before);
    bench_region region;
    bench_region_start(&region);
    for (long rep = 0; rep < o->reps; ++rep) {
        query(m, BENCH_WIDE_SELECT, strlen(BENCH_WIDE_SELECT));
        MYSQL_RES* res = streamed ? mysql_use_result(m) : mysql_store_result(m);
        if (res == NULL) die("reading the result: %s", mysql_error(m));
        rows += read_wide(res, &check);
        if (mysql_errno(m) != 0) die("reading rows: %s", mysql_error(m));
        mysql_free_result(res);
    }
    bench_region_stop(&region);
    session_bytes(m, &sent_after, &received_after);
    mysql_close(m);
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, o, &region);
    bench_json_rows(&j, &region, rows);
    bench_json_wide_check(&j, &check);
    bench_json_int(&j, "server_bytes_sent", sent_after - sent_before);
    bench_json_int(&j, "server_bytes_received", received_after - received_before);
    return bench_json_print(&j);
}

/* --- W4: multi-row INSERTs in one transaction ------------------------------------------------- */

static const char insert_prefix[] = "INSERT INTO sbtest_ins (k,c,pad) VALUES ";

static int run_w4(const bench_opts* o) {
    MYSQL* m = open_connection(o);
    const char* drop = "DROP TABLE IF EXISTS sbtest_ins";
    const char* create = "CREATE TABLE sbtest_ins LIKE sbtest1";
    query(m, drop, strlen(drop));
    query(m, create, strlen(create));
    uint32_t state = bench_seed_state(o->seed + 1);
    char c[BENCH_C_LEN + 1];
    char pad[BENCH_PAD_LEN + 1];
    /* Per row at most: "(k,'c','pad')," with every character of c and pad escaped. */
    size_t row_max = 16 + 2 * (BENCH_C_LEN + BENCH_PAD_LEN) + 8;
    size_t cap = sizeof insert_prefix + (size_t)o->batch * row_max;
    char* sql = malloc(cap);
    if (sql == NULL) die("out of memory");
    uint64_t inserted = 0;
    bench_region region;
    bench_region_start(&region);
    query(m, "BEGIN", 5);
    for (long done = 0; done < o->rows;) {
        long batch = o->rows - done < o->batch ? o->rows - done : o->batch;
        char* p = sql;
        memcpy(p, insert_prefix, sizeof insert_prefix - 1);
        p += sizeof insert_prefix - 1;
        for (long i = 0; i < batch; ++i) {
            int32_t k;
            bench_w4_row(&state, &k, c, pad);
            if (i) *p++ = ',';
            p += sprintf(p, "(%d,'", (int)k);
            p += mysql_real_escape_string(m, p, c, BENCH_C_LEN);
            memcpy(p, "','", 3);
            p += 3;
            p += mysql_real_escape_string(m, p, pad, BENCH_PAD_LEN);
            memcpy(p, "')", 2);
            p += 2;
        }
        query(m, sql, (size_t)(p - sql));
        inserted += mysql_affected_rows(m);
        done += batch;
    }
    if (mysql_commit(m) != 0) die("commit: %s", mysql_error(m));
    bench_region_stop(&region);
    free(sql);
    if (inserted != (uint64_t)o->rows) die("W4 inserted %llu rows, not %ld", (unsigned long long)inserted, o->rows);
    const char* sum = "SELECT SUM(CRC32(CONCAT(k,':',c,':',pad))) FROM sbtest_ins";
    query(m, sum, strlen(sum));
    MYSQL_RES* res = mysql_store_result(m);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, o, &region);
    bench_json_rows(&j, &region, inserted);
    bench_json_str(&j, "table_checksum", row ? row[0] : NULL);
    if (res) mysql_free_result(res);
    mysql_close(m);
    return bench_json_print(&j);
}

/* --- W5: the point select as a prepared statement (binary protocol) --------------------------- */

static int run_w5(const bench_opts* o) {
    MYSQL* m = open_connection(o);
    MYSQL_STMT* st = mysql_stmt_init(m);
    const char* sql = "SELECT id,k,c,pad FROM sbtest1 WHERE id=?";
    if (st == NULL || mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) die("prepare: %s", mysql_error(m));
    int32_t param_id = 0;
    MYSQL_BIND param;
    memset(&param, 0, sizeof param);
    param.buffer_type = MYSQL_TYPE_LONG;
    param.buffer = &param_id;
    if (mysql_stmt_bind_param(st, &param) != 0) die("bind_param: %s", mysql_stmt_error(st));

    int32_t id = 0, k = 0;
    char c[BENCH_C_LEN + 2], pad[BENCH_PAD_LEN + 2];
    unsigned long lengths[4];
    my_bool nulls[4];
    MYSQL_BIND out[4];
    memset(out, 0, sizeof out);
    out[0].buffer_type = MYSQL_TYPE_LONG;
    out[0].buffer = &id;
    out[1].buffer_type = MYSQL_TYPE_LONG;
    out[1].buffer = &k;
    out[2].buffer_type = MYSQL_TYPE_STRING;
    out[2].buffer = c;
    out[2].buffer_length = sizeof c;
    out[3].buffer_type = MYSQL_TYPE_STRING;
    out[3].buffer = pad;
    out[3].buffer_length = sizeof pad;
    for (int i = 0; i < 4; ++i) {
        out[i].length = &lengths[i];
        out[i].is_null = &nulls[i];
    }
    if (mysql_stmt_bind_result(st, out) != 0) die("bind_result: %s", mysql_stmt_error(st));

    size_t n = (size_t)o->n;
    int32_t* ids = bench_draw_ids(o->seed, n);
    size_t warmup = (size_t)o->warmup < n ? (size_t)o->warmup : n;
    int64_t sink = 0;
    bench_lat lat = {0};
    bench_lat_reserve(&lat, n);
    bench_region region = {0};
    for (size_t i = 0; i < warmup + n; ++i) {
        if (i == warmup) bench_region_start(&region);
        uint64_t t0 = bench_now_ns();
        param_id = ids[i < warmup ? i : i - warmup];
        if (mysql_stmt_execute(st) != 0) die("execute: %s", mysql_stmt_error(st));
        int rows = 0, rc;
        while ((rc = mysql_stmt_fetch(st)) == 0) {
            if (id != param_id) die("prepared point select for id %d returned id %d", param_id, id);
            sink += k + (int64_t)(lengths[2] + lengths[3]);
            ++rows;
        }
        if (rc != MYSQL_NO_DATA || rows != 1) die("prepared point select for id %d: %s", param_id, mysql_stmt_error(st));
        mysql_stmt_free_result(st);
        if (i >= warmup) bench_lat_push(&lat, bench_now_ns() - t0);
    }
    bench_region_stop(&region);
    mysql_stmt_close(st);
    mysql_close(m);
    bench_json j;
    bench_json_begin(&j, peer_name, driver_name, o, &region);
    bench_json_ops(&j, &region, n, &lat);
    bench_json_int(&j, "sink", sink);
    bench_lat_free(&lat);
    free(ids);
    return bench_json_print(&j);
}

int main(int argc, char** argv) {
    bench_opts o;
    int rc = bench_parse_args(argc, argv, &o);
    if (rc < 0) return 0;
    if (rc != 0) return rc;
    snprintf(driver_name, sizeof driver_name, "libmariadb %s", mysql_get_client_info());
    if (mysql_library_init(0, NULL, NULL) != 0) die("mysql_library_init failed");
    switch (o.workload) {
        case BENCH_W1: rc = run_w1(&o); break;
        case BENCH_W1P:   /* Connector/C answers one command before the next: its W1 is the baseline */
            fprintf(stderr, "peer-libmariadb: W1p (pipelined) is unsupported\n");
            rc = BENCH_EXIT_UNSUPPORTED;
            break;
        case BENCH_W2: rc = run_w2(&o); break;
        case BENCH_W3: rc = run_w3(&o, 0); break;
        case BENCH_W3S: rc = run_w3(&o, 1); break;
        case BENCH_W3Z: rc = run_w3(&o, 0); break;
        case BENCH_W3T: rc = run_w3(&o, 0); break;   /* W3 already converts each field into a C type */
        case BENCH_W4: rc = run_w4(&o); break;
        case BENCH_W5: rc = run_w5(&o); break;
        case BENCH_W5T: rc = run_w5(&o); break;   /* W5 already binds each column to a C buffer */
        case BENCH_W2C:   /* Connector/C has no cluster or failover of its own */
            fprintf(stderr, "peer-libmariadb: W2c (a cluster with failover) is unsupported\n");
            rc = BENCH_EXIT_UNSUPPORTED;
            break;
        case BENCH_W4P:   /* compared with the peer's text-protocol W4 (issue 15's target) */
            fprintf(stderr, "peer-libmariadb: W4p (bulk executemany) is unsupported\n");
            rc = BENCH_EXIT_UNSUPPORTED;
            break;
    }
    mysql_library_end();
    return rc;
}

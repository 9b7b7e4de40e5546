/* SPDX-License-Identifier: MIT */
/* The shared part of every benchmark side: flags, generators, measured region, JSON. */
#define _GNU_SOURCE
#include "bench_common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifdef BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

static const char usage_text[] =
    "usage: %s --workload W1|W1p|W2|W2c|W3|W3s|W3t|W3z|W4|W4p|W5|W5t [--host 127.0.0.1] [--port 3307] [--socket PATH]\n"
    "          [--user root] [--password ''] [--db bench] [--n 20000] [--warmup 1000] [--seed 42]\n"
    "          [--conns 16] [--tasks 64] [--loops 1] [--pool 1] [--observer none] [--duration 10] [--reps 3] [--rows 100000] [--batch 1000]\n"
    "          [--hosts H:P,H:P,...] [--kill-at 2] [--kill-cmd CMD]   (W2c: a cluster, a node killed)\n"
    "Prints one JSON object for the workload (see /work/shared/bench-interface.md and\n"
    "docs/performance.md). Exit status 3: workload not implemented by this side.\n";

static int parse_long(const char* flag, const char* text, long min, long* out) {
    char* end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min) {
        fprintf(stderr, "bench: %s wants an integer >= %ld, not '%s'\n", flag, min, text);
        return 0;
    }
    *out = v;
    return 1;
}

int bench_parse_args(int argc, char** argv, bench_opts* o) {
    static const struct {
        const char* name;
        bench_workload w;
    } workloads[] = {{"W1", BENCH_W1},   {"W1p", BENCH_W1P}, {"W2", BENCH_W2}, {"W3", BENCH_W3},
                     {"W3s", BENCH_W3S}, {"W3z", BENCH_W3Z}, {"W4", BENCH_W4},   {"W4p", BENCH_W4P},
                     {"W5", BENCH_W5},   {"W2c", BENCH_W2C}, {"W3t", BENCH_W3T},
                     {"W5t", BENCH_W5T}};
    memset(o, 0, sizeof *o);
    o->workload_name = NULL;
    o->host = "127.0.0.1";
    o->port = 3307;
    o->user = "root";
    o->password = "";
    o->db = "bench";
    o->n = 20000;
    o->warmup = 1000;
    o->seed = 42;
    o->conns = 16;
    o->tasks = 64;
    o->loops = 1;
    o->pool = 1;
    o->observer = 0;
    o->duration = 10;
    o->reps = 3;
    o->rows = 100000;
    o->batch = 1000;
    o->kill_at = 2;

    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            printf(usage_text, argv[0]);
            return -1;
        }
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "bench: unexpected argument '%s'\n", arg);
            fprintf(stderr, usage_text, argv[0]);
            return BENCH_EXIT_USAGE;
        }
        /* --flag value or --flag=value */
        char name[32];
        const char* value = NULL;
        const char* eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (name_len >= sizeof name) name_len = sizeof name - 1;
        memcpy(name, arg, name_len);
        name[name_len] = '\0';
        if (eq) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            fprintf(stderr, "bench: %s needs a value\n", name);
            return BENCH_EXIT_USAGE;
        }
        long v = 0;
        int ok = 1;
        if (strcmp(name, "--workload") == 0) {
            ok = 0;
            for (size_t w = 0; w < sizeof workloads / sizeof workloads[0]; ++w) {
                if (strcmp(value, workloads[w].name) == 0) {
                    o->workload = workloads[w].w;
                    o->workload_name = workloads[w].name;
                    ok = 1;
                }
            }
            if (!ok) fprintf(stderr, "bench: unknown workload '%s'\n", value);
        } else if (strcmp(name, "--host") == 0) {
            o->host = value;
        } else if (strcmp(name, "--port") == 0) {
            if ((ok = parse_long(name, value, 0, &v))) o->port = (int)v;
        } else if (strcmp(name, "--socket") == 0) {
            o->socket = value[0] ? value : NULL;
        } else if (strcmp(name, "--user") == 0) {
            o->user = value;
        } else if (strcmp(name, "--password") == 0) {
            o->password = value;
        } else if (strcmp(name, "--db") == 0) {
            o->db = value;
        } else if (strcmp(name, "--n") == 0) {
            ok = parse_long(name, value, 1, &o->n);
        } else if (strcmp(name, "--warmup") == 0) {
            ok = parse_long(name, value, 0, &o->warmup);
        } else if (strcmp(name, "--seed") == 0) {
            if ((ok = parse_long(name, value, 0, &v)) && v > (long)UINT32_MAX) ok = 0;
            o->seed = (uint32_t)v;
        } else if (strcmp(name, "--conns") == 0) {
            ok = parse_long(name, value, 1, &o->conns);
        } else if (strcmp(name, "--tasks") == 0) {
            ok = parse_long(name, value, 1, &o->tasks);
        } else if (strcmp(name, "--loops") == 0) {
            ok = parse_long(name, value, 1, &o->loops);
        } else if (strcmp(name, "--pool") == 0) {
            ok = strcmp(value, "0") == 0 || strcmp(value, "1") == 0;
            if (ok) o->pool = value[0] - '0';
            else fprintf(stderr, "bench: --pool wants 0 or 1, not '%s'\n", value);
        } else if (strcmp(name, "--observer") == 0) {
            ok = strcmp(value, "none") == 0 || strcmp(value, "trivial") == 0;
            if (ok) o->observer = strcmp(value, "trivial") == 0;
            else fprintf(stderr, "bench: --observer wants none or trivial, not '%s'\n", value);
        } else if (strcmp(name, "--hosts") == 0) {
            o->hosts = value;
        } else if (strcmp(name, "--kill-cmd") == 0) {
            o->kill_cmd = value;
        } else if (strcmp(name, "--kill-at") == 0) {
            char* end = NULL;
            o->kill_at = strtod(value, &end);
            ok = end != value && *end == '\0' && o->kill_at >= 0;
            if (!ok) fprintf(stderr, "bench: --kill-at wants seconds >= 0, not '%s'\n", value);
        } else if (strcmp(name, "--duration") == 0) {
            char* end = NULL;
            o->duration = strtod(value, &end);
            ok = end != value && *end == '\0' && o->duration > 0;
            if (!ok) fprintf(stderr, "bench: --duration wants seconds > 0, not '%s'\n", value);
        } else if (strcmp(name, "--reps") == 0) {
            ok = parse_long(name, value, 1, &o->reps);
        } else if (strcmp(name, "--rows") == 0) {
            ok = parse_long(name, value, 1, &o->rows);
        } else if (strcmp(name, "--batch") == 0) {
            ok = parse_long(name, value, 1, &o->batch);
        } else {
            fprintf(stderr, "bench: unknown flag '%s'\n", name);
            ok = 0;
        }
        if (!ok) {
            fprintf(stderr, usage_text, argv[0]);
            return BENCH_EXIT_USAGE;
        }
    }
    if (o->workload_name == NULL) {
        fprintf(stderr, "bench: --workload is required\n");
        fprintf(stderr, usage_text, argv[0]);
        return BENCH_EXIT_USAGE;
    }
    return 0;
}

int32_t* bench_draw_ids(uint32_t seed, size_t count) {
    int32_t* ids = malloc((count ? count : 1) * sizeof *ids);
    if (ids == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    uint32_t state = bench_seed_state(seed);
    for (size_t i = 0; i < count; ++i) ids[i] = bench_next_id(&state);
    return ids;
}

/* Appends `draws` numbers as %011u joined by '-' (exactly draws * 12 - 1 characters). */
static char* put_draws(uint32_t* state, int draws, char* p) {
    for (int d = 0; d < draws; ++d) {
        uint32_t x = bench_xorshift32(state);
        if (d) *p++ = '-';
        for (int i = 10; i >= 0; --i) {
            p[i] = (char)('0' + x % 10);
            x /= 10;
        }
        p += 11;
    }
    *p = '\0';
    return p;
}

void bench_w4_row(uint32_t* state, int32_t* k, char c[BENCH_C_LEN + 1], char pad[BENCH_PAD_LEN + 1]) {
    *k = (int32_t)(1u + bench_xorshift32(state) % 100000u);
    put_draws(state, 10, c);
    put_draws(state, 5, pad);
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

uint64_t bench_thread_runq_wait_ns(void) {
    FILE* f = fopen("/proc/thread-self/schedstat", "r");
    if (f == NULL) return 0;
    unsigned long long run = 0, wait = 0;
    int n = fscanf(f, "%llu %llu", &run, &wait);
    fclose(f);
    return n == 2 ? (uint64_t)wait : 0;
}

void bench_region_start(bench_region* r) {
    memset(r, 0, sizeof *r);
    r->runq_start_ns = bench_thread_runq_wait_ns();
    getrusage(RUSAGE_SELF, &r->ru_start);
    r->wall_start_ns = bench_now_ns();
#ifdef BENCH_HAVE_CALLGRIND
    CALLGRIND_START_INSTRUMENTATION;
#endif
}

void bench_region_stop(bench_region* r) {
#ifdef BENCH_HAVE_CALLGRIND
    CALLGRIND_STOP_INSTRUMENTATION;
#endif
    uint64_t end = bench_now_ns();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    r->wall_s = (double)(end - r->wall_start_ns) / 1e9;
    r->cpu_user_s = tv_s(ru.ru_utime) - tv_s(r->ru_start.ru_utime);
    r->cpu_sys_s = tv_s(ru.ru_stime) - tv_s(r->ru_start.ru_stime);
    r->runq_wait_s = (double)(bench_thread_runq_wait_ns() - r->runq_start_ns) / 1e9;
}

long bench_maxrss_kb(void) {
    FILE* f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

void bench_lat_reserve(bench_lat* l, size_t cap) {
    if (cap <= l->cap) return;
    uint64_t* p = realloc(l->ns, cap * sizeof *p);
    if (p == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    l->ns = p;
    l->cap = cap;
}

void bench_lat_push(bench_lat* l, uint64_t ns) {
    if (l->len == l->cap) bench_lat_reserve(l, l->cap ? l->cap * 2 : 4096);
    l->ns[l->len++] = ns;
}

void bench_lat_merge(bench_lat* to, const bench_lat* from) {
    bench_lat_reserve(to, to->len + from->len);
    if (from->len) memcpy(to->ns + to->len, from->ns, from->len * sizeof *from->ns);
    to->len += from->len;
}

void bench_lat_free(bench_lat* l) {
    free(l->ns);
    l->ns = NULL;
    l->len = l->cap = 0;
}

static void json_raw(bench_json* j, const char* fmt, ...) {
    if (j->overflow) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof j->buf - j->len) {
        j->overflow = 1;
        return;
    }
    j->len += (size_t)n;
}

static void json_string(bench_json* j, const char* s) {
    json_raw(j, "\"");
    for (; *s; ++s) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            json_raw(j, "\\%c", ch);
        } else if (ch < 0x20) {
            json_raw(j, "\\u%04x", ch);
        } else {
            json_raw(j, "%c", ch);
        }
    }
    json_raw(j, "\"");
}

static void json_key(bench_json* j, const char* key) {
    if (j->buf[j->len - 1] != '{') json_raw(j, ",");
    json_string(j, key);
    json_raw(j, ":");
}

static void json_number(bench_json* j, double v) {
    if (isfinite(v)) {
        json_raw(j, "%.10g", v);
    } else {
        json_raw(j, "null");
    }
}

void bench_json_str(bench_json* j, const char* key, const char* value) {
    json_key(j, key);
    if (value) {
        json_string(j, value);
    } else {
        json_raw(j, "null");
    }
}

void bench_json_num(bench_json* j, const char* key, double value) {
    json_key(j, key);
    json_number(j, value);
}

void bench_json_int(bench_json* j, const char* key, int64_t value) {
    json_key(j, key);
    json_raw(j, "%lld", (long long)value);
}

void bench_json_uint(bench_json* j, const char* key, uint64_t value) {
    json_key(j, key);
    json_raw(j, "%llu", (unsigned long long)value);
}

void bench_json_begin(bench_json* j, const char* peer, const char* driver, const bench_opts* o,
                      const bench_region* r) {
    j->len = 0;
    j->overflow = 0;
    j->buf[0] = '\0';
    json_raw(j, "{");
    bench_json_str(j, "peer", peer);
    bench_json_str(j, "driver", driver);
    bench_json_str(j, "workload", o->workload_name);
    bench_json_num(j, "wall_s", r->wall_s);
    bench_json_num(j, "cpu_user_s", r->cpu_user_s);
    bench_json_num(j, "cpu_sys_s", r->cpu_sys_s);
    bench_json_num(j, "cpu_s", r->cpu_user_s + r->cpu_sys_s);
    bench_json_int(j, "maxrss_kb", bench_maxrss_kb());
    bench_json_num(j, "runq_wait_s", r->runq_wait_s);
    json_key(j, "params");
    json_raw(j, "{");
    bench_json_str(j, "host", o->host);
    bench_json_int(j, "port", o->port);
    bench_json_str(j, "socket", o->socket);
    bench_json_str(j, "user", o->user);
    bench_json_str(j, "db", o->db);
    bench_json_int(j, "n", o->n);
    bench_json_int(j, "warmup", o->warmup);
    bench_json_uint(j, "seed", o->seed);
    bench_json_int(j, "conns", o->conns);
    bench_json_int(j, "tasks", o->tasks);
    bench_json_int(j, "loops", o->loops);
    bench_json_int(j, "pool", o->pool);
    bench_json_str(j, "observer", o->observer ? "trivial" : "none");
    bench_json_num(j, "duration", o->duration);
    bench_json_int(j, "reps", o->reps);
    bench_json_int(j, "rows", o->rows);
    bench_json_int(j, "batch", o->batch);
    if (o->hosts != NULL) bench_json_str(j, "hosts", o->hosts);
    if (o->kill_cmd != NULL) {
        bench_json_num(j, "kill_at", o->kill_at);
        bench_json_str(j, "kill_cmd", o->kill_cmd);
    }
    json_raw(j, "}");
}

static int cmp_u64(const void* a, const void* b) {
    uint64_t x = *(const uint64_t*)a;
    uint64_t y = *(const uint64_t*)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples. */
static uint64_t percentile(const bench_lat* l, double p) {
    if (l->len == 0) return 0;
    size_t rank = (size_t)ceil(p * (double)l->len);
    if (rank < 1) rank = 1;
    if (rank > l->len) rank = l->len;
    return l->ns[rank - 1];
}

void bench_json_ops(bench_json* j, const bench_region* r, uint64_t ops, bench_lat* lat) {
    double cpu = r->cpu_user_s + r->cpu_sys_s;
    bench_json_uint(j, "ops", ops);
    bench_json_num(j, "qps", r->wall_s > 0 ? (double)ops / r->wall_s : 0);
    bench_json_num(j, "cpu_us_per_op", ops ? cpu * 1e6 / (double)ops : 0);
    double sum = 0;
    for (size_t i = 0; i < lat->len; ++i) sum += (double)lat->ns[i];
    if (lat->len) qsort(lat->ns, lat->len, sizeof *lat->ns, cmp_u64);
    bench_json_num(j, "lat_mean_us", lat->len ? sum / (double)lat->len / 1e3 : 0);
    bench_json_num(j, "lat_p50_us", (double)percentile(lat, 0.50) / 1e3);
    bench_json_num(j, "lat_p99_us", (double)percentile(lat, 0.99) / 1e3);
    bench_json_num(j, "lat_max_us", lat->len ? (double)lat->ns[lat->len - 1] / 1e3 : 0);
}

void bench_json_rows(bench_json* j, const bench_region* r, uint64_t rows) {
    double cpu = r->cpu_user_s + r->cpu_sys_s;
    bench_json_uint(j, "rows", rows);
    bench_json_num(j, "rows_per_s", r->wall_s > 0 ? (double)rows / r->wall_s : 0);
    bench_json_num(j, "cpu_s_per_1M_rows", rows ? cpu * 1e6 / (double)rows : 0);
}

void bench_json_wide_check(bench_json* j, const bench_wide_check* c) {
    bench_json_uint(j, "null_fields", c->null_fields);
    bench_json_int(j, "sum_i", c->sum_i);
    bench_json_uint(j, "blob_bytes", c->blob_bytes);
}

int bench_json_print(bench_json* j) {
    json_raw(j, "}");
    if (j->overflow) {
        fprintf(stderr, "bench: JSON output too long\n");
        return 1;
    }
    fputs(j->buf, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    return 0;
}

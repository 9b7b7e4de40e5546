-- SPDX-License-Identifier: MIT
-- The benchmark data set (bench-interface.md), deterministic: every row is a function of its id,
-- computed by the server from the Sequence engine's seq_1_to_N tables (no client round-trips).
-- test/bench/run.sh loads it when bench.bench_dataset does not hold the version below.
SET SESSION sql_log_bin = 0;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION';
CREATE DATABASE IF NOT EXISTS bench CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE bench;
DROP TABLE IF EXISTS bench_dataset, sbtest1, wide, sbtest_ins;

-- sysbench's oltp table: c is 10 groups of 11 digits joined by '-', pad 5 groups (digits from MD5).
CREATE TABLE sbtest1 (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    k INT NOT NULL DEFAULT 0,
    c CHAR(120) NOT NULL DEFAULT '',
    pad CHAR(60) NOT NULL DEFAULT '',
    KEY k_1 (k)
) ENGINE = InnoDB;

INSERT INTO sbtest1 (id, k, c, pad)
SELECT seq,
       1 + CONV(LEFT(MD5(CONCAT('k:', seq)), 8), 16, 10) % 100000,
       CONCAT_WS('-',
           LPAD(CONV(LEFT(MD5(CONCAT('c0:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c1:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c2:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c3:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c4:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c5:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c6:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c7:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c8:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('c9:', seq)), 10), 16, 10) % 100000000000, 11, '0')),
       CONCAT_WS('-',
           LPAD(CONV(LEFT(MD5(CONCAT('p0:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('p1:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('p2:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('p3:', seq)), 10), 16, 10) % 100000000000, 11, '0'),
           LPAD(CONV(LEFT(MD5(CONCAT('p4:', seq)), 10), 16, 10) % 100000000000, 11, '0'))
FROM seq_1_to_100000;

-- One column of each common type. Each nullable column is NULL in exactly 7 rows of every 100
-- ((id * 37 + offset) % 100 < 7 hits 7 residues; the offsets put the NULLs in different rows).
CREATE TABLE wide (
    id INT NOT NULL PRIMARY KEY,
    i INT NULL,
    b BIGINT NULL,
    d DOUBLE NULL,
    dc DECIMAL(12,2) NULL,
    vc VARCHAR(64) NULL,
    dt DATETIME(6) NULL,
    dte DATE NULL,
    bl BLOB NULL
) ENGINE = InnoDB;

INSERT INTO wide (id, i, b, d, dc, vc, dt, dte, bl)
SELECT seq,
       IF((seq * 37 + 11) % 100 < 7, NULL, CAST(CRC32(CONCAT('i:', seq)) AS SIGNED) - 2147483648),
       IF((seq * 37 + 23) % 100 < 7, NULL,
          (CAST(CRC32(CONCAT('b:', seq)) AS SIGNED) - 2147483648) * 2147483647 + CAST(seq AS SIGNED)),
       IF((seq * 37 + 35) % 100 < 7, NULL,
          CAST((CAST(CRC32(CONCAT('d:', seq)) AS SIGNED) - 2147483648) / 7919.0 AS DOUBLE)
              * 1.000000119),
       IF((seq * 37 + 47) % 100 < 7, NULL, (CAST(CRC32(CONCAT('dc:', seq)) AS SIGNED) - 2147483648) / 1000),
       IF((seq * 37 + 59) % 100 < 7, NULL, LEFT(CONCAT('wïde-', seq, '-', MD5(seq), MD5(seq + 1)), 8 + seq % 57)),
       IF((seq * 37 + 71) % 100 < 7, NULL,
          TIMESTAMPADD(MICROSECOND, CRC32(CONCAT('us:', seq)) % 1000000,
                       TIMESTAMPADD(SECOND, CRC32(CONCAT('dt:', seq)) % 946080000,
                                    TIMESTAMP'1995-01-01 00:00:00'))),
       IF((seq * 37 + 83) % 100 < 7, NULL, DATE'1970-01-01' + INTERVAL CRC32(CONCAT('dte:', seq)) % 36500 DAY),
       IF((seq * 37 + 95) % 100 < 7, NULL, LEFT(REPEAT(UNHEX(MD5(CONCAT('bl:', seq))), 15), 160 + seq % 81))
FROM seq_1_to_200000;

-- Written last: a load that stopped half-way is redone.
CREATE TABLE bench_dataset (version VARCHAR(32) NOT NULL) ENGINE = InnoDB;
INSERT INTO bench_dataset VALUES ('uvmysql-bench-1');

-- Views over the same rows, for the same workloads at other sizes (`--db`):
-- bench_small.wide: the first 20,000 rows (callgrind runs, --quick);
-- bench_x10.wide: every row ten times, 2,000,000 rows (W3s memory must stay flat).
CREATE DATABASE IF NOT EXISTS bench_small CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE OR REPLACE VIEW bench_small.wide AS SELECT * FROM bench.wide WHERE id <= 20000;
CREATE DATABASE IF NOT EXISTS bench_x10 CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE OR REPLACE VIEW bench_x10.wide AS
    SELECT w.* FROM bench.seq_1_to_10 AS s STRAIGHT_JOIN bench.wide AS w;

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora in test/fuzz/corpus/<target>/: packets taken from the unit tests
(test/unit/ops/server_messages.hpp, test/unit/protocol/*_test.cpp; the greeting is a captured
MariaDB 10.11 one), laid out the way each target's FuzzedDataProvider reads its input. Run it
after changing how a target reads its input: python3 test/fuzz/make_seeds.py"""
import hashlib
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def h(s):
    return bytes.fromhex(s.replace(" ", ""))


class Input:
    """Mirrors FuzzedDataProvider: strings and byte runs are read from the front, integers from
    the back (the first integer read is the last bytes of the input)."""

    def __init__(self):
        self.front = b""
        self.back = []  # integers in the order the target reads them

    def int(self, value, nbytes=1):
        self.back.append(value.to_bytes(nbytes, "little"))
        return self

    def bool(self, b):
        return self.int(1 if b else 0)

    def string(self, s):  # ConsumeRandomLengthString: '\' doubled, '\' + other char ends it
        self.front += s.replace(b"\\", b"\\\\") + b"\\x"
        return self

    def raw(self, b):
        self.front += b
        return self

    def messages(self, msgs):  # fuzz::take_messages: int<1> lengths from the back (0xFF: + int<2>)
        for m in msgs:
            if len(m) >= 0xFF:
                self.int(0xFF).int(len(m), 2)
            else:
                self.int(len(m))
            self.raw(m)
        return self

    def bytes(self):
        return self.front + b"".join(reversed(self.back))


# --- packets from the unit tests ------------------------------------------------------------
GREETING = h("0a 352e352e352d31302e31312e31392d4d617269614442 2d302b64656231327531 00"
             "07000000 50652b46602f6533 00 feff 2d 0200 ff81 15 000000000000 1d000000"
             "6d4e7d4d465761624925 7a5a 00 6d7973716c5f6e61746976655f70617373776f7264 00")
OK = h("00 00 00 0200 0000")
OK_INFO = h("00 fc e803 fd 010203 0202 0100") + b"Rows matched: 1000  Changed: 3"
OK_TRACK = h("00 00 00 0240 0000 00 17 01 05 04 74657374 00 0e 0a 6175746f636f6d6d6974 02 4f4e")
OK_MORE = h("00 00 00 0a00 0000")   # SERVER_MORE_RESULTS_EXISTS
EOF_PKT = h("fe 0000 0200")
END_OK = h("fe 00 00 0200 0000")
ERR = h("ff 7a04 23 3432533032") + b"Table 'test.nope' doesn't exist"
ERR_NO_STATE = h("ff 1004") + b"Too many connections"
ERR_ZERO = h("ff 0000 23 4859303030") + b"errno 0"
INFILE = h("fb") + b"/tmp/data.csv"
SWITCH = h("fe") + b"mysql_native_password" + h("00") + h("50652b46602f6533 6d4e7d4d4657616249257a5a 00")
SWITCH_SHA2 = h("fe") + b"caching_sha2_password" + h("00") + h("50652b46602f6533 6d4e7d4d4657616249257a5a 00")
SWITCH_ED = h("fe") + b"client_ed25519" + h("00") + bytes(range(32))
SWITCH_CLEAR = h("fe") + b"mysql_clear_password" + h("00")
MORE_FAST_OK = h("01 03")
MORE_FULL = h("01 04")
MORE_KEY = h("01") + b"-----BEGIN PUBLIC KEY-----\nMFwwDQYJ\n-----END PUBLIC KEY-----\n"


def column(name, type_code=0xFD, collation=0x2D, flags=0, decimals=0):
    n = name.encode()
    return (h("03 646566 04 74657374 01 74 01 74") + bytes([len(n)]) + n + bytes([len(n)]) + n +
            h("0c") + struct.pack("<HIBHB", collation, 256, type_code, flags, decimals) + h("0000"))


def count(n):
    return bytes([n])


def row(*fields):
    out = b""
    for f in fields:
        out += b"\xfb" if f is None else bytes([len(f)]) + f
    return out


RESULT = [count(2), column("id", 0x08, 63), column("name"), EOF_PKT, row(b"1", b"alice"), row(b"2", None), EOF_PKT]
RESULT_DEPRECATE = [count(2), column("id", 0x08, 63), column("name"), row(b"1", b"alice"), END_OK]
MULTI = [OK_MORE, count(1), column("x"), EOF_PKT, row(b"x"), ERR]

seeds = {}


def seed(target, name, data):
    seeds.setdefault(target, []).append((name, data))


# frame_reader: max-size choice, [max], first seq, check seq, piece count, pieces, last path; wire.
def frames(*payloads, seq=0):
    out = b""
    for p in payloads:
        out += struct.pack("<I", len(p))[:3] + bytes([seq & 0xFF]) + p
        seq += 1
    return out


for i, (wire, pieces) in enumerate([
        (h("01 00 00 00 0e 01 00 00 01 0e"), []),
        (frames(OK, ERR, GREETING), [(1, 0), (3, 1), (5, 2), (7, 3)]),
        (frames(*RESULT, seq=1), [(2, 4), (9, 1)]),
        (frames(b"", b"", b"\x00"), [(4, 1), (1, 1)]),
]):
    d = Input().bool(False).int(0).bool(True).int(len(pieces))
    for n, path in pieces:
        d.int(n).int(path)
    d.int(1).raw(wire)
    seed("frame_reader", f"unit-{i}", d.bytes())
seed("frame_reader", "small-limit",
     Input().bool(True).int(10, 2).int(5).bool(True).int(0).int(0).raw(frames(b"abc", b"0123456789AB", seq=5)).bytes())

CAPS = 0x01A3A28F   # protocol_41, transactions, session_track, deprecate_eof, plugin_auth, ...
for i, p in enumerate([OK, OK_INFO, OK_TRACK, EOF_PKT, END_OK, ERR, ERR_NO_STATE, ERR_ZERO, INFILE, SWITCH,
                       MORE_FAST_OK, count(3), h("fc 0001")]):
    seed("response", f"unit-{i}", Input().int(CAPS, 8).raw(p).bytes())

for i, (msgs, deprecate) in enumerate([([OK], False), ([ERR], False), (RESULT, False), (RESULT_DEPRECATE, True),
                                       (MULTI, False), ([INFILE, OK], False), ([OK_TRACK], True)]):
    d = Input().bool(deprecate).bool(True).bool(False).int(0).messages(msgs)
    seed("result_reader", f"unit-{i}", d.bytes())

for i, (pw, msgs) in enumerate([
        (b"secret", [GREETING, OK]),
        (b"secret", [GREETING, SWITCH_SHA2, MORE_FAST_OK, OK]),
        (b"secret", [GREETING, SWITCH_SHA2, MORE_FULL, MORE_KEY, OK]),
        (b"secret", [GREETING, SWITCH_ED, OK]),
        (b"secret", [GREETING, SWITCH_CLEAR, OK]),
        (b"", [GREETING, ERR_NO_STATE]),
        (b"pw", [ERR_NO_STATE])]):
    d = Input().string(pw).bool(False).bool(True).bool(True).bool(i % 2 == 0).string(b"root").messages(msgs)
    seed("handshake_auth", f"unit-{i}", d.bytes())

for i, (type_code, text) in enumerate([(0x08, b"-9223372036854775808"), (0x03, b"42"), (0x05, b"1.5e300"),
                                      (0xF6, b"-12.3400"), (0x0A, b"2024-02-29"), (0x0C, b"2024-01-01 12:34:56.789"),
                                      (0x0B, b"-838:59:59.000000"), (0xFD, b"caf\xc3\xa9"), (0x10, b"\x01\x02"),
                                      (0x07, b"0000-00-00 00:00:00"), (0x0D, b"2155")]):
    index = type_code if type_code < 20 else type_code - 225   # position in fuzz::all_field_types
    d = Input().int(0).int(index).int(0, 2).bool(False).int(45, 2).int(0).int(0, 4).raw(text)
    seed("column_text_row", f"field-{i}", d.bytes())
seed("column_text_row", "result-set",
     Input().int(1).messages([b"\x01", column("id", 0x08, 63), column("name"), row(b"1", b"alice"),
                              row(None, b"x")]).bytes())

for i, (a, c, main) in enumerate([
        (b"", b"", b"[client]\nuser = root\npassword = \"p\\\"w\"\nport=3306\n"),
        (b"[client]\nhost=db\n", b"[mysql]\nsocket=s\n", b"!include a.cnf\n!includedir d\n[client]\ncompress\n"),
        (b"!include main.cnf\n", b"", b"!include a.cnf\n[client]\n"),
        (b"", b"", b"# comment\n; other\n[client]\nssl-ca = 'ca.pem' # trailing\ninit_command=SET x=1\n")]):
    seed("option_file", f"file-{i}", Input().string(a).string(c).raw(main).bytes())


# format_query: named?, count, then per value its kind (and data), then the query.
def fq(named, values, query):
    d = Input().bool(named).int(len(values))
    for kind, data in values:
        d.int(kind)
        if kind in (6, 8):
            d.string(data)
        elif kind == 2:
            d.int(data, 8)
        if named:
            d.string(b"p%d" % values.index((kind, data)))
    return d.raw(query).bytes()


seed("format_query", "positional", fq(False, [(6, b"it's \\ \"x\"\x00\x1a\n"), (2, 42), (0, None)],
                                      b"SELECT %s, %s, %s, 100%%"))
seed("format_query", "named", fq(True, [(6, b"O'Brien"), (8, b"\x00\xff'\\")], b"SELECT %(p0)s, %(p1)s"))
seed("format_query", "errors", fq(False, [(6, b"x")], b"SELECT %d %"))

seed("binary_param", "ints", Input().bool(False).int(7, 4).int(0).int(3).int(2).int(5, 8).int(3).int(9, 8)
     .int(1).int(1).bytes())
seed("binary_param", "raw", Input().bool(True).int(2).bool(False).raw(
    h("17 01000000 00 01000000 00 01 0800 0800 0500000000000000 0600000000000000")).bytes())
# Two columns (make_column: type index, flags, binary?, [collation], decimals, length): a BIGINT
# and a utf8mb4 VAR_STRING.
seed("binary_row", "raw", Input().bool(False).int(2).int(8).int(0, 2).bool(True).int(0).int(0)
     .int(28).int(0, 2).bool(False).int(44, 2).int(0).int(0).raw(h("00 00 0700000000000000 0461626364")).bool(True).bytes())
seed("compressed_frames", "round-trip", Input().bool(False).bool(True).int(0).int(2).int(3).int(10)
     .raw(frames(b"\x03SELECT 1" + b" " * 60, OK)).bytes())
seed("compressed_frames", "stored", Input().bool(False).bool(False).int(0).int(0)
     .raw(h("0b0000 00 000000") + frames(OK)).bytes())

PREPARE_OK = h("00 01000000 0200 0100 00 0000")
for i, (msgs, deprecate) in enumerate([
        ([PREPARE_OK, column("?"), EOF_PKT, column("a"), column("b"), EOF_PKT], False),
        ([PREPARE_OK, column("?"), column("a"), column("b")], True),
        ([h("00 02000000 0000 0000 00 0000")], False),
        ([ERR], False)]):
    seed("stmt_responses", f"unit-{i}", Input().bool(deprecate).bool(False).messages(msgs).bytes())
seed("stmt_responses", "execute-header", Input().bool(True).bool(True).messages([h("02 01")]).bytes())

root = os.path.join(HERE, "corpus")
shutil.rmtree(root, ignore_errors=True)
for target, items in seeds.items():
    os.makedirs(os.path.join(root, target))
    for name, data in items:
        with open(os.path.join(root, target, name), "wb") as f:
            f.write(data)
print(sum(len(v) for v in seeds.values()), "seeds for", len(seeds), "targets")

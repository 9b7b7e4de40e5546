#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compiles every C++ code block of README.md and docs/*.md, as a user of the installed headers would.

    check_snippets.py --cxx COMPILER --root SOURCE_ROOT [-I DIR]... [--list] [FILE.md...]

Each ```cpp block (also c++, cxx) is compiled on its own with `COMPILER -std=c++20 -fsyntax-only`
against SOURCE_ROOT/include (the public headers) and the -I folders given (libuv's), warnings as
errors. How a block is compiled is said by an HTML comment on the last non-blank line before it
(invisible on the rendered page); a block without one is a complete translation unit:

    <!-- snippet: declarations -->   top-level code: functions, types (the prelude comes first)
    <!-- snippet: function -->       statements, wrapped in a function body
    <!-- snippet: coroutine -->      statements, wrapped in a uvmysql::Task<> coroutine body
    <!-- snippet: skip REASON -->    not compiled; the reason is required and is printed

The prelude is `#include <uvmysql/uvmysql.hpp>`, <uv.h> and the usual std headers, then
`using namespace std::chrono_literals;`. Function and coroutine bodies may use these parameters:
`uv_loop_t* loop`, `uvmysql::ConnectOptions opt`, `uvmysql::Connection conn`,
`uvmysql::Cursor cur`, `uvmysql::Pool pool`, `std::int64_t id` (a block may declare its own).

Compiler messages point at the Markdown file and line (#line). A marker that is not followed by
a C++ block, or an unknown mode, is an error too. The last line is `N passed, N failed, N skipped`
(one case per block; skipped blocks are listed with their reason).
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

FENCE_OPEN = re.compile(r"^(\s*)```\s*(\S*)\s*$")   # indented: inside a list item
MARKER = re.compile(r"^<!--\s*snippet:\s*(\S+)\s*(.*?)\s*-->\s*$")
CPP_TAGS = {"cpp", "c++", "cxx", "cc"}
MODES = {"file", "declarations", "function", "coroutine", "skip"}

PRELUDE = """\
#include <uvmysql/uvmysql.hpp>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
"""

PARAMS = ("[[maybe_unused]] uv_loop_t* loop, [[maybe_unused]] uvmysql::ConnectOptions opt, "
          "[[maybe_unused]] uvmysql::Connection conn, [[maybe_unused]] uvmysql::Cursor cur, "
          "[[maybe_unused]] uvmysql::Pool pool, [[maybe_unused]] std::int64_t id")

WRAPPERS = {
    "file": ("", ""),
    "declarations": (PRELUDE, ""),
    # The inner block lets a snippet declare its own `conn` or `opt` (shadowing is allowed there).
    "function": (PRELUDE + f"void snippet({PARAMS}) {{ {{\n", "}\n}\n"),
    "coroutine": (PRELUDE + f"uvmysql::Task<> snippet({PARAMS}) {{ {{\n", "}\nco_return;\n}\n"),
}


class Snippet:
    def __init__(self, path, line, mode, reason, code):
        self.path, self.line, self.mode, self.reason, self.code = path, line, mode, reason, code

    @property
    def name(self):
        return f"{self.path}:{self.line}"


def extract(path, display):
    """The C++ blocks of one Markdown file, with their marker (or errors for bad markers)."""
    snippets, errors = [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    pending = None   # (line, mode, reason) of a marker waiting for its block
    i = 0
    while i < len(lines):
        text = lines[i]
        m = MARKER.match(text.strip())
        if m:
            if pending:
                errors.append(f"{display}:{pending[0]}: snippet marker not followed by a C++ block")
            mode, reason = m.group(1), m.group(2)
            if mode not in MODES:
                errors.append(f"{display}:{i + 1}: unknown snippet mode '{mode}' (one of {sorted(MODES)})")
            elif mode == "skip" and not reason:
                errors.append(f"{display}:{i + 1}: 'snippet: skip' needs a reason")
            pending = (i + 1, mode, reason)
            i += 1
            continue
        fence = FENCE_OPEN.match(text)
        if fence:
            indent, tag = len(fence.group(1)), fence.group(2).lower()
            start = i + 1
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith("```"):
                i += 1
            body = [b[indent:] if b[:indent].isspace() else b.lstrip() for b in lines[start:i]]
            if tag in CPP_TAGS:
                mode, reason = ("file", "") if pending is None else (pending[1], pending[2])
                snippets.append(Snippet(display, start + 1, mode, reason, "\n".join(body) + "\n"))
            elif pending:
                errors.append(f"{display}:{pending[0]}: snippet marker before a '{tag or 'plain'}' block")
            pending = None
            i += 1
            continue
        if pending and text.strip():
            errors.append(f"{display}:{pending[0]}: snippet marker not followed by a C++ block")
            pending = None
        i += 1
    if pending:
        errors.append(f"{display}:{pending[0]}: snippet marker not followed by a C++ block")
    return snippets, errors


def source_of(s):
    head, tail = WRAPPERS[s.mode]
    # Quotes in a path would end the #line string; Markdown paths here have none.
    return f'{head}#line {s.line} "{s.path}"\n{s.code}{tail}'


def compile_one(s, cxx, includes, workdir):
    src = os.path.join(workdir, re.sub(r"[^A-Za-z0-9]+", "_", s.name) + ".cpp")
    with open(src, "w", encoding="utf-8") as f:
        f.write(source_of(s))
    cmd = [cxx, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
           "-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-unused-function"]
    cmd += [f"-I{d}" for d in includes] + [src]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode == 0, r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cxx", required=True, help="the C++ compiler to check with")
    ap.add_argument("--root", required=True, help="the uvmysql source folder")
    ap.add_argument("-I", dest="includes", action="append", default=[], help="extra include folder")
    ap.add_argument("--list", action="store_true", help="list the blocks and their modes only")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/*.md)")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    files = args.files or [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    snippets, errors = [], []
    for path in files:
        s, e = extract(path, os.path.relpath(os.path.abspath(path), root))
        snippets += s
        errors += e
    for e in errors:
        print(f"error: {e}")
    if args.list:
        for s in snippets:
            print(f"{s.name}: {s.mode} {s.reason}".rstrip())
        return 1 if errors else 0

    includes = [os.path.join(root, "include")] + args.includes
    to_compile = [s for s in snippets if s.mode != "skip"]
    skipped = [s for s in snippets if s.mode == "skip"]
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="uvmysql-snippets.") as workdir, \
            ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = pool.map(lambda s: compile_one(s, args.cxx, includes, workdir), to_compile)
        for s, (ok, output) in zip(to_compile, results):
            print(f"{'ok  ' if ok else 'FAIL'} {s.name} ({s.mode})")
            if ok:
                passed += 1
            else:
                failed += 1
                print(output, end="")
    for s in skipped:
        print(f"skip {s.name}: {s.reason}")
    failed += len(errors)
    print(f"{os.path.basename(args.cxx)}: {len(to_compile)} blocks compiled, {len(skipped)} skipped by marker, "
          f"{len(errors)} marker errors")
    print(f"{passed} passed, {failed} failed, {len(skipped)} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

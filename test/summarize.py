#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Counts individual GoogleTest cases of a `meson test` run and prints `N passed, N failed, N skipped`.

    summarize.py BUILDDIR [--meson-rc N]   summary of the last run (last line: the counts)
    summarize.py BUILDDIR --clean          delete results of an earlier run first

Sources, all written by meson 1.0 into BUILDDIR:
  meson-logs/testlog.json       one JSON object per meson test run: name, result, returncode
  meson-logs/testlog.junit.xml  for protocol 'gtest' tests that wrote their XML, one <testsuite>
                                per GoogleTest suite, named "<project>.<test name>.<gtest suite>",
                                with one <testcase> each (<failure>/<error>, <skipped>, or
                                status="notrun" for DISABLED_ tests)
  meson-info/intro-tests.json   which tests use the gtest protocol

A test binary that crashed, timed out or exited early writes no XML (or stale XML would be read:
--clean removes it). Such a binary counts as one failure, and so does one whose exit status was
bad although all its cases passed (LeakSanitizer reports at exit, after the XML is written), so a
crash never looks green. A gtest binary that exited 0 without writing its XML also counts as a
failure: something called exit() in the middle of the run.
"""

import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

GOOD = {"OK", "EXPECTEDFAIL"}
# GoogleTest's per-case result lines ("[       OK ] Suite.Name (3 ms)"), for binaries that died
# before writing their XML: the cases that finished before the crash still count.
RUN_LINE = re.compile(r"^\[ RUN\s*\] (\S+)$")
CASE_LINE = re.compile(r"^\[\s*(OK|SKIPPED|FAILED)\s*\] (\S+?)(?:, where .*)? \(\d+ ms\)$")
SKIP = {"SKIP"}


def load_intro_tests(builddir):
    path = os.path.join(builddir, "meson-info", "intro-tests.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return []


def clean(builddir):
    """Removes the logs and gtest XML files a previous run left, so none is taken for new."""
    for name in ("testlog.json", "testlog.junit.xml", "testlog.txt"):
        try:
            os.remove(os.path.join(builddir, "meson-logs", name))
        except FileNotFoundError:
            pass
    for t in load_intro_tests(builddir):
        if t.get("protocol") != "gtest":
            continue
        # mtest.py passes --gtest_output=xml:<workdir or cwd>/<name>.xml; cwd is the build dir.
        base = t.get("workdir") or builddir
        try:
            os.remove(os.path.join(base, t["name"] + ".xml"))
        except (FileNotFoundError, KeyError):
            pass


def short_name(run_name):
    # testlog.json names a run "<project>:<suite> / <test>"; intro-tests.json says "<test>".
    return run_name.rsplit(" / ", 1)[-1]


def summarize(builddir, meson_rc):
    logs = os.path.join(builddir, "meson-logs")
    runs = []
    try:
        with open(os.path.join(logs, "testlog.json"), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    runs.append(json.loads(line))
    except FileNotFoundError:
        pass  # no test was run (none defined, or none selected)

    gtest_names = {t["name"] for t in load_intro_tests(builddir) if t.get("protocol") == "gtest"}

    # Case results per meson run, from the JUnit file.
    cases = {r["name"]: [] for r in runs}
    by_length = sorted(cases, key=len, reverse=True)
    junit = os.path.join(logs, "testlog.junit.xml")
    if runs and os.path.exists(junit):
        root = ET.parse(junit).getroot()
        for suite in root.iter("testsuite"):
            sname = suite.get("name", "")
            owner = None
            for run_name in by_length:  # "<project>.<run name>.<gtest suite>"
                marker = "." + run_name + "."
                if marker in sname and sname.index(marker) == sname.find("."):
                    owner = run_name
                    break
            if owner is None:
                continue  # meson's own per-test suite for tests without XML: handled below
            for case in suite.iter("testcase"):
                full = f'{case.get("classname", "")}.{case.get("name", "")}'
                if case.find("failure") is not None or case.find("error") is not None:
                    status = "failed"
                elif case.find("skipped") is not None or case.get("status") == "notrun":
                    status = "skipped"
                else:
                    status = "passed"
                cases[owner].append((full, status))

    passed = failed = skipped = 0
    lines = []
    failures = []
    for run in runs:
        name, result = run["name"], run.get("result", "?")
        mine = cases.get(name, [])
        p = sum(1 for _, s in mine if s == "passed")
        fl = sum(1 for _, s in mine if s == "failed")
        sk = sum(1 for _, s in mine if s == "skipped")
        failures += [f"  FAILED {case}  ({name})" for case, s in mine if s == "failed"]
        note = ""
        if mine:
            if result not in GOOD | SKIP and fl == 0:
                fl += 1
                note = f"  <- {result}, exit status {run.get('returncode')} after its cases ran"
                failures.append(f"  FAILED {name}: {result}, exit status {run.get('returncode')}"
                                " (sanitizer report or crash at exit? see testlog.txt)")
        elif result in SKIP:
            sk += 1
        elif short_name(name) in gtest_names:
            running = None
            for line in (run.get("stdout") or "").splitlines():
                r = RUN_LINE.match(line.strip())
                if r:
                    running = r.group(1)
                m = CASE_LINE.match(line.strip())
                if not m:
                    continue
                running = None
                if m.group(1) == "OK":
                    p += 1
                elif m.group(1) == "SKIPPED":
                    sk += 1
                else:
                    fl += 1
                    failures.append(f"  FAILED {m.group(2)}  ({name})")
            why = (f"{result}, exit status {run.get('returncode')}" if result not in GOOD
                   else "exited 0 but wrote no GoogleTest results")
            fl += 1
            note = f"  <- {why}"
            during = f" during {running}" if running else ""
            failures.append(f"  FAILED {name}: {why}{during}, before writing its results"
                            " (crash, timeout or early exit: see testlog.txt)")
        elif result in GOOD:
            p += 1  # a plain exit-code test is one test
        else:
            fl += 1
            note = f"  <- {result}, exit status {run.get('returncode')}"
            failures.append(f"  FAILED {name}: {result}, exit status {run.get('returncode')}")
        passed, failed, skipped = passed + p, failed + fl, skipped + sk
        lines.append(f"  {name}: {p} passed, {fl} failed, {sk} skipped{note}")

    if meson_rc not in (None, 0) and failed == 0:
        failed += 1
        failures.append(f"  FAILED meson test exited with status {meson_rc}")

    print(f"Test summary ({builddir}):")
    for line in lines or ["  no test was run"]:
        print(line)
    for line in failures:
        print(line)
    if failures:
        print(f"  full log: {os.path.join(logs, 'testlog.txt')}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("builddir")
    ap.add_argument("--clean", action="store_true", help="delete the results of an earlier run")
    ap.add_argument("--meson-rc", type=int, default=None,
                    help="exit status of `meson test`; non-zero forces at least one failure")
    args = ap.parse_args()
    if args.clean:
        clean(args.builddir)
        return 0
    return summarize(args.builddir, args.meson_rc)


if __name__ == "__main__":
    sys.exit(main())

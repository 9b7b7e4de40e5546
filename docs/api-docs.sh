#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Generates the API reference (HTML) from the installed headers' `///` comments with Doxygen.
#   docs/api-docs.sh OUTDIR GENERATED_HEADERS_DIR VERSION
# Usually run as `meson compile -C build api-docs` (OUTDIR = build/api-docs). Fails, printing
# them, on any Doxygen warning (an undocumented public name, a broken command).
set -euo pipefail
[[ $# == 3 ]] || { sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
generated=$(cd "$2" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
UVMYSQL_API_DOCS_DIR=$out UVMYSQL_VERSION=$3 UVMYSQL_GENERATED_HEADERS=$generated doxygen docs/Doxyfile
echo "api-docs.sh: $out/html/index.html"

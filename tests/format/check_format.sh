#!/usr/bin/env bash
# Checks that every C++ file under pipeline/ and tests/ is formatted as .clang-format says
# (clang-format --dry-run --Werror), listing the files that are not. Runs under ctest.
# Usage: tests/format/check_format.sh
# To fix a file: clang-format -i FILE
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v clang-format >/dev/null; then
  echo "clang-format is missing: install the Debian package clang-format" >&2
  exit 1
fi

mapfile -t files < <(find pipeline tests -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.cxx' \) | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "no C++ files found under pipeline/ and tests/" >&2
  exit 1
fi

# One clang-format process for all files (a process per file takes half a minute): each
# misformatted place is reported as FILE:LINE:COL: error: ...; the files are listed once each.
report=$(clang-format --dry-run --Werror "${files[@]}" 2>&1) && status=0 || status=$?
mapfile -t unformatted < <(printf '%s\n' "$report" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
if [ ${#unformatted[@]} -gt 0 ] || [ "$status" -ne 0 ]; then
  if [ ${#unformatted[@]} -eq 0 ]; then
    printf '%s\n' "$report" | head -20  # clang-format failed for another reason
    exit 1
  fi
  printf 'not formatted: %s\n' "${unformatted[@]}"
  echo "${#unformatted[@]} of ${#files[@]} files need clang-format -i"
  exit 1
fi
echo "${#files[@]} files formatted"

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

unformatted=()
for file in "${files[@]}"; do
  clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
done
if [ ${#unformatted[@]} -gt 0 ]; then
  printf 'not formatted: %s\n' "${unformatted[@]}"
  echo "${#unformatted[@]} of ${#files[@]} files need clang-format -i"
  exit 1
fi
echo "${#files[@]} files formatted"

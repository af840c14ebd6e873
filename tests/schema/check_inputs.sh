#!/usr/bin/env bash
# Checks that the schema and the validator agree: every input/*.xml (and every test source in
# tests/source/*.xml) passes both
# `xmllint --schema docs/schema/operation.xsd` and `BINARY validate`, and every
# tests/schema/invalid/*.xml is refused by both (the validator with exit code 1 and a
# "FILE:LINE:COL: error:" line, so that a crash or a missing command does not count as a refusal).
# Usage: tests/schema/check_inputs.sh BINARY
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
binary=$1
cd "$(dirname "$0")/../.."
schema=docs/schema/operation.xsd

passed=0
failed=0
report() {  # report ok|FAIL description
  printf '%-4s %s\n' "$1" "$2"
  if [ "$1" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

if ! command -v xmllint >/dev/null; then
  echo "xmllint is missing: install libxml2-utils" >&2
  exit 1
fi
if [ ! -x "$binary" ]; then
  echo "$binary is not an executable program" >&2
  exit 1
fi

shopt -s nullglob
inputs=(input/*.xml tests/source/*.xml)
invalid=(tests/schema/invalid/*.xml)
if [ ${#inputs[@]} -eq 0 ] || [ ${#invalid[@]} -eq 0 ]; then
  echo "nothing to check: input/*.xml or tests/schema/invalid/*.xml is empty" >&2
  exit 1
fi

for file in "${inputs[@]}"; do
  if xmllint --noout --schema "$schema" "$file" >/dev/null 2>&1; then
    report ok "xmllint accepts $file"
  else
    report FAIL "xmllint refuses $file"
  fi
  if "$binary" validate --strict "$file" >/dev/null 2>&1; then
    report ok "validate accepts $file"
  else
    report FAIL "validate refuses $file"
  fi
done

for file in "${invalid[@]}"; do
  if xmllint --noout --schema "$schema" "$file" >/dev/null 2>&1; then
    report FAIL "xmllint accepts $file"
  else
    report ok "xmllint refuses $file"
  fi
  status=0
  output=$("$binary" validate "$file" 2>&1) || status=$?
  if [ "$status" -eq 1 ] && grep -q "^$file:[0-9]*:[0-9]*: error: " <<<"$output"; then
    report ok "validate refuses $file"
  else
    report FAIL "validate does not refuse $file as invalid (exit $status)"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

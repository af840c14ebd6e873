#!/usr/bin/env bash
# Measures factsheet's speed and memory, prints a table and writes docs/benchmarks.md.
#   tests/bench/run.sh [BUILD_DIR]    (default build/; `make bench` builds it in Release first)
# Whole processes are timed by stage_bench --time (fork/exec, wall clock, the child's CPU time and
# peak resident memory from wait4); the per-stage split comes from the Google Benchmark micro
# benchmarks in the same program. RUNS (default 20) sets the runs of each single-process measurement.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
[[ "$build" = /* ]] || build="$root/$build"
factsheet="$build/factsheet"
bench="$build/stage_bench"
runs=${RUNS:-20}
for program in "$factsheet" "$bench"; do
  [[ -x "$program" ]] || { echo "run.sh: $program is missing: build it first (make bench)" >&2; exit 2; }
done
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" ||
  echo "run.sh: warning: $build is not a Release build; the numbers will not be comparable" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/factsheet-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
# Drawn maps, compiled hyphenation dictionaries and prepared fonts are kept in a cache folder of
# the benchmark's own: the warm-up run of each measurement fills it, as a person's first run does
# (cold_fr_uncached measures without it).
export FACTSHEET_CACHE_DIR="$work/cache"
cd "$root"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

# --- helpers ------------------------------------------------------------------------------------
declare -A median minimum maximum rss cpu faults
# measure NAME RUNS WARMUPS COMMAND...: stores median/min/max wall ms, peak RSS KB, median CPU ms.
measure() {
  local name=$1 n=$2 warm=$3
  shift 3
  printf '  %-22s' "$name" >&2
  local out
  out=$("$bench" --time "$n" "$warm" -- "$@")
  read -r median[$name] minimum[$name] maximum[$name] rss[$name] cpu[$name] faults[$name] <<<"$out"
  printf '%10.2f ms  (CPU %.2f ms, %d runs)\n' "${median[$name]}" "${cpu[$name]}" "$n" >&2
}
# alternate NAME_A NAME_B RUNS WARMUPS: runs the commands in the arrays cmd_a and cmd_b in turn,
# one unmeasured run of each first, then RUNS of each, A before B, each measured run after WARMUPS
# unmeasured ones of the same command (a short process's first run after another program's is
# slower, by 1 to 6 ms for a 15 ms build), and stores each's figures as measure does. A target's ratio compares two commands: the machine is shared, its speed drifts
# within a minute, and medians taken side by side move together where back-to-back series did not
# (the batch's ratio read 1.40x and 1.56x in two runs an hour apart).
alternate() {
  local a=$1 b=$2 n=$3 warm=$4 i name out
  local -A walls cpus rsss faultss
  "$bench" --time 1 0 -- "${cmd_a[@]}" >/dev/null
  "$bench" --time 1 0 -- "${cmd_b[@]}" >/dev/null
  for ((i = 0; i < n; i++)); do
    for name in "$a" "$b"; do
      if [[ $name == "$a" ]]; then
        out=$("$bench" --time 1 "$warm" -- "${cmd_a[@]}")
      else
        out=$("$bench" --time 1 "$warm" -- "${cmd_b[@]}")
      fi
      read -r w _ _ r c f <<<"$out"
      walls[$name]+="$w "; cpus[$name]+="$c "; rsss[$name]+="$r "; faultss[$name]+="$f "
    done
  done
  for name in "$a" "$b"; do
    local sorted
    sorted=$(tr ' ' '\n' <<<"${walls[$name]}" | sed '/^$/d' | sort -g)
    median[$name]=$(sed -n "$(((n + 1) / 2))p" <<<"$sorted")
    minimum[$name]=$(head -1 <<<"$sorted")
    maximum[$name]=$(tail -1 <<<"$sorted")
    cpu[$name]=$(tr ' ' '\n' <<<"${cpus[$name]}" | sed '/^$/d' | sort -g | sed -n "$(((n + 1) / 2))p")
    rss[$name]=$(tr ' ' '\n' <<<"${rsss[$name]}" | sed '/^$/d' | sort -g | tail -1)
    faults[$name]=$(tr ' ' '\n' <<<"${faultss[$name]}" | sed '/^$/d' | sort -g | sed -n "$(((n + 1) / 2))p")
    printf '  %-22s%10.2f ms  (CPU %.2f ms, %d runs, in turn)\n' "$name" "${median[$name]}" "${cpu[$name]}" "$n" >&2
  done
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
mb() { calc '%.1f' "${rss[$1]} / 1024"; }

# --- inputs -------------------------------------------------------------------------------------
echo "generating synthetic sources from input/mali.xml..." >&2
"$bench" --generate "$work/s100" 100 1
"$bench" --generate "$work/s1000" 1000 1
"$bench" --generate "$work/p100" 100 1 --no-pictures  # neither map nor QR code
"$bench" --generate "$work/p1" 1 1 --no-pictures
for scale in 1 4 16; do "$bench" --generate "$work/x$scale" 1 "$scale"; done
"$factsheet" validate -q "$work"/s100/*.xml "$work"/x*/*.xml "$work"/p*/*.xml
pages() { "$factsheet" build -v "$1" --lang en --out "$work/pages" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) pages.*/\1/p'; }

# --- whole processes ----------------------------------------------------------------------------
echo "whole processes (median of $runs runs after one warm-up):" >&2
fault_us=$("$bench" --fault-cost)
measure true "$runs" 1 true
measure version "$runs" 1 "$factsheet" --version
measure validate "$runs" 1 "$factsheet" validate input/mali.xml
measure cold_en "$runs" 1 "$factsheet" build input/mali.xml --lang en --out "$work/single"
measure cold_fr "$runs" 1 "$factsheet" build input/mali.xml --lang fr --out "$work/single"
measure cold_fr_uncached "$runs" 1 env FACTSHEET_CACHE_DIR= "$factsheet" build input/mali.xml --lang fr --out "$work/single"
measure cold_both "$runs" 1 "$factsheet" build input/mali.xml --out "$work/single"
for scale in 1 4 16; do
  measure "scale_$scale" "$runs" 1 "$factsheet" build "$work/x$scale/synthetic-0001.xml" --lang en --out "$work/scaled"
done

measure plain_1 "$runs" 1 "$factsheet" build "$work/p1/synthetic-0001.xml" --lang en --out "$work/scaled"
echo "batches (--force: every factsheet is built each run):" >&2
measure warm_en 5 1 "$factsheet" batch "$work/s100" --lang en --jobs 1 --force --out "$work/o100"
measure warm_fr 5 1 "$factsheet" batch "$work/s100" --lang fr --jobs 1 --force --out "$work/o100"
measure plain_en 5 1 "$factsheet" batch "$work/p100" --lang en --jobs 1 --force --out "$work/p100out"
measure b100_j2 5 1 "$factsheet" batch "$work/s100" --lang en --jobs 2 --force --out "$work/o100"
measure b1000_j1 3 0 "$factsheet" batch "$work/s1000" --lang en --jobs 1 --force --out "$work/o1000"
measure b1000_j2 3 0 "$factsheet" batch "$work/s1000" --lang en --jobs 2 --force --out "$work/o1000"
measure b1000_skip 3 0 "$factsheet" batch "$work/s1000" --lang en --jobs 2 --out "$work/o1000"

# --- the speed issue's targets: against Typst and against the baseline build ----------------------
# Typst compiling the same Mali factsheet (its peer folder, TYPST_PEER, with the npm compiler it
# names; installed once into the build folder by npm ci). Skipped when node or the peer is missing.
typst_peer=${TYPST_PEER:-$root/../shared/peers/typst}
typst_dir="$build/bench-typst"
if [[ -f "$typst_peer/compile.js" ]] && command -v node >/dev/null && command -v npm >/dev/null; then
  if [[ ! -d "$typst_dir/node_modules" ]]; then
    rm -rf "$typst_dir" && mkdir -p "$typst_dir" && cp -r "$typst_peer/." "$typst_dir/"
    (cd "$typst_dir" && npm ci --no-audit --no-fund >/dev/null 2>&1) || rm -rf "$typst_dir"
  fi
fi
if [[ -d "$typst_dir/node_modules" ]]; then
  echo "Typst and this build in turn, the same French factsheet:" >&2
  cmd_a=(node "$typst_dir/compile.js" "$typst_dir/data/factsheet.fr.xml" "$work/typst-fr.pdf")
  cmd_b=("$factsheet" build input/mali.xml --lang fr --out "$work/single")
  alternate typst_fr cold_fr_turn 15 1
fi
# The baseline: the program as it was when the speed targets were set (BASELINE, a commit), built
# once in Release into the build folder; its batch runs on sources from its own generator.
baseline=${BASELINE:-54b7c90}
base="$build/bench-baseline"
if git -C "$root" cat-file -e "$baseline^{commit}" 2>/dev/null; then
  if [[ ! -x "$base/build/factsheet" || "$(cat "$base/commit" 2>/dev/null)" != "$baseline" ]]; then
    echo "building the baseline $baseline (once)..." >&2
    rm -rf "$base" && mkdir -p "$base/src"
    git -C "$root" archive "$baseline" | tar -x -C "$base/src"
    cmake -S "$base/src" -B "$base/build" -DCMAKE_BUILD_TYPE=Release -DFACTSHEET_BENCH=ON >/dev/null
    cmake --build "$base/build" -j "$(nproc)" --target factsheet stage_bench >/dev/null
    echo "$baseline" >"$base/commit"
  fi
  "$base/build/stage_bench" --generate "$work/base1000" 1000 1 >/dev/null
  echo "the baseline $baseline and this build in turn, 1,000 sources, both languages:" >&2
  cmd_a=(sh -c "cd '$base/src' && exec '$base/build/factsheet' batch '$work/base1000' --jobs 2 --force --out '$work/base-out'")
  cmd_b=("$factsheet" batch "$work/s1000" --jobs 2 --force --out "$work/o1000both")
  alternate base_both b1000_both 5 0
else
  measure b1000_both 3 0 "$factsheet" batch "$work/s1000" --jobs 2 --force --out "$work/o1000both"
fi
"$bench" --generate "$work/s10000" 10000 1 >/dev/null
measure b10000_both 1 0 "$factsheet" batch "$work/s10000" --jobs 2 --force --out "$work/o10000"

echo "archive search (1,000 editions):" >&2
"$bench" --archive "$work/a1000" 1000
measure search_word "$runs" 1 "$factsheet" archive search menaka --archive "$work/a1000"
measure search_phrase "$runs" 1 "$factsheet" archive search '"armed groups"' --archive "$work/a1000"
measure search_prefix "$runs" 1 "$factsheet" archive search 'protect*' --archive "$work/a1000"
measure search_figures "$runs" 1 "$factsheet" archive figures synthetic-0001 --archive "$work/a1000"

# --- per stage ----------------------------------------------------------------------------------
echo "per-stage micro benchmarks (Google Benchmark, median of 5 repetitions)..." >&2
# Two runs: Google Benchmark's CSV takes user counters (the subsets' sizes) only when every row
# of the run has them.
"$bench" --benchmark_filter=-subset_ --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=csv 2>/dev/null >"$work/stages.csv"
"$bench" --benchmark_filter=subset_ --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=csv 2>/dev/null | tail -n +2 >>"$work/stages.csv"
# stage NAME: median wall time in ms of one benchmark (name as Google Benchmark prints it).
stage() {
  awk -F, -v want="\"$1_median\"" '$1 == want {
    t = $3; if ($5 == "us") t /= 1000; else if ($5 == "ns") t /= 1e6; else if ($5 == "s") t *= 1000
    printf "%.2f", t }' "$work/stages.csv"
}
stage_cpu() {
  awk -F, -v want="\"$1_median\"" '$1 == want {
    t = $4; if ($5 == "us") t /= 1000; else if ($5 == "ns") t /= 1e6; else if ($5 == "s") t *= 1000
    printf "%.2f", t }' "$work/stages.csv"
}

# stage_us NAME: the same in microseconds, for what takes less than a millisecond.
stage_us() { calc '%.1f' "$(awk -F, -v want="\"$1_median\"" '$1 == want {
    t = $3; if ($5 == "ms") t *= 1000; else if ($5 == "ns") t /= 1000; else if ($5 == "s") t *= 1e6
    printf "%.3f", t }' "$work/stages.csv")"; }

# counter NAME COUNTER: a user counter of one benchmark's median row ("bytes", "glyphs").
# (Its rows come from the second run, whose header gives the counters after the ten standard columns:
# "bytes", then "glyphs".)
counter() {
  local column=11
  [[ "$2" == glyphs ]] && column=12
  awk -F, -v want="\"$1_median\"" -v c="$column" '$1 == want { printf "%.0f", $c }' "$work/stages.csv"
}

# --- where a cold process spends its time -------------------------------------------------------
profile=""
if command -v perf >/dev/null && perf record -q -o "$work/probe.data" true >/dev/null 2>&1; then
  echo "profiling 20 cold English builds with perf..." >&2
  perf record -q -F 2999 -o "$work/perf.data" -- sh -c \
    "for i in \$(seq 20); do '$factsheet' build input/mali.xml --lang en --out '$work/single'; done" >/dev/null 2>&1
  profile=$(perf report -i "$work/perf.data" --sort dso --stdio -g none 2>/dev/null |
    awk '/%/ && $1 + 0 >= 1 { printf "| %s | %s |\n", $1, $2 }' | head -12)
  echo "profiling the 1,000-source batch, both languages, 2 jobs, with perf..." >&2
  perf record -q -F 1999 -o "$work/perf-batch.data" -- \
    "$factsheet" -q batch "$work/s1000" --jobs 2 --force --out "$work/o1000both" >/dev/null 2>&1
  # By function, 1% and more; C++ names cut after their first 70 characters.
  batch_profile=$(perf report -i "$work/perf-batch.data" --sort dso,sym --stdio -g none 2>/dev/null |
    awk '/%/ && $1 + 0 >= 1 { share = $1; dso = $2; $1 = $2 = $3 = ""; sub(/^ +/, "");
      name = length($0) > 70 ? substr($0, 1, 70) "..." : $0;
      printf "| %s | %s | `%s` |\n", share, dso, name }' | head -25)
  batch_libraries=$(perf report -i "$work/perf-batch.data" --sort dso --stdio -g none 2>/dev/null |
    awk '/%/ && $1 + 0 >= 0.5 { printf "%s%s %s", sep, $2, $1; sep = ", " }')
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))

# --- the report ---------------------------------------------------------------------------------
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
memory=$(free -g 2>/dev/null | awk '/^Mem:/ { print $2 " GB" }')
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
compiler=$("$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")" --version | head -1)
filesystem=$(df -T "$work" | awk 'NR == 2 { print $2 }')
p1=$(pages "$work/x1/synthetic-0001.xml"); p4=$(pages "$work/x4/synthetic-0001.xml"); p16=$(pages "$work/x16/synthetic-0001.xml")

# t FIELD NAME: a measured time for people: "36.56 ms", "12.55 s".
t() {
  local -n field=$1
  awk -v v="${field[$2]}" 'BEGIN { if (v >= 1000) printf "%.2f s", v / 1000; else printf "%.2f ms", v }'
}
per() { calc '%.2f' "${median[$1]} / $2"; }          # ms per factsheet
rate() { calc '%.0f' "$2 * 1000 / ${median[$1]}"; }  # factsheets per second
x_version() { calc '%.1f×' "${median[$1]} / ${median[version]}"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**not met**"; fi; }

doc="$root/docs/benchmarks.md"
{
cat <<EOF
# Benchmarks

Written by \`make bench\` (tests/bench/run.sh) on $(date -u +%Y-%m-%d); run it again to measure your
machine. Every number is a median; "CPU" is the user + system time of the process, which other
work on the machine does not inflate the way it inflates wall-clock time.

## The machine

| | |
|---|---|
| CPU | ${cpu_model:-unknown}, $(nproc) cores |
| memory | ${memory:-unknown} |
| system | ${os:-unknown}, Linux $(uname -r) |
| compiler | $compiler, Release (-O3) |
| file system of the output | $filesystem |
| load average before / after | $load_before / $load_after (other work on the machine adds to wall-clock times) |
| time taken by the benchmark | ${elapsed} s |

## Whole process, one Mali factsheet (cold)

A new process for each run, as a person runs \`factsheet build input/mali.xml\`: the program starts,
loads its layout and fonts, builds, writes (flushed to disk) and exits. "Cold" means a new process;
the operating system's file cache is warm (one unmeasured run first). Baselines measured in the same
run: \`true\` (the cost of starting any process) and \`factsheet --version\` (our process start).
\`factsheet validate\` reads the source, checks its characters against the layout's fonts and makes
both editions in memory without writing them. $runs runs each.

| what | median | min | max | CPU | peak memory | page faults | × --version | target |
|---|---|---|---|---|---|---|---|---|
| \`true\` | $(t median true) | $(t minimum true) | $(t maximum true) | $(t cpu true) | $(mb true) MB | ${faults[true]} | $(x_version true) | |
| \`factsheet --version\` | $(t median version) | $(t minimum version) | $(t maximum version) | $(t cpu version) | $(mb version) MB | ${faults[version]} | 1.0× | |
| \`factsheet validate\` | $(t median validate) | $(t minimum validate) | $(t maximum validate) | $(t cpu validate) | $(mb validate) MB | ${faults[validate]} | $(x_version validate) | |
| build, English | $(t median cold_en) | $(t minimum cold_en) | $(t maximum cold_en) | $(t cpu cold_en) | $(mb cold_en) MB | ${faults[cold_en]} | $(x_version cold_en) | < 30 ms: $(verdict "${median[cold_en]} < 30") |
| build, French | $(t median cold_fr) | $(t minimum cold_fr) | $(t maximum cold_fr) | $(t cpu cold_fr) | $(mb cold_fr) MB | ${faults[cold_fr]} | $(x_version cold_fr) | < 30 ms: $(verdict "${median[cold_fr]} < 30") |
| build, both in one process | $(t median cold_both) | $(t minimum cold_both) | $(t maximum cold_both) | $(t cpu cold_both) | $(mb cold_both) MB | ${faults[cold_both]} | $(x_version cold_both) | |

A page fault is the first touch of a page of memory (or of a file's page the program maps). The
first touch of a new page costs $(calc '%.1f' "$fault_us") µs on this machine (\`stage_bench --fault-cost\`),
so the French build's ${faults[cold_fr]} faults are about $(calc '%.1f' "${faults[cold_fr]} * $fault_us / 1000") ms of its $(t median cold_fr): an upper bound, as a
file's pages come in groups, and the pages of \`true\` and of any process are among them. The
program's heap is on transparent huge pages where the kernel offers them (pipeline/common/heap.hpp):
the 430-odd first touches of a cold build's heap are then two faults of 2 MiB each.

## The speed targets: against Typst and the baseline

Measured in the same run, each pair in turn (one of theirs, one of ours, and again: 15 pairs
against Typst, each run after one unmeasured run of the same command; 5 against the baseline), so
that the machine's drift moves both medians alike.
Typst compiles the same Mali factsheet (its peer, with the typst.ts node compiler), a whole
process each time as ours. The baseline is the program as it was
when these targets were set (commit ${baseline}, built in Release by this benchmark), making
the same batch from sources of its own generator: it had no tags, PDF/A, map or QR code, which
this build makes in every PDF.

| target | measured | ratio | verdict |
|---|---|---|---|
| one French factsheet, whole process, ≤ 0.10 × Typst | ${median[typst_fr]:+ours $(t median cold_fr_turn) (min $(t minimum cold_fr_turn), max $(t maximum cold_fr_turn)); Typst $(t median typst_fr) (min $(t minimum typst_fr), max $(t maximum typst_fr))} | ${median[typst_fr]:+$(calc '%.3f' "${median[cold_fr_turn]} / ${median[typst_fr]}")} | ${median[typst_fr]:+$(verdict "${median[cold_fr_turn]} <= 0.10 * ${median[typst_fr]:-0}")} |
| the same, nothing kept from an earlier run (map, dictionary, fonts) | ours $(t median cold_fr_uncached) (min $(t minimum cold_fr_uncached), max $(t maximum cold_fr_uncached)) | ${median[typst_fr]:+$(calc '%.2f' "${median[cold_fr_uncached]} / ${median[typst_fr]}")} | ${median[typst_fr]:+$(verdict "${median[cold_fr_uncached]} <= 0.10 * ${median[typst_fr]:-0}")} |
| batch of 1,000 sources, both languages, 2 jobs, ≥ 1.5 × the baseline's throughput | ours $(t median b1000_both) (min $(t minimum b1000_both), max $(t maximum b1000_both)), CPU $(t cpu b1000_both); baseline ${median[base_both]:+$(t median base_both) (min $(t minimum base_both), max $(t maximum base_both)), CPU $(t cpu base_both)} | ${median[base_both]:+$(calc '%.2f×' "${median[base_both]} / ${median[b1000_both]}")} | ${median[base_both]:+$(verdict "${median[base_both]} >= 1.5 * ${median[b1000_both]}")} |
| peak memory of one factsheet < 15 MB | French $(mb cold_fr) MB, English $(mb cold_en) MB, both $(mb cold_both) MB | | $(verdict "${rss[cold_fr]} < 15 * 1024 && ${rss[cold_en]} < 15 * 1024") |
| peak memory of any batch < 30 MB | 1,000 sources, both languages $(mb b1000_both) MB; 10,000 sources, both languages (1 run) $(mb b10000_both) MB${median[base_both]:+; the baseline at 1,000: $(mb base_both) MB} | | $(verdict "${rss[b1000_both]} < 30 * 1024 && ${rss[b10000_both]} < 30 * 1024") |

## Batches (warm)

\`factsheet batch DIR --lang en --force\`: one process, every factsheet rebuilt. The sources are
synthetic, generated from input/mali.xml by \`stage_bench --generate\` (ids synthetic-0001...,
invented figures, the country named "Synthetic NNNN"); each makes a 2-page factsheet like Mali's.
5 runs of the 100-source batches, 3 of the 1,000-source ones.

| batch | jobs | median | CPU | per factsheet | factsheets/s | peak memory | vs. a cold process each | target |
|---|---|---|---|---|---|---|---|---|
| 100, English | 1 | $(t median warm_en) | $(t cpu warm_en) | $(per warm_en 100) ms | $(rate warm_en 100) | $(mb warm_en) MB | $(calc '%.1f×' "${median[cold_en]} * 100 / ${median[warm_en]}") faster | |
| 100, French | 1 | $(t median warm_fr) | $(t cpu warm_fr) | $(per warm_fr 100) ms | $(rate warm_fr 100) | $(mb warm_fr) MB | $(calc '%.1f×' "${median[cold_fr]} * 100 / ${median[warm_fr]}") faster | |
| 100, English | 2 | $(t median b100_j2) | $(t cpu b100_j2) | $(per b100_j2 100) ms | $(rate b100_j2 100) | $(mb b100_j2) MB | $(calc '%.1f×' "${median[cold_en]} * 100 / ${median[b100_j2]}") faster | |
| 1,000, English | 1 | $(t median b1000_j1) | $(t cpu b1000_j1) | $(per b1000_j1 1000) ms | $(rate b1000_j1 1000) | $(mb b1000_j1) MB | $(calc '%.1f×' "${median[cold_en]} * 1000 / ${median[b1000_j1]}") faster | |
| 1,000, English | 2 | $(t median b1000_j2) | $(t cpu b1000_j2) | $(per b1000_j2 1000) ms | $(rate b1000_j2 1000) | $(mb b1000_j2) MB | $(calc '%.1f×' "${median[cold_en]} * 1000 / ${median[b1000_j2]}") faster | ≥ 400/s: $(verdict "1000 * 1000 / ${median[b1000_j2]} >= 400") |
| 1,000, all up to date | 2 | $(t median b1000_skip) | $(t cpu b1000_skip) | $(per b1000_skip 1000) ms | (skipped) | $(mb b1000_skip) MB | | |

Peak memory of the 1,000-source batch against the 100-source one (2 jobs):
$(mb b1000_j2) MB vs $(mb b100_j2) MB; target under 30 MB whatever the batch size:
$(verdict "${rss[b1000_j2]} < 30 * 1024 && ${rss[b1000_j1]} < 30 * 1024").
Speed-up from the second job on the 1,000-source batch: $(calc '%.2f×' "${median[b1000_j1]} / ${median[b1000_j2]}").

## Pictures: the locator map and the QR code

The same synthetic sources with and without the pictures (\`--no-pictures\`: no country code, so
no map; no web address, so no QR code), measured in the same run. The map is drawn once per
country and size and the QR code encoded once per address by the layout engine; each is written
as a form XObject whose compressed content the PDF stage keeps for the process, so a batch pays
for them once.

| what | with pictures | without | ratio (CPU) | target |
|---|---|---|---|---|
| one factsheet, whole process, English | $(t median scale_1) (CPU $(t cpu scale_1)), $(mb scale_1) MB | $(t median plain_1) (CPU $(t cpu plain_1)), $(mb plain_1) MB | $(calc '%.2f×' "${cpu[scale_1]} / ${cpu[plain_1]}") | |
| batch of 100, English, 1 job | $(t median warm_en) (CPU $(t cpu warm_en)), $(mb warm_en) MB | $(t median plain_en) (CPU $(t cpu plain_en)), $(mb plain_en) MB | $(calc '%.2f×' "${cpu[warm_en]} / ${cpu[plain_en]}") | ≤ 1.15×: $(verdict "${cpu[warm_en]} <= 1.15 * ${cpu[plain_en]}") |

## Growth with content

The Mali source with every paragraph repeated 1, 4 and 16 times, built (English) as a whole
process, and in process by Google Benchmark (\`content_scaling\`).

| text | pages | whole process | ratio to 1× | in process | ratio to 1× |
|---|---|---|---|---|---|
| 1× | $p1 | $(t median scale_1) | 1.0× | $(stage content_scaling/scale:1) ms | 1.0× |
| 4× | $p4 | $(t median scale_4) | $(calc '%.2f×' "${median[scale_4]} / ${median[scale_1]}") | $(stage content_scaling/scale:4) ms | $(calc '%.2f×' "$(stage content_scaling/scale:4) / $(stage content_scaling/scale:1)") |
| 16× | $p16 | $(t median scale_16) | $(calc '%.2f×' "${median[scale_16]} / ${median[scale_1]}") | $(stage content_scaling/scale:16) ms | $(calc '%.2f×' "$(stage content_scaling/scale:16) / $(stage content_scaling/scale:1)") |

Peak memory: $(mb scale_1) MB, $(mb scale_4) MB and $(mb scale_16) MB. Time linear in content
(16× the text in at most about 16× the time, in process):
$(verdict "$(stage content_scaling/scale:16) <= 16 * 1.1 * $(stage content_scaling/scale:1)").
The fixed cost of every factsheet (fonts set up in the PDF, the banner and figures of the first
page, process start-up) makes the ratios smaller than the ratio of the texts.

## Archive search, 1,000 editions

\`factsheet archive search\` over the catalog \`stage_bench --archive\` writes: 100 synthetic operations,
5 editions in each language, each laid out from its source and indexed by section as \`issue\` does
(their text is Mali's, so "menaka" matches every edition; the 50 best hits are printed with their
snippets). Whole process, $runs runs each, and in process (Google Benchmark, \`archive_search\`).

| query | whole process | CPU | in process | CPU in process | target |
|---|---|---|---|---|---|
| \`menaka\` (every edition) | $(t median search_word) | $(t cpu search_word) | $(stage archive_search/query:0) ms | $(stage_cpu archive_search/query:0) ms | < 50 ms: $(verdict "${median[search_word]} < 50") |
| \`"armed groups"\` | $(t median search_phrase) | $(t cpu search_phrase) | $(stage archive_search/query:1) ms | $(stage_cpu archive_search/query:1) ms | < 50 ms: $(verdict "${median[search_phrase]} < 50") |
| \`protect*\` | $(t median search_prefix) | $(t cpu search_prefix) | $(stage archive_search/query:2) ms | $(stage_cpu archive_search/query:2) ms | < 50 ms: $(verdict "${median[search_prefix]} < 50") |
| \`archive figures synthetic-0001\` | $(t median search_figures) | $(t cpu search_figures) | | | |

## Per stage (Google Benchmark, in process)

One Mali factsheet in a warm process, each stage alone; median wall time of 5 repetitions
(CPU time in brackets). "write" is \`write_file_atomic\`: a temporary file flushed to disk (fsync)
and renamed into place; "write, not flushed" writes and renames without the flush, for comparison.

| stage | English | French |
|---|---|---|
| read (file → validated Operation) | $(stage read_stage) ms ($(stage_cpu read_stage)) | (same source) |
| template (localized view + Mustache) | $(stage template_stage/fr:0) ms ($(stage_cpu template_stage/fr:0)) | $(stage template_stage/fr:1) ms ($(stage_cpu template_stage/fr:1)) |
| layout (measure, break, paginate) | $(stage layout_stage/fr:0) ms ($(stage_cpu layout_stage/fr:0)) | $(stage layout_stage/fr:1) ms ($(stage_cpu layout_stage/fr:1)) |
| PDF (libharu, the renderer kept as in a batch) | $(stage pdf_stage/fr:0) ms ($(stage_cpu pdf_stage/fr:0)) | $(stage pdf_stage/fr:1) ms ($(stage_cpu pdf_stage/fr:1)) |
| PDF, a new renderer (fonts loaded, as a single build) | $(stage pdf_stage_first/fr:0) ms ($(stage_cpu pdf_stage_first/fr:0)) | $(stage pdf_stage_first/fr:1) ms ($(stage_cpu pdf_stage_first/fr:1)) |
| write | $(stage write_stage/fr:0) ms ($(stage_cpu write_stage/fr:0)) | $(stage write_stage/fr:1) ms ($(stage_cpu write_stage/fr:1)) |
| write, not flushed | $(stage write_unflushed/fr:0) ms ($(stage_cpu write_unflushed/fr:0)) | $(stage write_unflushed/fr:1) ms ($(stage_cpu write_unflushed/fr:1)) |
| whole build in process (template → PDF) | $(stage whole_build/fr:0) ms ($(stage_cpu whole_build/fr:0)) | $(stage whole_build/fr:1) ms ($(stage_cpu whole_build/fr:1)) |
| set-up of a builder (labels, template, styles, fonts) | $(stage builder_setup) ms ($(stage_cpu builder_setup)) | |

The PDF stage is $(calc '%.0f%%' "100 * $(stage_cpu pdf_stage/fr:0) / $(stage_cpu whole_build/fr:0)") of the CPU time of an
English build. What it costs per document: libharu creating the two UTF-8 (CID) fonts (over the
codes the document draws, which the stage hands it in place of all 65,536), the page operators, the
subsets (written by the pdf stage itself, not by libharu, which embeds full hmtx and loca tables
and re-reads the font file for every glyph) and compressing the streams with libdeflate. A new
renderer also loads the two fonts (libharu parses each file, the pdf stage reads it once more).
In a batch the flush to disk is done by a writer thread while the workers build the next
factsheets, with one flush (syncfs) for the PDFs of 16 sources (or of half a second) rather than
one per file, so it adds to the wall-clock time only when the disk is slower than the building.

## Font subsets: ours against HarfBuzz

The pdf stage writes the subset of each font a PDF embeds with its own subsetter (pdf/truetype).
HarfBuzz's hb-subset does the same work (and is fuzzed continuously upstream); both are given
Roboto Regular and the $(counter subset_ours/cold:0 glyphs) glyphs of the Mali source's text, and asked for the same tables.
"Warm" subsets a font already parsed, as each PDF of a batch does; "cold" parses it first.

| subsetter | warm | cold | subset |
|---|---|---|---|
| ours | $(stage_us subset_ours/cold:0) µs | $(stage_us subset_ours/cold:1) µs | $(counter subset_ours/cold:0 bytes) bytes |
| HarfBuzz $(pkg-config --modversion harfbuzz 2>/dev/null) | $(stage_us subset_harfbuzz/cold:0) µs | $(stage_us subset_harfbuzz/cold:1) µs | $(counter subset_harfbuzz/cold:0 bytes) bytes |

Ours is $(calc '%.0f×' "$(stage_us subset_harfbuzz/cold:0) / $(stage_us subset_ours/cold:0)") faster warm. A PDF embeds two subsets, so HarfBuzz would add about
$(calc '%.2f' "2 * ($(stage_us subset_harfbuzz/cold:0) - $(stage_us subset_ours/cold:0)) / 1000") ms of CPU to every PDF; the project keeps its own subsetter, which its fuzz target
(truetype_fuzz) and the PDF/A and text extraction checks cover.

## Kerning: ours against HarfBuzz shaping

The layout measures words with the fonts' pair kerning, read from GPOS by our own reader
(layout/kerning) into a table it looks pairs up in. HarfBuzz does it by shaping, here each word of
the Mali source with 'kern' the only feature that moves glyphs. "Warm": every word measured once,
the font already loaded; "cold": the font loaded from its file and one word measured.

| kerning | warm (all words) | cold (load + one word) |
|---|---|---|
| ours | $(stage_us kerning_ours/cold:0) µs | $(stage_us kerning_ours/cold:1) µs |
| HarfBuzz $(pkg-config --modversion harfbuzz 2>/dev/null) | $(stage_us kerning_harfbuzz/cold:0) µs | $(stage_us kerning_harfbuzz/cold:1) µs |

HarfBuzz loads lazily and starts faster; ours reads the cmap, advances and every kerning pair up
front, then measures $(calc '%.0f×' "$(stage_us kerning_harfbuzz/cold:0) / $(stage_us kerning_ours/cold:0)") faster. A factsheet measures each word several times
(line breaking tries many), so ours is kept; tests/layout/kerning_test.cpp checks its pairs
against HarfBuzz's.
EOF
if [[ -n "$profile" ]]; then
cat <<EOF

## Where a cold process spends its time

\`perf record\` over 20 cold English builds (\`factsheet build input/mali.xml --lang en\`), samples
by library (1% and more). The program is linked with the static archives of the libraries Debian
ships one of (FreeType, fontconfig, libhyphen, libdeflate, SQLite, libstdc++...), so their work
counts as the program's; libharu and libqrencode are shared. The kernel's share is process start-up
(mapping the program and its libraries, page faults) and the write; \`ld-linux\` is dynamic
linking. libhyphen's dictionaries and the fonts' metrics and kerning are read from the cache
folder, which the warm-up run filled, rather than built from their patterns and font files (that
was half of a cold English build).

| share | library |
|---|---|
$profile
EOF
fi
if [[ -n "${batch_profile:-}" ]]; then
cat <<EOF

## Where a batch spends its time

\`perf record\` over the batch of 1,000 sources, both languages, 2 jobs (the target's), samples by
function (1% and more). libdeflate's \`deflate_compress_lazy\` compresses each page's content
stream, and the font subsets neither the process nor the cache folder keeps (at level 6, which the
PDFs' bytes depend on);
the kernel's share is the writes, their flush and the threads' wake-ups (on this virtual machine,
work done with interrupts off is counted at \`pvm_irq_enable\`); malloc and free are glibc's.
By library: ${batch_libraries}. libcrypto's share is the MD5 digest of each PDF (its /ID, which
the bytes fix) and the SHA-256 of each source and PDF (the batch's record); its functions have no
names for perf, so they are missing from the table below.

| share | library | function |
|---|---|---|
$batch_profile
EOF
fi
} >"$doc"

# --- the table on the terminal ------------------------------------------------------------------
printf '\n%-36s %12s %10s %12s\n' "measurement" "median ms" "CPU ms" "peak MB"
for name in true version validate cold_en cold_fr cold_fr_uncached cold_both scale_1 plain_1 scale_4 scale_16 warm_en plain_en warm_fr b100_j2 \
  b1000_j1 b1000_j2 b1000_skip b1000_both b10000_both ${median[typst_fr]:+typst_fr cold_fr_turn} ${median[base_both]:+base_both}; do
  printf '%-36s %12.2f %10.2f %12s\n' "$name" "${median[$name]}" "${cpu[$name]}" "$(mb "$name")"
done
printf '\n%-36s %12s\n' "per factsheet, batch of 1,000, 2 jobs" "$(per b1000_j2 1000) ms ($(rate b1000_j2 1000)/s)"
printf '%-36s %12s\n' "per factsheet, batch of 100, 1 job" "$(per warm_en 100) ms"
printf '\n%-36s %12s %10s\n' "stage (in process, English)" "wall ms" "CPU ms"
for s in read_stage template_stage/fr:0 layout_stage/fr:0 pdf_stage/fr:0 write_stage/fr:0 whole_build/fr:0 builder_setup; do
  printf '%-36s %12s %10s\n' "$s" "$(stage "$s")" "$(stage_cpu "$s")"
done
echo
echo "wrote docs/benchmarks.md (${elapsed} s; load average $load_before before, $load_after after)"

#!/usr/bin/env bash
# The CLI end to end at scale, next to DuckDB (issue 19; docs/benchmarks.md, "At scale: the CLI end to end").
#
#   benchmarks/scale.sh [--write-docs] [EVENTS_FILE]
#
# Without EVENTS_FILE it simulates one: `community-funnel simulate --members $SCALE_MEMBERS --days 30 --seed 1`
# (SCALE_MEMBERS defaults to 1000000: about 13M lines, 1.76 GB, in a temporary folder). Then it times, each in its
# own process with GNU time (wall seconds, peak RSS), from the file: `activation`, `funnel`, `rewards replay` with
# docs/examples/rewards-rules.json, `lifecycle replay` with docs/examples/lifecycle-policy.json, and DuckDB
# (read_json + dedupe by id + the activation query, 2 threads: the benchmarks program's --duckdb-activation mode).
# It checks that DuckDB's four activation counts equal the CLI's, prints a markdown table, and with --write-docs
# puts it between the scale markers of docs/benchmarks.md.
#
# Environment: SCALE_MEMBERS (members to simulate), SCALE_RUNS (rounds of the five runs, default 1: the table shows
# each path's median wall and largest peak RSS), SCALE_AS_OF (the --as-of instant; default: the day after the
# simulated month, 2026-12-01T00:00:00+08:00, or for a given file the local midnight after the latest instant in
# its last 20 000 lines, in that line's offset).
set -euo pipefail
export LC_ALL=C

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

write_docs=0
events_file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --write-docs) write_docs=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "scale.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *)
      if [[ -n "$events_file" ]]; then
        echo "scale.sh: one events file only" >&2
        exit 2
      fi
      events_file="$1"
      ;;
  esac
  shift
done

runs="${SCALE_RUNS:-1}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "scale.sh: SCALE_RUNS must be a positive integer (was '$runs')" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "$events_file" ]]; then
  if [[ ! -f "$events_file" ]]; then
    echo "scale.sh: no such file '$events_file'" >&2
    exit 2
  fi
  events_file="$(cd "$(dirname "$events_file")" && pwd)/$(basename "$events_file")"
fi

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  echo "scale.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cf-scale.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$root"
echo "building the CLI and the benchmarks program (Release)..." >&2
dotnet build src/CommunityFunnel.Cli/CommunityFunnel.Cli.csproj -c Release -nologo -v q >"$work/build-cli.log" 2>&1 \
  || { cat "$work/build-cli.log" >&2; exit 1; }
dotnet build benchmarks/CommunityFunnel.Benchmarks/CommunityFunnel.Benchmarks.csproj -c Release -nologo -v q >"$work/build-bench.log" 2>&1 \
  || { cat "$work/build-bench.log" >&2; exit 1; }
cli=(dotnet "$root/src/CommunityFunnel.Cli/bin/Release/net10.0/community-funnel.dll")
duck=(dotnet "$root/benchmarks/CommunityFunnel.Benchmarks/bin/Release/net10.0/CommunityFunnel.Benchmarks.dll" --duckdb-activation)

# seconds from GNU time's "h:mm:ss" or "m:ss.ss"
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"; }
rss_mb_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

# measure NAME CMD...: runs CMD with stdout to $work/NAME.out; appends its wall seconds to $work/NAME.walls and its
# peak RSS (MB) to $work/NAME.rss.
measure() {
  local name="$1"
  shift
  echo "timing $name..." >&2
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "scale.sh: '$name' failed:" >&2
    tail -n 20 "$work/$name.err" >&2
    exit 1
  fi
  wall_of "$work/$name.time" >>"$work/$name.walls"
  echo >>"$work/$name.walls"
  rss_mb_of "$work/$name.time" >>"$work/$name.rss"
  echo >>"$work/$name.rss"
}

# mb FILE: its size in MB, one decimal.
mb() { stat -c %s "$1" | awk '{ printf "%.1f", $1 / 1048576 }'; }

# wall NAME: the median of its runs' wall seconds (the lower middle one for an even count); rss NAME: the largest peak.
wall() { sort -n "$work/$1.walls" | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
rss() { sort -n "$work/$1.rss" | tail -n 1; }

# supports COMMAND OPTION: whether COMMAND's usage mentions OPTION.
supports() {
  local help
  help="$("${cli[@]}" "$1" --help 2>&1 || true)"
  [[ "$help" == *"$2"* ]]
}

source_note=""
if [[ -z "$events_file" ]]; then
  members="${SCALE_MEMBERS:-1000000}"
  if ! [[ "$members" =~ ^[1-9][0-9]*$ ]]; then
    echo "scale.sh: SCALE_MEMBERS must be a positive integer (was '$members')" >&2
    exit 2
  fi
  events_file="$work/events.jsonl"
  measure simulate "${cli[@]}" simulate --members "$members" --days 30 --seed 1 --out "$events_file"
  source_note="\`community-funnel simulate --members $members --days 30 --seed 1\` (written in $(wall simulate)s)"
  # The simulator's default start is 2026-11-01 in Asia/Shanghai: the day after the 30 days.
  as_of="${SCALE_AS_OF:-2026-12-01T00:00:00+08:00}"
else
  source_note="\`$(basename "$events_file")\`"
  if [[ -n "${SCALE_AS_OF:-}" ]]; then
    as_of="$SCALE_AS_OF"
  else
    tail -n 20000 "$events_file" | grep -o '"at":"[^"]*"' | cut -d'"' -f4 >"$work/tail-at" || true
    if [[ ! -s "$work/tail-at" ]]; then
      echo "scale.sh: no \"at\" in the last lines of '$events_file': set SCALE_AS_OF" >&2
      exit 2
    fi
    latest="$(date -u -f "$work/tail-at" +%s | sort -n | tail -n 1)"
    offset="$(tail -n 1 "$work/tail-at" | grep -o '[+-][0-9][0-9]:[0-9][0-9]$' || echo '+00:00')"
    sign=1
    [[ "${offset:0:1}" == "-" ]] && sign=-1
    offset_s=$((sign * (10#${offset:1:2} * 3600 + 10#${offset:4:2} * 60)))
    local_midnight=$(((latest + offset_s) / 86400 * 86400 + 86400))
    as_of="$(date -u -d "@$local_midnight" +%Y-%m-%dT00:00:00)$offset"
  fi
fi

lines="$(wc -l <"$events_file" | tr -d ' ')"
file_mb="$(($(stat -c %s "$events_file") / 1048576))"
cat "$events_file" >/dev/null # every run reads it from the page cache, the first one too

lifecycle_extra=()
if supports lifecycle --actions; then
  lifecycle_extra+=(--actions "$work/lifecycle-actions.jsonl")
fi
if supports lifecycle --members; then
  lifecycle_extra+=(--members "$work/lifecycle-members.jsonl")
fi
if supports lifecycle --temp-dir; then
  lifecycle_extra+=(--temp-dir "$work")
fi
rewards_extra=()
if supports rewards --temp-dir; then
  rewards_extra+=(--temp-dir "$work")
fi

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$(awk -v c="$(nproc)" '{ print ($1 > c / 2) ? 1 : 0 }' /proc/loadavg)" == 1 ]]; then
  echo "scale.sh: warning: load average $load_at_start on $(nproc) cores: the machine is busy, the figures will be noisy" >&2
fi
for ((round = 1; round <= runs; round++)); do
  measure activation "${cli[@]}" activation --events "$events_file" --as-of "$as_of"
  measure funnel "${cli[@]}" funnel --events "$events_file" --as-of "$as_of"
  measure rewards "${cli[@]}" rewards replay --events "$events_file" --rules docs/examples/rewards-rules.json --as-of "$as_of" "${rewards_extra[@]}"
  rm -f "$work/rewards.out"
  rm -f "$work/lifecycle-actions.jsonl" "$work/lifecycle-members.jsonl"
  measure lifecycle "${cli[@]}" lifecycle replay --events "$events_file" --policy docs/examples/lifecycle-policy.json --as-of "$as_of" "${lifecycle_extra[@]}"
  lifecycle_out_mb="$(mb "$work/lifecycle.out")"
  actions_note=""
  for f in actions members; do
    if [[ -f "$work/lifecycle-$f.jsonl" ]]; then
      actions_note+=", \`--$f\` $(mb "$work/lifecycle-$f.jsonl") MB"
    fi
  done
  rm -f "$work/lifecycle.out" "$work/lifecycle-actions.jsonl" "$work/lifecycle-members.jsonl"
  measure duckdb "${duck[@]}" "$events_file" "$as_of"
done
load_at_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# count NAME FILE: the first "NAME": N in FILE (the CLI's indented JSON or DuckDB's one line).
count() {
  awk -v k="\"$1\":" '{ i = index($0, k); if (i) { s = substr($0, i + length(k)); sub(/^ */, "", s); if (match(s, /^[0-9]+/)) { print substr(s, 1, RLENGTH); found = 1; exit } } } END { if (!found) print "?" }' "$2"
}
mismatch=""
for f in eligible activated pending excluded; do
  a="$(count "$f" "$work/activation.out")"
  d="$(count "$f" "$work/duckdb.out")"
  u="$(count "$f" "$work/funnel.out")"
  if [[ "$a" != "$d" || "$a" == "?" ]]; then
    mismatch+=" $f: activation $a, DuckDB $d;"
  fi
  if [[ "$a" != "$u" ]]; then
    mismatch+=" $f: activation $a, funnel total $u;"
  fi
done
counts="eligible $(count eligible "$work/activation.out"), activated $(count activated "$work/activation.out"), pending $(count pending "$work/activation.out"), excluded $(count excluded "$work/activation.out")"
duck_load="$(grep -o '"loadSeconds":[0-9.]*' "$work/duckdb.out" | cut -d: -f2)"
duck_query="$(grep -o '"querySeconds":[0-9.]*' "$work/duckdb.out" | cut -d: -f2)"
duck_wall="$(wall duckdb)"

cpu="$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
machine="$(uname -m), ${cpu:-unknown CPU}, $(nproc) cores, .NET SDK $(dotnet --version)"

row() { # row LABEL NAME
  awk -v label="$1" -v wall="$(wall "$2")" -v rss="$(rss "$2")" -v lines="$lines" -v duck="$duck_wall" '
    function group(n,   s) { s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
    BEGIN {
      rate = wall > 0 ? group(lines / wall) : "-"
      ratio = wall > 0 ? sprintf("%.2f×", duck / wall) : "-"
      printf "| %s | %.2f | %s | %s | %s |\n", label, wall, rate, group(rss), ratio
    }'
}

{
  echo "Machine: $machine. Run $(date -u +%Y-%m-%d), load average $load_at_start at the start, $load_at_end at the end."
  echo
  echo "Log: $source_note, $(awk -v n="$lines" 'BEGIN { s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }') lines, $file_mb MB; \`--as-of $as_of\`."
  echo
  echo "| path | wall s | events/s | peak RSS MB | vs DuckDB |"
  echo "|---|---:|---:|---:|---:|"
  row '`activation --events`' activation
  row '`funnel --events`' funnel
  row '`rewards replay` (docs/examples/rewards-rules.json)' rewards
  row '`lifecycle replay` (docs/examples/lifecycle-policy.json)' lifecycle
  row 'DuckDB `read_json` + dedupe by id + activation query (2 threads)' duckdb
  echo
  if [[ $runs -gt 1 ]]; then
    rounds_note="the median wall and the largest peak of $runs rounds, the paths in turn"
    duck_note="DuckDB inside its process, last round"
  else
    rounds_note="one run each"
    duck_note="DuckDB inside its process"
  fi
  echo "Each path is one process from the file in the page cache to its output (GNU \`time -v\`: wall clock and maximum"
  echo "resident set size; $rounds_note); events/s = lines in the file / wall. \"vs DuckDB\" = DuckDB's wall / the"
  echo "path's wall (above 1: faster than DuckDB); only \`activation\` computes what DuckDB computes, the other rows put"
  echo "the replays on the same scale. $duck_note: load (read_json + dedupe) ${duck_load}s, query on the loaded table ${duck_query}s."
  echo "Activation counts ($counts): $([[ -z "$mismatch" ]] && echo "the CLI's \`activation\`, \`funnel\` (total) and DuckDB agree" || echo "DIFFER:${mismatch%;}")."
  echo "\`lifecycle replay\` wrote $lifecycle_out_mb MB to stdout${actions_note:- (this CLI has neither \`--actions\` nor \`--members\`: everything on stdout)}."
} >"$work/table.md"

cat "$work/table.md"

if [[ -n "$mismatch" ]]; then
  echo "scale.sh: the activation counts differ:${mismatch%;}" >&2
  exit 1
fi

if [[ "$write_docs" == 1 ]]; then
  doc="$root/docs/benchmarks.md"
  if ! grep -q '^<!-- scale:begin -->$' "$doc" || ! grep -q '^<!-- scale:end -->$' "$doc"; then
    echo "scale.sh: docs/benchmarks.md has no <!-- scale:begin --> / <!-- scale:end --> markers" >&2
    exit 1
  fi
  awk -v table="$work/table.md" '
    /^<!-- scale:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /^<!-- scale:end -->$/ { skip = 0 }
    !skip { print }' "$doc" >"$work/benchmarks.md"
  cat "$work/benchmarks.md" >"$doc"
  echo "wrote the table into docs/benchmarks.md" >&2
fi

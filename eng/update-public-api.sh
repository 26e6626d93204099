#!/usr/bin/env bash
# Brings each shipped library's PublicAPI.Unshipped.txt in line with its code, from what the build reports:
# symbols reported as undeclared (RS0016) are added, declared symbols that no longer exist (RS0017) are removed.
# Review the diff: it is the change to the package's public API. Shipped.txt is never edited (once something is
# released, its removal is recorded with *REMOVED* in Unshipped, as the analyzer's docs say).
set -euo pipefail
cd "$(dirname "$0")/.."
for api in src/*/PublicAPI.Unshipped.txt; do
  project=$(ls "$(dirname "$api")"/*.csproj)
  echo "== $project"
  log=$(mktemp)
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= > "$log" 2>&1 || true
  # Only this project's own diagnostics (a build also reports those of the projects it references).
  grep -F "[$PWD/$project" "$log" > "$log.own" || true
  grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log.own" \
    | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u > "$log.added" || true
  grep -o "RS0017: Symbol '.*' is part of the declared API" "$log.own" \
    | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API$/\1/" | sort -u > "$log.removed" || true
  echo "   $(wc -l < "$log.added") added, $(wc -l < "$log.removed") removed"
  { head -n 1 "$api"; { tail -n +2 "$api" | grep -vxF -f "$log.removed"; cat "$log.added"; } | LC_ALL=C sort -u; } > "$log.new" || true
  mv "$log.new" "$api"
  rm -f "$log" "$log.own" "$log.added" "$log.removed"
done

#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt, for
# each shipped library under src/. Review the diff: it is the change to the package's public API.
# Symbols removed from the code (RS0017) are not handled here: delete their lines from PublicAPI.Unshipped.txt
# (or, once released, mark them *REMOVED* as the analyzer's docs say).
set -euo pipefail
cd "$(dirname "$0")/.."
for api in src/*/PublicAPI.Unshipped.txt; do
  project=$(ls "$(dirname "$api")"/*.csproj)
  echo "== $project"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info -v q || true
  # The analyzer's code fix does not keep the list sorted; sorted lists merge with fewer conflicts.
  { head -n 1 "$api"; tail -n +2 "$api" | LC_ALL=C sort -u; } > "$api.sorted" && mv "$api.sorted" "$api"
done

#!/usr/bin/env bash
# The admin portal in the browser (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder, seeds a pool of N users with Seed/, and times the users page and an email-prefix search
# in Debian's chromium driven by Playwright (Browser/). Prints one table; stops everything it started. See README.md.
#
#   Portal.Tests/bench/portal.sh [--users N] [--loads N] [--searches N] [--build-dir DIR]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --users|--loads|--searches) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench-browser
[ -x /usr/bin/chromium ] || { echo "Debian's chromium is needed (apt-get install chromium)" >&2; exit 1; }

say "build (Release) into $build"
(cd "$root" && dotnet build Portal.sln -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
(cd "$root" && dotnet build Portal.Tests/bench/Seed/Seed.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
(cd "$root" && dotnet build Portal.Tests/bench/Browser/Browser.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2

password='Admin-Passw0rd!'
# Development: a build (not a publish) serves the packages' static files (MudBlazor's CSS and JS) only then; nothing
# else in Portal depends on the environment.
start_portal ASPNETCORE_ENVIRONMENT=Development

say "measuring in chromium"
run_driver dotnet "$build/bin/Browser/release/Browser.dll" --endpoint "$endpoint" --data "$work/data" --seed-dll "$build/bin/Seed/release/Seed.dll" \
  --admin-password "$password" "${pass[@]}"

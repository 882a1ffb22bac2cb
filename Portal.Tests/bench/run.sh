#!/usr/bin/env bash
# Portal's benchmark (not a test): builds Portal once in Release, starts it on a free port with a throwaway SQLite
# folder, seeds a pool of N users, and measures ListUsers, AdminCreateUser, sign-in and the hosted UI with real AWS
# clients, side by side with cognito-local. Prints one table; stops everything it started. See README.md.
#
#   Portal.Tests/bench/run.sh [--users N] [--local-users N] [--requests N] [--ops N] [--seconds S] [--concurrency N]
#                             [--build-dir DIR]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --users|--local-users|--requests|--ops|--seconds|--concurrency) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench
# bench.mjs stops cognito-local itself; this is for an interrupted run.
bench_extra_cleanup() {
  if [ -f "$work/local/cognito-local.pid" ]; then kill "$(cat "$work/local/cognito-local.pid")" 2>/dev/null || true; fi
}

if [ ! -d "$bench/node_modules" ] || [ "$bench/package-lock.json" -nt "$bench/node_modules" ]; then
  say "npm ci (SDK v3, amazon-cognito-identity-js, cognito-local)"
  (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

say "build (Release) into $build"
(cd "$root" && dotnet build Portal.sln -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
(cd "$root" && dotnet build Portal.Tests/bench/Seed/Seed.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2

start_portal
local_port=$(free_port)
while [ "$local_port" = "${endpoint##*:}" ]; do local_port=$(free_port); done
mkdir -p "$work/local"

say "measuring (cognito-local on 127.0.0.1:$local_port)"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" PORTAL_DATA="$work/data" SEED_DLL="$build/bin/Seed/release/Seed.dll" \
  LOCAL_PORT="$local_port" LOCAL_DIR="$work/local" NODE_NO_WARNINGS=1 \
  node bench.mjs "${pass[@]}"

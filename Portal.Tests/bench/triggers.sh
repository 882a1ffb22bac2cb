#!/usr/bin/env bash
# The cost of a trigger on a sign-in (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder, and measures USER_PASSWORD_AUTH sign-ins without a trigger, with an inline JavaScript
# pre token generation trigger and with a webhook one (served by triggers.mjs itself). Prints one table.
#
#   Portal.Tests/bench/triggers.sh [--ops N] [--seconds S] [--concurrency N] [--build-dir DIR]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --ops|--seconds|--concurrency) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench-triggers

bench_npm_ci

bench_build_server

start_portal Portal__Triggers__AllowHttpWebhooks=true

say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" NODE_NO_WARNINGS=1 node triggers.mjs "${pass[@]}"

#!/usr/bin/env bash
# The cost of the gateway's JWT route (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder and a small Node backend (jwt-backend.mjs) behind a JwtApi route, then measures the same GET
# with a user-pool access token through Portal's JWT route and to the backend alone. Prints one table: requests/s
# (1 and N workers), client latency p50/p99, the latency the route adds, and Portal's CPU per authorized request.
#
#   Portal.Tests/bench/jwt.sh [--requests N] [--seconds S] [--concurrency N] [--warmup N] [--build-dir DIR] [--no-decision-log]
# --no-decision-log runs Portal with Portal:Gateway:DecisionLog:Enabled=false (decisions still counted on /metrics), to see
# what the log costs.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
decision_log=true
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --no-decision-log) decision_log=false; shift ;;
    --requests|--seconds|--concurrency|--warmup) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench-jwt
backend=""
bench_extra_cleanup() { if [ -n "$backend" ]; then kill "$backend" 2>/dev/null || true; wait "$backend" 2>/dev/null || true; fi; }

bench_npm_ci
bench_build_server

backend_port=$(free_port)
say "starting the backend on 127.0.0.1:$backend_port"
node "$bench/jwt-backend.mjs" "$backend_port" > "$work/backend.log" 2>&1 &
backend=$!
# The sign-in and the route's requests come from one address: the benchmark measures the server, not the quotas.
start_portal Portal__Gateway__DecisionLog__Enabled=$decision_log Portal__RateLimits__PerAddressPerSecond=1000000
[ "$backend_port" != "${endpoint##*:}" ] || { echo "the backend and Portal got the same port: run again" >&2; exit 1; }

say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" BACKEND_ENDPOINT="http://127.0.0.1:$backend_port" NODE_NO_WARNINGS=1 node jwt.mjs "${pass[@]}"

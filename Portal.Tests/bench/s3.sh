#!/usr/bin/env bash
# The cost of the gateway's S3 route (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder and an s3rver (from Portal.Tests/compat) behind an S3 route, then measures the same signed
# GetObject of a 1 KiB object with identity-pool credentials through Portal and with s3rver's own key directly.
# Prints one table: requests/s (1 and N workers), client latency p50/p99, the latency the route adds, and Portal's CPU
# per authorized request, beside a pass-through route's (Alb, allow, no decision log) to the same s3rver: the difference
# is the CPU authorizing adds (SigV4, session token, policies, re-signing, the decision).
#
#   Portal.Tests/bench/s3.sh [--requests N] [--seconds S] [--concurrency N] [--warmup N] [--build-dir DIR]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --requests|--seconds|--concurrency|--warmup) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench-s3
s3rver=""
bench_extra_cleanup() { if [ -n "$s3rver" ]; then kill "$s3rver" 2>/dev/null || true; wait "$s3rver" 2>/dev/null || true; fi; }

bench_npm_ci
script="$root/Portal.Tests/compat/node_modules/s3rver/bin/s3rver.js"
[ -f "$script" ] || { echo "s3rver is not installed: run npm ci in Portal.Tests/compat" >&2; exit 1; }

bench_build_server

s3port=$(free_port)
mkdir -p "$work/s3"
say "starting s3rver on 127.0.0.1:$s3port"
node "$script" --directory "$work/s3" --port "$s3port" --address 127.0.0.1 --silent --configure-bucket bench-storage --configure-bucket open > "$work/s3rver.log" 2>&1 &
s3rver=$!
start_portal Portal__Gateway__DecisionLog__Enabled=true

say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" S3RVER_ENDPOINT="http://127.0.0.1:$s3port" NODE_NO_WARNINGS=1 node s3.mjs "${pass[@]}"

#!/usr/bin/env bash
# Cognito Sync's benchmark (not a test): builds Portal once in Release, starts it on a free port with a throwaway SQLite
# folder, seeds the store with 1,000,000 datasets (SQL straight into portal.db, in seconds), then measures with 8
# concurrent devices, each signed with its own identity's credentials from Portal's STS: UpdateRecords with 1 patch and
# with 100 patches, and incremental ListRecords. Prints two tables: a closed loop (server CPU per call, throughput) and a
# paced run (each device at a stated rate, well under the throughput: p50/p95/p99). Stops what it started.
#
#   Portal.Tests/bench/sync.sh [--datasets N] [--calls N] [--warmup N] [--concurrency N] [--build-dir DIR [--no-build]]
#                              [--rate-one R] [--rate-hundred R] [--rate-pull R]   (paced calls/s per device)
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
skip_build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --no-build) skip_build=1; shift ;;
    --datasets|--calls|--warmup|--concurrency|--rate-one|--rate-hundred|--rate-pull) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-syncbench

if [ -z "$skip_build" ]; then bench_build_server; fi

# The benchmark measures the server, not Cognito's per-account quotas.
limits=(Portal__RateLimits__PerAddressPerSecond=1000000)
for c in GetCredentialsForIdentity GetOpenIdTokenForDeveloperIdentity; do limits+=("Portal__RateLimits__Categories__$c=1000000"); done
start_portal "${limits[@]}"

say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" PORTAL_DB="$work/data/portal.db" NODE_NO_WARNINGS=1 \
  node sync.mjs "${pass[@]}"

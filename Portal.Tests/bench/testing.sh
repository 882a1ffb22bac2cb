#!/usr/bin/env bash
# Testing mode's benchmark (not a timed test): the starter kit's sign-up / confirm / sign-in flow, 50 times, in chromium,
# against a Portal started here, in three modes: the full password hash; Portal:Testing:FastPasswordHashing; fast hashing
# with a seeded user and a minted session instead of the forms. Prints Portal's CPU per test (utime+stime from
# /proc/<pid>/stat before and after the 50 tests; the suite runs twice and the second run is the figure, the first,
# which pays the JIT's tiering, is printed beside it), the wall time of the 50, and Portal's idle CPU per
# second (10 s with nothing running, after the run; included in the per-test figure, not subtracted from it).
# (The figure stays utime+stime ticks rather than the sum of /proc/<pid>/task/*/schedstat: a thread-pool thread that
# retires during the run takes its schedstat time with it, so that sum can even go down; a tick of 10 ms over a 50-test
# run is 0.2 ms per test. testing-probe.sh reads both for its per-request figures.)
# The 50 tests are 50 tests of one suite (BENCH_TESTS), not one test `--repeat-each 50`: Playwright runs each repetition
# in its own worker, so every test would pay a new worker, a new chromium and a new clone of the template pool.
# Portal runs as the kit's webServer starts it (DOTNET_TieredPGO=0: see samples/playwright/playwright.config.ts;
# PORTAL_ENV="DOTNET_TieredPGO=1" measures the runtime's default).
# Measures a Release build, as CI runs Portal (a published build or `dotnet run -c Release`):
# `dotnet build Portal.Server -c Release` first, or PORTAL_DLL= another build. Needs the kit's node_modules
# (cd samples/playwright && npm ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${RUNS:-50}
dll=${PORTAL_DLL:-"$root/Portal.Server/bin/Release/net10.0/Portal.Server.dll"}
[ -f "$dll" ] || { echo "No build at $dll: run dotnet build Portal.Server -c Release (or set PORTAL_DLL)" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

bench() {   # name fast-hashing mode
  local name=$1 fast=$2 mode=$3 port data pid
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  data=$(mktemp -d)
  # reloadConfigOnChange off: the content root is the repository, and watching appsettings.json there puts an inotify
  # watch on each of its ~970 folders, so Playwright's test-results and any build would wake Portal (as the kit's config).
  ASPNETCORE_ENVIRONMENT=Development Urls="http://127.0.0.1:$port" Portal__PublicBaseUrl="http://127.0.0.1:$port" \
    Portal__Storage__DataFolder="$data" Portal__Testing__Enabled=true Portal__Testing__FastPasswordHashing="$fast" \
    Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' Portal__Api__AccessKeys__0__AccessKeyId=AKIAPLAYWRIGHTKIT001 \
    Portal__Api__AccessKeys__0__SecretAccessKey=playwright/starter/kit/secret/key/000000 \
    Portal__RateLimits__PerAddressPerSecond=1000000 Portal__RateLimits__CodesPerUser=1000 \
    Portal__RateLimits__Categories__UserAuthentication=1000000 Portal__RateLimits__Categories__UserCreation=1000000 \
    DOTNET_hostBuilder__reloadConfigOnChange=false DOTNET_TieredPGO=0 \
    env ${PORTAL_ENV:-} ${requests:+"Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information"} \
    dotnet "$dll" > "/tmp/portal-bench-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  run() { (cd samples/playwright && PORTAL_URL="http://127.0.0.1:$port" BENCH_MODE=$mode NODE_NO_WARNINGS=1 \
    BENCH_TESTS=$1 npx playwright test --config bench.config.ts >> "/tmp/portal-bench-$name.log" 2>&1); }
  run 3 || true   # warm-up: a first template pool and clone (a timeout here under load is not a figure)
  # The suite twice on the same Portal: the first run pays the JIT's tiering of every path it takes (methods are
  # recompiled optimised after 30 calls, in the background, on Portal's CPU); the second is the steady cost per test.
  local before after started ended idle cold_cpu cold_wall
  before=$(cpu $pid); started=$(date +%s.%N)
  run "$runs" || echo "$name: some runs failed (see /tmp/portal-bench-$name.log)"
  ended=$(date +%s.%N); after=$(cpu $pid)
  cold_cpu=$((after - before)); cold_wall=$(awk -v s="$started" -v e="$ended" 'BEGIN { print e - s }')
  before=$(cpu $pid); started=$(date +%s.%N); local logged; logged=$(wc -l < "/tmp/portal-bench-$name.log")
  run "$runs" || echo "$name: some runs failed (see /tmp/portal-bench-$name.log)"
  ended=$(date +%s.%N); after=$(cpu $pid)
  if [ -n "$requests" ]; then   # what Portal served during the measured run, per test
    tail -n +"$((logged + 1))" "/tmp/portal-bench-$name.log" | grep -o 'Request starting HTTP/[0-9.]* [A-Z]* [^ ]*' \
      | sed -E 's/^Request starting HTTP\/[0-9.]* //; s/\?.*//; s/us-east-1_[A-Za-z0-9]+/{pool}/g' | sort | uniq -c | sort -rn \
      | awk -v r="$runs" '{ printf "    %6.2f per test  %s %s\n", $1 / r, $2, $3 }'
  fi
  # Idle after the runs, warm: right after the warm-up the JIT's background recompilation would be counted as idle.
  sleep 10; idle=$(( ($(cpu $pid) - after) * 1000 / ticks / 10 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$data"
  awk -v n="$name" -v c=$((after - before)) -v cc="$cold_cpu" -v cw="$cold_wall" -v t="$ticks" -v r="$runs" -v s="$started" -v e="$ended" -v i="$idle" \
    'BEGIN { printf "%-34s %8.1f ms Portal CPU per test   %6.1f s wall for %d tests   (first run of the suite: %.1f ms, %.1f s; idle: %d ms CPU per s)\n",
             n, c * 1000 / t / r, e - s, r, cc * 1000 / t / r, cw, i }'
}

# MODES picks some of the three (full, fast, mint), in that order; default all.
modes=${MODES:-full,fast,mint}
# REQUESTS=1: Portal logs its requests (ASP.NET Core's hosting log at Information) and the script lists those of the
# measured run per test (the logging costs CPU: not a figure to quote). PORTAL_ENV="NAME=value ...": extra environment
# for Portal (runtime experiments such as DOTNET_gcServer=0).
requests=${REQUESTS:-}
echo "testing mode benchmark: $runs tests per mode, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
for mode in ${modes//,/ }; do
  case $mode in
    full) bench "full hash, forms" false ui ;;
    fast) bench "fast hashing, forms" true ui ;;
    mint) bench "fast hashing + seed and mint" true mint ;;
  esac
  echo "  (load average $(cut -d' ' -f1-3 /proc/loadavg) after it)"
done

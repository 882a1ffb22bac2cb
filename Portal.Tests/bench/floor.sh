#!/usr/bin/env bash
# The floor under issue #20's targets (not a test): the stack Portal is built on with nothing of Portal in it (Floor/:
# ASP.NET Core, Blazor Server with MudBlazor, EF Core on SQLite) and a password sign-in's fixed work written as directly as
# .NET allows (two commits, two RS256 signatures, no EF), beside Portal in the same run: idle resident memory of both
# published builds (Production, second start on an existing store, 5 s after ready, as speed.sh measures Portal), and
# server CPU per password sign-in with 8 concurrent clients (Portal's as hash + X, its hashes' CPU read from /metrics).
# Prints one table; stops everything it started. See README.md, "The floor".
#
#   Portal.Tests/bench/floor.sh [--seconds S] [--warmup S] [--rounds N] [--build-dir DIR [--no-build]]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
skip_build=""
seconds=10 warmup=15 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --no-build) skip_build=1; shift ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-floor
bench_npm_ci
floor=""
bench_extra_cleanup() { if [ -n "$floor" ]; then kill "$floor" 2>/dev/null || true; wait "$floor" 2>/dev/null || true; fi; }

if [ -z "$skip_build" ]; then
  say "publish Portal and the floor (Release) into $build"
  (cd "$root" && dotnet publish Portal.Server/Portal.Server.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build" -o "$build/publish") >&2
  (cd "$root" && dotnet publish Portal.Tests/bench/Floor/Floor.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build" -o "$build/floor") >&2
fi

export AWS_ACCESS_KEY_ID=AKIABENCHPORTAL00001 AWS_SECRET_ACCESS_KEY=bench/secret/key/for/portal/bench/000000
portal_endpoint="http://127.0.0.1:$(free_port)"
floor_endpoint="http://127.0.0.1:$(free_port)"
mkdir -p "$work/portal-data" "$work/floor-data"

# start NAME: the published build in Production on its port; sets $pid. Waits for /healthz (polled every 20 ms).
start() {
  if [ "$1" = portal ]; then
    (cd "$build/publish" && exec env ASPNETCORE_ENVIRONMENT=Production Urls="$portal_endpoint" Portal__PublicBaseUrl="$portal_endpoint" \
      Portal__Storage__DataFolder="$work/portal-data" Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' \
      Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
      Portal__RateLimits__Enabled=false dotnet Portal.Server.dll) >> "$work/portal.log" 2>&1 &
    pid=$!; portal=$pid; local ep=$portal_endpoint
  else
    (cd "$build/floor" && exec env ASPNETCORE_ENVIRONMENT=Production Urls="$floor_endpoint" DataFolder="$work/floor-data" \
      dotnet Floor.dll) >> "$work/floor.log" 2>&1 &
    pid=$!; floor=$pid; local ep=$floor_endpoint
  fi
  for _ in $(seq 1 1500); do curl -sf "$ep/healthz" >/dev/null 2>&1 && break; sleep 0.02; done
  curl -sf "$ep/healthz" >/dev/null || { echo "$1 did not start:" >&2; cat "$work/$1.log" >&2; exit 1; }
}

# idle NAME: started on a fresh store, stopped, started again on the store it made; sets $rss, VmRSS (KiB) 5 s after ready.
idle() {
  start "$1"; kill "$pid"; wait "$pid" 2>/dev/null || true
  start "$1"; sleep 5
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
}
say "idle memory"
idle floor; floor_rss=$rss
idle portal; portal_rss=$rss

say "password sign-ins, 8 at once: the floor, then Portal (${warmup} s warm-up, ${rounds} rounds of ${seconds} s each)"
cd "$bench"
results=$(CONCURRENCY=8 SECONDS=$seconds WARMUP=$warmup ROUNDS=$rounds PORTAL_ENDPOINT="$portal_endpoint" PORTAL_PID="$portal" \
  FLOOR_ENDPOINT="$floor_endpoint" FLOOR_PID="$floor" NODE_NO_WARNINGS=1 node floor.mjs)

say "the minted test's cryptography (40 RSA-2048 keys, 4,000 RS256 signatures, one at a time)"
crypto=$(curl -sf "$floor_endpoint/crypto?keys=40&signatures=4000")

echo "floor benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
python3 - "$floor_rss" "$portal_rss" <<PY
import json, sys
floor_rss, portal_rss = (int(v) for v in sys.argv[1:3])
rows = {r['name']: r for r in (json.loads(l) for l in """$results""".splitlines() if l.strip())}
f, p = rows['floor'], rows['Portal']
mb = lambda kib: kib * 1024 / 1e6
print(f"{'':46} {'floor':>14} {'Portal':>22}")
print(f"{'idle resident memory (target <= 150 MB)':46} {mb(floor_rss):11.0f} MB {mb(portal_rss):19.0f} MB")
print(f"{'password sign-in, server CPU (target hash + 1)':46} {f['outside']:11.2f} ms   hash {p['hash']:.2f} + {p['outside']:.2f} ms")
print(f"{'  rounds (outside the hash)':46} {' '.join(f'{v:.2f}' for v in f['rounds']):>14} {' '.join(f'{v:.2f}' for v in p['rounds']):>22}")
print(f"{'  sign-ins per second':46} {f['perSecond']:14.0f} {p['perSecond']:22.0f}")
c = json.loads("""$crypto""")
print(f"minted test (target <= 5 ms Portal CPU per test): the cloned pool's RSA-2048 key {c['keygenMs']:.0f} ms once per run "
      f"({c['keygenMs'] / 50:.2f} ms per test of 50), two RS256 signatures {2 * c['signMs']:.2f} ms per test: "
      f"{c['keygenMs'] / 50 + 2 * c['signMs']:.2f} ms before the seeded user's SRP verifier, any request or any commit")
PY

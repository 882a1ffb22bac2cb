#!/usr/bin/env bash
# Sign-in at the hardware's limit (issue #20; not a test): publishes Portal in Release, times its start to ready and
# its idle memory, then measures server CPU per operation and throughput with 8 concurrent clients side by side with
# moto's server (the machine's Python) and cognito-local, and runs the anchor load (Cognito's default per-pool quotas
# at once) against Portal. Prints one table; stops everything it started. See README.md.
#
#   Portal.Tests/bench/speed.sh [--ops N] [--seconds S] [--warmup N] [--warmup-seconds S] [--jit-quiet-max-seconds S] [--concurrency N] [--anchor-seconds S (0: none)] [--anchor-users N]
#                               [--auth-rate N] [--create-rate N] [--peers moto,cognito-local] [--build-dir DIR [--no-build]]
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
    --ops|--seconds|--warmup|--warmup-seconds|--jit-quiet-max-seconds|--concurrency|--anchor-seconds|--anchor-users|--auth-rate|--create-rate|--peers) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-speed
command -v moto_server >/dev/null || { echo "moto's server is needed (moto_server on PATH; pip install 'moto[server]')" >&2; exit 1; }
bench_npm_ci

if [ -z "$skip_build" ]; then
  say "publish (Release) into $build/publish"
  (cd "$root" && dotnet publish Portal.Server/Portal.Server.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build" -o "$build/publish") >&2
  (cd "$root" && dotnet build Portal.Tests/bench/Seed/Seed.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
fi

# start_published: the published build in Production on a free port; sets $endpoint, $portal and $ready_ms (spawn to
# the first answer of /healthz, polled every 20 ms).
export AWS_ACCESS_KEY_ID=AKIABENCHPORTAL00001 AWS_SECRET_ACCESS_KEY=bench/secret/key/for/portal/bench/000000
port=$(free_port)
endpoint="http://127.0.0.1:$port"
mkdir -p "$work/data"
start_published() {
  local t0
  t0=$(date +%s%N)
  (cd "$build/publish" && exec env ASPNETCORE_ENVIRONMENT=Production Urls="$endpoint" Portal__PublicBaseUrl="$endpoint" \
    Portal__Storage__DataFolder="$work/data" Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' \
    Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
    Portal__RateLimits__Enabled=false \
    dotnet Portal.Server.dll) >> "$work/portal.log" 2>&1 &
  portal=$!
  for _ in $(seq 1 1500); do curl -sf "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.02; done
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if ! curl -sf "$endpoint/healthz" >/dev/null; then echo "Portal did not start:" >&2; cat "$work/portal.log" >&2; exit 1; fi
}

say "starting the published build on $endpoint (fresh database), stopping it, starting it again"
start_published
fresh_ms=$ready_ms
kill "$portal"; wait "$portal" 2>/dev/null || true
start_published
warm_ms=$ready_ms
sleep 5   # idle: nothing but the start-up has run
idle_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$portal/status")
say "ready in ${fresh_ms} ms (fresh) and ${warm_ms} ms; ${idle_rss} KiB resident at idle"

say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" WORK_DIR="$work" SEED_DLL="$build/bin/Seed/release/Seed.dll" \
  PORTAL_START="{\"freshMs\":$fresh_ms,\"warmMs\":$warm_ms,\"idleRssKiB\":$idle_rss}" NODE_NO_WARNINGS=1 \
  node speed.mjs "${pass[@]}"

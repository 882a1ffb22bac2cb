#!/usr/bin/env bash
# Testing mode's per-request probe: starts a Release Portal as testing.sh does (fast hashing on) and runs
# testing-probe.mjs against it (the five requests of a minting test without chromium, each kind alone, idle CPU), all
# measured from /proc/PID/task/*/schedstat. ITERATIONS, WARMUP, IDLE_SECONDS, KINDS pass through; PORTAL_DLL another build.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
dll=${PORTAL_DLL:-"$root/Portal.Server/bin/Release/net10.0/Portal.Server.dll"}
[ -f "$dll" ] || { echo "No build at $dll: run dotnet build Portal.Server -c Release (or set PORTAL_DLL)" >&2; exit 1; }
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
data=$(mktemp -d)
log=${PROBE_LOG:-/tmp/portal-probe-$port.log}
ASPNETCORE_ENVIRONMENT=Development Urls="http://127.0.0.1:$port" Portal__PublicBaseUrl="http://127.0.0.1:$port" \
  Portal__Storage__DataFolder="$data" Portal__Testing__Enabled=true Portal__Testing__FastPasswordHashing=true \
  Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' Portal__Api__AccessKeys__0__AccessKeyId=AKIAPLAYWRIGHTKIT001 \
  Portal__Api__AccessKeys__0__SecretAccessKey=playwright/starter/kit/secret/key/000000 \
  Portal__RateLimits__PerAddressPerSecond=1000000 Portal__RateLimits__CodesPerUser=1000 \
  Portal__RateLimits__Categories__UserAuthentication=1000000 Portal__RateLimits__Categories__UserCreation=1000000 \
  DOTNET_hostBuilder__reloadConfigOnChange=false \
  dotnet "$dll" > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
echo "probe of $dll, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
PORTAL_URL="http://127.0.0.1:$port" PORTAL_PID=$pid NODE_NO_WARNINGS=1 node Portal.Tests/bench/testing-probe.mjs
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"

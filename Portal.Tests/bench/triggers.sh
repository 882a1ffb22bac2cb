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

work=$(mktemp -d /tmp/portal-bench-triggers.XXXXXX)
[ -n "$build" ] || build="$work/build"
portal=""
driver=""
cleanup() {
  if [ -n "$driver" ]; then kill "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; fi
  if [ -n "$portal" ]; then kill "$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

if [ ! -d "$bench/node_modules" ] || [ "$bench/package-lock.json" -nt "$bench/node_modules" ]; then
  say "npm ci (SDK v3)"
  (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

if [ ! -f "$build/bin/Portal.Server/release/Portal.Server.dll" ]; then
  say "build (Release) into $build"
  (cd "$root" && dotnet build Portal.Server/Portal.Server.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
fi

port=$(free_port)
mkdir -p "$work/data"
export AWS_ACCESS_KEY_ID=AKIABENCHPORTAL00001 AWS_SECRET_ACCESS_KEY=bench/secret/key/for/portal/bench/000000
endpoint="http://127.0.0.1:$port"

say "starting Portal on $endpoint (data in $work/data)"
(cd "$root" && Urls="$endpoint" Portal__PublicBaseUrl="$endpoint" Portal__Storage__DataFolder="$work/data" \
  Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' Portal__Triggers__AllowHttpWebhooks=true \
  Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
  exec dotnet "$build/bin/Portal.Server/release/Portal.Server.dll") > "$work/portal.log" 2>&1 &
portal=$!
for _ in $(seq 1 240); do curl -sf "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
if ! curl -sf "$endpoint/healthz" >/dev/null; then echo "Portal did not start:" >&2; cat "$work/portal.log" >&2; exit 1; fi

say "measuring"
cd "$bench"
PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" NODE_NO_WARNINGS=1 node triggers.mjs "${pass[@]}" &
driver=$!
wait "$driver"
driver=""

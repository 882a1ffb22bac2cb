#!/usr/bin/env bash
# The admin portal in the browser (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder, seeds a pool of N users with Seed/, and times the users page and an email-prefix search
# in Debian's chromium driven by Playwright (Browser/). Prints one table; stops everything it started. See README.md.
#
#   Portal.Tests/bench/portal.sh [--users N] [--loads N] [--searches N] [--build-dir DIR]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --users|--loads|--searches) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/portal-bench-browser.XXXXXX)
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
[ -x /usr/bin/chromium ] || { echo "Debian's chromium is needed (apt-get install chromium)" >&2; exit 1; }

say "build (Release) into $build"
(cd "$root" && dotnet build Portal.sln -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
(cd "$root" && dotnet build Portal.Tests/bench/Seed/Seed.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
(cd "$root" && dotnet build Portal.Tests/bench/Browser/Browser.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2

port=$(free_port)
mkdir -p "$work/data"
export AWS_ACCESS_KEY_ID=AKIABENCHPORTAL00001 AWS_SECRET_ACCESS_KEY=bench/secret/key/for/portal/bench/000000
endpoint="http://127.0.0.1:$port"
password='Admin-Passw0rd!'

say "starting Portal on $endpoint (data in $work/data)"
# Development: a build (not a publish) serves the packages' static files (MudBlazor's CSS and JS) only then; nothing
# else in Portal depends on the environment.
(cd "$root" && ASPNETCORE_ENVIRONMENT=Development Urls="$endpoint" Portal__PublicBaseUrl="$endpoint" Portal__Storage__DataFolder="$work/data" \
  Portal__Bootstrap__AdminPassword="$password" \
  Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
  exec dotnet "$build/bin/Portal.Server/release/Portal.Server.dll") > "$work/portal.log" 2>&1 &
portal=$!
for _ in $(seq 1 240); do curl -sf "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
if ! curl -sf "$endpoint/healthz" >/dev/null; then echo "Portal did not start:" >&2; cat "$work/portal.log" >&2; exit 1; fi

say "measuring in chromium"
dotnet "$build/bin/Browser/release/Browser.dll" --endpoint "$endpoint" --data "$work/data" --seed-dll "$build/bin/Seed/release/Seed.dll" \
  --admin-password "$password" "${pass[@]}" &
driver=$!
wait "$driver"   # in the background so that a signal to this script is handled at once
driver=""

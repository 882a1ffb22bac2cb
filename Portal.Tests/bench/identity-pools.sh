#!/usr/bin/env bash
# Identity pools' benchmark (not a test): builds Portal once in Release, starts it on a free port with a throwaway SQLite
# folder, seeds an identity pool with N identities, and measures GetId and GetCredentialsForIdentity (server CPU per
# call, and throughput with 8 concurrent clients) side by side with moto. Prints one table; stops everything it started.
#
#   Portal.Tests/bench/identity-pools.sh [--identities N] [--moto-identities N] [--requests N] [--warmup N] [--ops N] [--seconds S]
#                                        [--concurrency N] [--build-dir DIR [--no-build]]
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
    --identities|--moto-identities|--requests|--warmup|--ops|--seconds|--concurrency) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-idbench

python3 -c 'import moto.server' 2>/dev/null || { echo "moto is not installed for python3 (pip install 'moto[server]')" >&2; exit 1; }

if [ -z "$skip_build" ]; then
  say "build (Release) into $build"
  (cd "$root" && dotnet build Portal.sln -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
  (cd "$root" && dotnet build Portal.Tests/bench/Seed/Seed.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
fi

# Cognito's identity-pool quotas (GetId 25/s) are per account; the benchmark measures the server, not the quota.
limits=(Portal__RateLimits__PerAddressPerSecond=1000000)
for c in GetId GetCredentialsForIdentity GetOpenIdToken; do limits+=("Portal__RateLimits__Categories__$c=1000000"); done
start_portal "${limits[@]}"
moto_port=$(free_port)
while [ "$moto_port" = "${endpoint##*:}" ]; do moto_port=$(free_port); done

say "measuring (moto on 127.0.0.1:$moto_port)"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" PORTAL_DATA="$work/data" SEED_DLL="$build/bin/Seed/release/Seed.dll" \
  MOTO_PORT="$moto_port" NODE_NO_WARNINGS=1 \
  node identity-pools.mjs "${pass[@]}"

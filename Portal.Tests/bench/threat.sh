#!/usr/bin/env bash
# The CPU threat protection adds to a sign-in (not a test): builds Portal once in Release, starts it on a free port with a
# throwaway SQLite folder and the offline breached-password corpus alone (no Pwned Passwords range API: a network round
# trip is not CPU), then signs users in (USER_PASSWORD_AUTH, with UserContextData) in four pools, round-robin so load on
# the machine falls on all alike: threat protection OFF; events only (AUDIT, no risk configuration: the auth event is
# recorded, nothing is checked or scored); compromised credentials only (AUDIT, SIGN_IN, NO_ACTION); full adaptive
# (compromised credentials + AccountTakeoverRiskConfiguration NO_ACTION at every level + IP ranges). Prints Portal's CPU
# per sign-in in each (its CPU-time clock, in ns) and the differences to "off" and to "events only" (what the corpus
# check and risk scoring add beyond recording the event) with a 95% interval: by
# default rounds go on until that interval is within ±0.1 ms (--target), between --min-rounds and --max-rounds.
#
#   Portal.Tests/bench/threat.sh [--rounds N | --target MS --min-rounds N --max-rounds N] [--per-round N] [--warmup N]
#                                [--fast-hashing] [--build-dir DIR]
# --fast-hashing: testing mode's minimum-cost Argon2id in all three pools (the same in each), so the ~25 ms hash and its
# noise leave every figure and small differences resolve in far fewer rounds; the hash's cache misses leave it too.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)

build=""
pass=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --rounds|--per-round|--target|--min-rounds|--max-rounds|--warmup) pass+=("$1" "$2"); shift 2 ;;
    --fast-hashing) extra+=(Portal__Testing__Enabled=true Portal__Testing__AllowInProduction=true Portal__Testing__FastPasswordHashing=true); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$bench/lib.sh"
bench_setup portal-bench-threat
bench_npm_ci
bench_build_server
# One address signs in thousands of times: the benchmark measures the server, not the quotas.
start_portal Portal__ThreatProtection__PwnedPasswordsUrl= Portal__RateLimits__PerAddressPerSecond=1000000 \
  Portal__RateLimits__Categories__UserAuthentication=1000000 "${extra[@]}"
say "measuring"
cd "$bench"
run_driver env PORTAL_ENDPOINT="$endpoint" PORTAL_PID="$portal" NODE_NO_WARNINGS=1 node threat.mjs "${pass[@]}"

#!/usr/bin/env bash
# Runs every Portal test on a fresh machine: installs what is missing, builds once, runs the .NET suites
# (unit, component, wire, storage on SQLite and PostgreSQL, Playwright end-to-end) and the compat suites
# (AWS SDK v3 and v2, amazon-cognito-identity-js, Amplify in Node and in chromium, oidc-client-ts, aws-jwt-verify, AWS CLI v2)
# against a running Portal (HTTP, and HTTPS with its development certificate). Ends with "N passed, N failed".
# ./test.sh FILTER runs only the .NET tests that dotnet test's --filter FILTER selects (for instance
# "FullyQualifiedName~AlbRouteTests"), after the same build and format check; the compat suites and the starter kit
# are left out then. Without an argument everything runs (what CI runs).
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
filter=${1:-}
log() { printf '\n=== %s\n' "$*"; }

# --- what the tests need -------------------------------------------------------------------------
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/aws ] || need+=(awscli)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || { echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ ! -d Portal.Tests/compat/node_modules ] || [ Portal.Tests/compat/package-lock.json -nt Portal.Tests/compat/node_modules ]; then
  log "npm ci (compat clients)"
  (cd Portal.Tests/compat && npm ci --no-audit --no-fund --loglevel=error) || { echo "0 passed, 1 failed"; exit 1; }
fi

# --- build once ----------------------------------------------------------------------------------
log "build"
dotnet build Portal.sln -c Debug --nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# --- house style: the code is as `dotnet format` writes it (.editorconfig); one check -----------------------
# Whitespace as the formatter writes it. Code style (EnforceCodeStyleInBuild) and the analyzers, banned APIs included,
# already ran in the build, where every warning is an error; `dotnet format style` would load the whole solution again
# for the using order alone (minutes on two cores).
log "format (dotnet format whitespace --verify-no-changes)"
format_started=$SECONDS; format_ok=0
if dotnet format whitespace Portal.sln --verify-no-changes --no-restore -v q > /tmp/portal-format.log 2>&1; then
  echo "format: clean ($((SECONDS - format_started)) s)"; format_ok=1; add 1 0
else
  echo "format: these files are not as dotnet format writes them (fix with: dotnet format Portal.sln):"
  grep -oE '^[^(]+\.(cs|razor)' /tmp/portal-format.log | sed "s#^$root/##" | sort -u
  add 0 1
fi

# --- .NET suites -----------------------------------------------------------------------------------
log "dotnet test (per-test times in /tmp/portal-test-results/portal-dotnet.trx)"
dotnet test Portal.Tests --no-build --nologo ${filter:+--filter "$filter"} --logger "trx;LogFileName=portal-dotnet.trx" --results-directory /tmp/portal-test-results 2>&1 | tee /tmp/portal-dotnet-test.log
summary=$(grep -E "(Passed|Failed)!  -" /tmp/portal-dotnet-test.log | tail -1)
if [ -n "$summary" ]; then
  add "$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")" "$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")"
else
  echo "dotnet test printed no summary"; add 0 1
fi

# --- compat suites against a running Portal ----------------------------------------------------------
if [ -z "$filter" ]; then
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 5099)
  data=$(mktemp -d)
  export PORTAL_ENDPOINT="http://127.0.0.1:$port"
  # The same Portal also listens with HTTPS (its development certificate, from a local CA it makes in the data folder):
  # the browser suite reaches pool domains host-based at https://{domain}.localhost and verifies tokens over https.
  https_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 5098)
  [ "$https_port" = "$port" ] && https_port=$((port + 2))
  export PORTAL_HTTPS_ENDPOINT="https://localhost:$https_port"
  # The self-service compat tests start an SMTP server on this port and read Portal's mail from it.
  export PORTAL_SMTP_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 2525)
  [ "$PORTAL_SMTP_PORT" = "$port" ] && PORTAL_SMTP_PORT=$((port + 1))
  # Cognito Streams: Portal sends to a Kinesis-compatible server on this port; the streams suite starts kinesalite there.
  # kinesalite has no STS (and accepts any key), so this Portal signs with its keys (Portal:Sync:AssumeRoles=false); the
  # role assumption itself is tested in Portal.Tests/Sync/SyncRoleTests.cs against an STS test server.
  export PORTAL_KINESIS_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 4567)
  export AWS_ACCESS_KEY_ID=AKIATESTPORTAL000001 AWS_SECRET_ACCESS_KEY=test/secret/key/for/portal/tests/0000000
  log "starting Portal on $PORTAL_ENDPOINT for the compat suites"
  # The suites run faster than Cognito's per-pool quotas and the per-address limit allow from one address.
  limits=(Portal__RateLimits__PerAddressPerSecond=1000000 Portal__RateLimits__CodesPerUser=1000)
  for c in UserAuthentication UserCreation UserFederation UserAccountRecovery UserRead UserUpdate UserResourceUpdate UserList UserToken \
           UserPoolRead UserPoolUpdate UserPoolResourceRead UserPoolResourceUpdate ClientAuthentication \
           GetId GetOpenIdToken GetCredentialsForIdentity GetOpenIdTokenForDeveloperIdentity ListIdentities DeleteIdentities \
           IdentityPoolTagResource IdentityPoolUntagResource IdentityPoolListTagsForResource; do
    limits+=("Portal__RateLimits__Categories__$c=1000000")
  done
  # Testing mode (on in Development anyway, said here because the CLI suite needs it): the mailbox the CLI suite reads
  # emailed codes from (GET /_aws/ses), e.g. the forgot-password code in cli.d/threat.sh.
  env "${limits[@]}" Portal__Testing__Enabled=true \
  ASPNETCORE_ENVIRONMENT=Development Urls="http://localhost:$port;$PORTAL_HTTPS_ENDPOINT" Portal__PublicBaseUrl="$PORTAL_ENDPOINT" Portal__Outbound__AllowPrivateNetworks=true \
    Portal__Storage__DataFolder="$data" Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' \
    Portal__Smtp__Host=127.0.0.1 Portal__Smtp__Port="$PORTAL_SMTP_PORT" \
    Portal__Sync__Kinesis__Endpoint="http://127.0.0.1:$PORTAL_KINESIS_PORT" Portal__Sync__AssumeRoles=false \
    Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
    dotnet Portal.Server/bin/Debug/net10.0/Portal.Server.dll > /tmp/portal-compat-server.log 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 1 120); do curl -sf "$PORTAL_ENDPOINT/healthz" >/dev/null && break; sleep 0.5; done
  if ! curl -sf "$PORTAL_ENDPOINT/healthz" >/dev/null; then
    echo "Portal did not start:"; cat /tmp/portal-compat-server.log; add 0 1
  else
    # (HTTP on localhost: IPv4 and IPv6 loopback, so chromium reaches http://localhost:{port}, a secure context, for passkeys.)
    # The development CA Portal made on start: Node trusts it (NODE_EXTRA_CA_CERTS), the browser suite pins its server key.
    export PORTAL_DEV_CA="$data/dev-ca.crt" NODE_EXTRA_CA_CERTS="$data/dev-ca.crt"
    for _ in $(seq 1 20); do [ -f "$PORTAL_DEV_CA" ] && curl -sf --cacert "$PORTAL_DEV_CA" "$PORTAL_HTTPS_ENDPOINT/healthz" >/dev/null && break; sleep 0.5; done
    log "compat: AWS SDK v3 and v2, amazon-cognito-identity-js, Amplify (Node and chromium), oidc-client-ts, aws-jwt-verify (node --test)"
    (cd Portal.Tests/compat && npm test 2>&1) | tee /tmp/portal-compat-node.log
    p=$(grep -E '^# pass ' /tmp/portal-compat-node.log | tail -1 | awk '{print $3}'); f=$(grep -E '^# fail ' /tmp/portal-compat-node.log | tail -1 | awk '{print $3}')
    if [ -n "$p" ]; then add "$p" "${f:-0}"; else echo "node --test printed no summary"; add 0 1; fi

    log "compat: AWS CLI v2"
    bash Portal.Tests/compat/cli.sh 2>&1 | tee /tmp/portal-compat-cli.log
    line=$(grep -E '^cli: [0-9]+ passed, [0-9]+ failed' /tmp/portal-compat-cli.log | tail -1)
    if [ -n "$line" ]; then add "$(awk '{print $2}' <<<"$line")" "$(awk '{print $4}' <<<"$line")"; else echo "cli suite printed no summary"; add 0 1; fi
  fi

  # --- the Playwright starter kit (samples/playwright): its own Portal in testing mode (webServer), Debian's chromium ---------
  log "starter kit: samples/playwright (npx playwright test)"
  if [ ! -d samples/playwright/node_modules ] || [ samples/playwright/package-lock.json -nt samples/playwright/node_modules ]; then
    (cd samples/playwright && npm ci --no-audit --no-fund --loglevel=error) || add 0 1
  fi
  (cd samples/playwright && env -u PORTAL_ENDPOINT -u PORTAL_URL NODE_NO_WARNINGS=1 CI=1 npx playwright test --reporter=list 2>&1) | tee /tmp/portal-starter-kit.log
  p=$(grep -E '^\s+[0-9]+ passed' /tmp/portal-starter-kit.log | tail -1 | awk '{print $1}')
  f=$(grep -E '^\s+[0-9]+ (failed|flaky)' /tmp/portal-starter-kit.log | awk '{s+=$1} END {print s+0}')
  if [ -n "$p" ] || [ "${f:-0}" -gt 0 ]; then add "${p:-0}" "${f:-0}"; else echo "the starter kit printed no summary"; add 0 1; fi
else
  log "compat suites and starter kit left out (a filter was given: $filter)"
fi

if [ "$failed" -gt 0 ]; then
  # The names of what failed, last, so that a CI log cut to its tail still says which tests they were.
  log "failed tests"
  grep -A6 -E '^\s+Failed [A-Za-z]' /tmp/portal-dotnet-test.log 2>/dev/null | cut -c1-300
  if [ -z "$filter" ]; then
    grep -h -E '^\s*not ok ' /tmp/portal-compat-node.log /tmp/portal-compat-cli.log 2>/dev/null
    grep -E '^\s+✘' /tmp/portal-starter-kit.log 2>/dev/null
  fi
  [ "$format_ok" = 1 ] || echo "dotnet format --verify-no-changes (see /tmp/portal-format.log)"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The AWS CLI v2 (Debian's /usr/bin/aws) against a running Portal: the core path of the Cognito API.
# Needs PORTAL_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Ends with "cli: N passed, N failed".
set -u
AWS=${AWS_CLI:-/usr/bin/aws}
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
# Debian's CLI (2.9) predates Cognito's newer operations (client secrets, terms, managed login branding, passkeys):
# the CLI reads service models from AWS_DATA_PATH first, and aws-models/ holds AWS's published cognito-idp model, the
# same way `aws configure add-model` teaches an installed CLI a newer API.
export AWS_DATA_PATH="$(cd "$(dirname "$0")" && pwd)/aws-models${AWS_DATA_PATH:+:$AWS_DATA_PATH}"
passed=0; failed=0
cli() { "$AWS" cognito-idp --endpoint-url "$PORTAL_ENDPOINT" --output json "$@"; }
check() { # check NAME 'SHELL TEXT': passes when it succeeds (it may use cli and pipes)
  local name=$1; shift
  if out=$(eval "$1" 2>&1); then passed=$((passed+1)); echo "ok - $name"; else failed=$((failed+1)); echo "not ok - $name"; echo "$out" | sed 's/^/#   /'; fi
}
expect_error() { # expect_error NAME ERROR COMMAND...: passes when the command fails with ERROR
  local name=$1 error=$2; shift 2
  if out=$("$@" 2>&1); then failed=$((failed+1)); echo "not ok - $name (succeeded)"; 
  elif grep -q "$error" <<<"$out"; then passed=$((passed+1)); echo "ok - $name";
  else failed=$((failed+1)); echo "not ok - $name"; echo "$out" | sed 's/^/#   /'; fi
}

check "list-user-pools shows the demo pool" 'cli list-user-pools --max-results 10 | grep -q "\"Name\": \"demo\""' 
expect_error "describe-user-pool of an unknown pool" ResourceNotFoundException cli describe-user-pool --user-pool-id us-east-1_Nonexist0

for f in "$(dirname "$0")"/cli.d/*.sh; do [ -e "$f" ] && source "$f"; done

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

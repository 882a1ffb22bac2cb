# Identity pools with the AWS CLI v2 (sourced by cli.sh): create-identity-pool, an IAM role with Cognito's trust policy,
# set-identity-pool-roles, get-id and get-credentials-for-identity as a guest, then sts get-caller-identity run with the
# returned credentials; a guest refused by a role that trusts only authenticated identities.
ids_cli() { "$AWS" cognito-identity --endpoint-url "$PORTAL_ENDPOINT" --output text "$@"; }
ids_suffix=$(date +%s%N | tail -c 9)
ids_pool=$(ids_cli create-identity-pool --identity-pool-name "cli_ids_$ids_suffix" --allow-unauthenticated-identities --query IdentityPoolId 2>&1)
ids_trust() { printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"%s"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"%s"}}}]}' "$ids_pool" "$1"; }
ids_guest_role=$("$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" create-role --role-name "cli-guest-$ids_suffix" --assume-role-policy-document "$(ids_trust unauthenticated)" --query Role.Arn --output text 2>&1)
ids_auth_role=$("$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" create-role --role-name "cli-auth-$ids_suffix" --assume-role-policy-document "$(ids_trust authenticated)" --query Role.Arn --output text 2>&1)

check "describe-identity-pool answers the created pool" \
  'ids_cli describe-identity-pool --identity-pool-id "$ids_pool" --query IdentityPoolName | grep -q "cli_ids_$ids_suffix"'
check "a guest's credentials sign sts get-caller-identity as the unauthenticated role" \
  'ids_cli set-identity-pool-roles --identity-pool-id "$ids_pool" --roles unauthenticated="$ids_guest_role" &&
   id=$(ids_cli get-id --identity-pool-id "$ids_pool" --query IdentityId) &&
   read -r key secret token <<<"$(ids_cli get-credentials-for-identity --identity-id "$id" --query "[Credentials.AccessKeyId, Credentials.SecretKey, Credentials.SessionToken]")" &&
   AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token "$AWS" sts --endpoint-url "$PORTAL_ENDPOINT" get-caller-identity --query Arn --output text |
   grep -q "assumed-role/cli-guest-$ids_suffix/CognitoIdentityCredentials"'
ids_cli set-identity-pool-roles --identity-pool-id "$ids_pool" --roles unauthenticated="$ids_auth_role" >/dev/null 2>&1
ids_guest=$(ids_cli get-id --identity-pool-id "$ids_pool" --query IdentityId 2>&1)
expect_error "a role that trusts only authenticated identities is refused to a guest" InvalidIdentityPoolConfigurationException \
  ids_cli get-credentials-for-identity --identity-id "$ids_guest"

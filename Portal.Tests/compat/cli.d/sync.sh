# Cognito Sync with the AWS CLI v2 (sourced by cli.sh): a guest identity's own credentials run list-records,
# update-records (with the session token list-records gave), list-datasets and describe-dataset on its dataset; a stale
# sync count is ResourceConflictException; another identity is refused on it (NotAuthorizedException); the developer
# credentials read the pool's usage and set and get its configuration.
sync_ids() { "$AWS" cognito-identity --endpoint-url "$PORTAL_ENDPOINT" --output text "$@"; }
sync_cli() { "$AWS" cognito-sync --endpoint-url "$PORTAL_ENDPOINT" --output text "$@"; }
sync_suffix=$(date +%s%N | tail -c 9)
sync_pool=$(sync_ids create-identity-pool --identity-pool-name "cli_sync_$sync_suffix" --allow-unauthenticated-identities --query IdentityPoolId 2>&1)
sync_trust=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"%s"}}}]}' "$sync_pool")
sync_role=$("$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" create-role --role-name "cli-sync-$sync_suffix" --assume-role-policy-document "$sync_trust" --query Role.Arn --output text 2>&1)
"$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" put-role-policy --role-name "cli-sync-$sync_suffix" --policy-name sync --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-sync:*","Resource":"arn:aws:cognito-sync:us-east-1:000000000000:identitypool/${cognito-identity.amazonaws.com:aud}/identity/${cognito-identity.amazonaws.com:sub}/*"}]}' >/dev/null 2>&1
sync_ids set-identity-pool-roles --identity-pool-id "$sync_pool" --roles unauthenticated="$sync_role" >/dev/null 2>&1
# A guest identity and its credentials, as environment assignments for one command.
sync_device() {
  local id key secret token
  id=$(sync_ids get-id --identity-pool-id "$sync_pool" --query IdentityId)
  read -r key secret token <<<"$(sync_ids get-credentials-for-identity --identity-id "$id" --query "[Credentials.AccessKeyId, Credentials.SecretKey, Credentials.SessionToken]")"
  echo "$id $key $secret $token"
}
read -r sync_id sync_key sync_secret sync_token <<<"$(sync_device 2>&1)"
read -r sync_other_id sync_other_key sync_other_secret sync_other_token <<<"$(sync_device 2>&1)"
as_device() { AWS_ACCESS_KEY_ID=$sync_key AWS_SECRET_ACCESS_KEY=$sync_secret AWS_SESSION_TOKEN=$sync_token "$@"; }
as_other() { AWS_ACCESS_KEY_ID=$sync_other_key AWS_SECRET_ACCESS_KEY=$sync_other_secret AWS_SESSION_TOKEN=$sync_other_token "$@"; }
sync_at=(--identity-pool-id "$sync_pool" --identity-id "$sync_id" --dataset-name prefs)

check "an identity writes records with update-records and reads them with list-records" \
  'session=$(as_device sync_cli list-records "${sync_at[@]}" --query SyncSessionToken) &&
   as_device sync_cli update-records "${sync_at[@]}" --sync-session-token "$session" \
     --record-patches Op=replace,Key=color,Value=red,SyncCount=0 Op=replace,Key=size,Value=L,SyncCount=0 >/dev/null &&
   as_device sync_cli list-records "${sync_at[@]}" --output json | grep -q "\"Value\": \"red\"" &&
   as_device sync_cli list-records "${sync_at[@]}" --last-sync-count 1 --query Count | grep -qx 0'
check "list-datasets and describe-dataset answer the dataset" \
  'as_device sync_cli list-datasets --identity-pool-id "$sync_pool" --identity-id "$sync_id" --query "Datasets[].DatasetName" | grep -qx prefs &&
   as_device sync_cli describe-dataset "${sync_at[@]}" --query Dataset.NumRecords | grep -qx 2'
sync_session=$(as_device sync_cli list-records "${sync_at[@]}" --query SyncSessionToken 2>&1)
expect_error "a stale sync count is ResourceConflictException" ResourceConflictException \
  as_device sync_cli update-records "${sync_at[@]}" --sync-session-token "$sync_session" --record-patches Op=replace,Key=color,Value=blue,SyncCount=0
expect_error "another identity is refused on the dataset" NotAuthorizedException \
  as_other sync_cli list-records "${sync_at[@]}"
expect_error "an identity's credentials are refused on pool-level calls" NotAuthorizedException \
  as_device sync_cli describe-identity-pool-usage --identity-pool-id "$sync_pool"
check "developer credentials read the pool's usage and store its configuration" \
  'sync_cli describe-identity-pool-usage --identity-pool-id "$sync_pool" --query IdentityPoolUsage.SyncSessionsCount | grep -qx 1 &&
   sync_cli set-identity-pool-configuration --identity-pool-id "$sync_pool" --cognito-streams StreamName=cli-stream,RoleArn=arn:aws:iam::000000000000:role/streams,StreamingStatus=DISABLED >/dev/null &&
   sync_cli get-identity-pool-configuration --identity-pool-id "$sync_pool" --query CognitoStreams.StreamName | grep -qx cli-stream'

# The gateway's S3 route with the AWS CLI v2 (sourced by cli.sh): an s3rver started here, the route to it configured
# through Portal's admin API (PortalAdmin.PutGatewayRoute, signed by curl), an identity pool whose guest role may write
# only under private/${cognito-identity.amazonaws.com:sub}/ and read public/; then `aws s3 cp` and `aws s3 ls`
# --endpoint-url Portal with the identity's credentials: its own prefix works, another identity's is AccessDenied.
s3_dir=$(mktemp -d)
s3_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
s3_bucket=cli-storage
node "$(dirname "${BASH_SOURCE[0]}")/../node_modules/s3rver/bin/s3rver.js" --directory "$s3_dir" --port "$s3_port" --address 127.0.0.1 --silent \
  --configure-bucket "$s3_bucket" >/dev/null 2>&1 &
s3_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && break; sleep 0.1; done
s3_admin() { # s3_admin OPERATION JSON: a PortalAdmin operation, signed with the admin key
  curl -sS --fail-with-body --aws-sigv4 "aws:amz:us-east-1:cognito-idp" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: PortalAdmin.$1" --data "$2" "$PORTAL_ENDPOINT/"
}
check "the S3 route is configured through the admin API" \
  's3_admin PutGatewayRoute "{\"Route\":{\"Id\":\"compat-s3\",\"Kind\":\"S3\",\"Backend\":\"http://127.0.0.1:$s3_port\",\"Settings\":{\"BackendAccessKeyId\":\"S3RVER\",\"BackendSecretAccessKey\":\"S3RVER\",\"AllowAdminKeys\":\"true\",\"PolicyCacheSeconds\":\"0\"}}}" | grep -q "\"Id\":\"compat-s3\""'

s3_ids() { "$AWS" cognito-identity --endpoint-url "$PORTAL_ENDPOINT" --output text "$@"; }
s3_suffix=$(date +%s%N | tail -c 9)
s3_pool=$(s3_ids create-identity-pool --identity-pool-name "cli_s3_$s3_suffix" --allow-unauthenticated-identities --query IdentityPoolId 2>&1)
s3_trust=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"%s"}}}]}' "$s3_pool")
s3_policy=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::%s/private/${cognito-identity.amazonaws.com:sub}/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/public/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::%s","Condition":{"StringLike":{"s3:prefix":["private/${cognito-identity.amazonaws.com:sub}/*","public/*"]}}}]}' "$s3_bucket" "$s3_bucket" "$s3_bucket")
s3_role=$("$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" create-role --role-name "cli-s3-$s3_suffix" --assume-role-policy-document "$s3_trust" --query Role.Arn --output text 2>&1)
"$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" put-role-policy --role-name "cli-s3-$s3_suffix" --policy-name storage --policy-document "$s3_policy" >/dev/null 2>&1
s3_ids set-identity-pool-roles --identity-pool-id "$s3_pool" --roles unauthenticated="$s3_role" >/dev/null 2>&1
s3_id=$(s3_ids get-id --identity-pool-id "$s3_pool" --query IdentityId 2>&1)
read -r s3_key s3_secret s3_token <<<"$(s3_ids get-credentials-for-identity --identity-id "$s3_id" --query "[Credentials.AccessKeyId, Credentials.SecretKey, Credentials.SessionToken]" 2>&1)"
s3_as_identity() { AWS_ACCESS_KEY_ID=$s3_key AWS_SECRET_ACCESS_KEY=$s3_secret AWS_SESSION_TOKEN=$s3_token "$AWS" s3 --endpoint-url "$PORTAL_ENDPOINT" "$@"; }
s3_file=$(mktemp); echo "uploaded by the aws cli" >"$s3_file"

check "aws s3 cp uploads under the identity's own private/ prefix" 's3_as_identity cp "$s3_file" "s3://$s3_bucket/private/$s3_id/note.txt"'
check "aws s3 ls lists it" 's3_as_identity ls "s3://$s3_bucket/private/$s3_id/" | grep -q "note.txt"'
check "aws s3 cp downloads it unchanged" 's3_as_identity cp "s3://$s3_bucket/private/$s3_id/note.txt" - | grep -q "uploaded by the aws cli"'
expect_error "another identity's private/ prefix is AccessDenied" AccessDenied s3_as_identity cp "$s3_file" "s3://$s3_bucket/private/us-east-1:00000000-0000-0000-0000-000000000000/note.txt"
expect_error "listing outside the allowed prefixes is AccessDenied" AccessDenied s3_as_identity ls "s3://$s3_bucket/private/"
check "the operator's admin key has full access when the route allows it" \
  '"$AWS" s3 --endpoint-url "$PORTAL_ENDPOINT" ls "s3://$s3_bucket/" --recursive | grep -q "private/$s3_id/note.txt"'

s3_admin DeleteGatewayRoute '{"Id":"compat-s3"}' >/dev/null 2>&1
kill "$s3_pid" 2>/dev/null; wait "$s3_pid" 2>/dev/null
rm -rf "$s3_dir" "$s3_file"

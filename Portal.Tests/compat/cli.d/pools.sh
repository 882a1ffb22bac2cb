# User pools, app clients, domains, tags and resource servers with the AWS CLI v2 (sourced by cli.sh).
pools_suffix=$(date +%s%N | tail -c 9)
pools_name="cli-pool-$pools_suffix"
pools_domain="cli-login-$pools_suffix"
pools_tab=$'\t'

pools_id=$(cli create-user-pool --pool-name "$pools_name" --user-pool-tags stage=cli --query UserPool.Id --output text 2>&1)
check "create-user-pool answers an AWS-shaped pool id" '[[ "$pools_id" =~ ^us-east-1_[0-9A-Za-z]{9}$ ]] || { echo "$pools_id"; false; }'
pools_arn="arn:aws:cognito-idp:us-east-1:000000000000:userpool/$pools_id"

check "describe-user-pool shows the name, ARN and tags" \
  '[ "$(cli describe-user-pool --user-pool-id "$pools_id" --query "[UserPool.Name, UserPool.Arn, UserPool.UserPoolTags.stage]" --output text)" = "$pools_name${pools_tab}$pools_arn${pools_tab}cli" ]'
expect_error "create-user-pool with alias and username attributes" InvalidParameterException \
  cli create-user-pool --pool-name "$pools_name-bad" --alias-attributes email --username-attributes email

pools_client=$(cli create-user-pool-client --user-pool-id "$pools_id" --client-name web --generate-secret --query UserPoolClient.ClientId --output text 2>&1)
check "create-user-pool-client answers a 26-character client id" '[[ "$pools_client" =~ ^[a-z0-9]{26}$ ]] || { echo "$pools_client"; false; }'
check "describe-user-pool-client shows the secret and LEGACY existence errors (the API default, as in Cognito)" \
  '[[ "$(cli describe-user-pool-client --user-pool-id "$pools_id" --client-id "$pools_client" --query "[UserPoolClient.PreventUserExistenceErrors, UserPoolClient.ClientSecret]" --output text)" =~ ^LEGACY[[:space:]][a-z0-9]{51}$ ]]'
expect_error "create-user-pool-client with an http callback URL" InvalidParameterException \
  cli create-user-pool-client --user-pool-id "$pools_id" --client-name bad --callback-urls http://example.com/cb
expect_error "create-user-pool-client with an unknown scope" ScopeDoesNotExistException \
  cli create-user-pool-client --user-pool-id "$pools_id" --client-name bad --allowed-o-auth-flows-user-pool-client \
  --allowed-o-auth-flows code --allowed-o-auth-scopes nope/read --callback-urls https://example.com/cb
cli create-user-pool-client --user-pool-id "$pools_id" --client-name mobile >/dev/null 2>&1
check "list-user-pool-clients lists the pool's clients" \
  '[ "$(cli list-user-pool-clients --user-pool-id "$pools_id" --max-results 10 --query "length(UserPoolClients)" --output text)" = "2" ]'
check "list-user-pool-clients pages with --max-items" \
  'cli list-user-pool-clients --user-pool-id "$pools_id" --max-items 1 | grep -q "\"NextToken\""'

check "create-user-pool-domain" 'cli create-user-pool-domain --user-pool-id "$pools_id" --domain "$pools_domain" >/dev/null'
check "describe-user-pool-domain shows the pool and ACTIVE" \
  '[ "$(cli describe-user-pool-domain --domain "$pools_domain" --query "[DomainDescription.UserPoolId, DomainDescription.Status]" --output text)" = "$pools_id${pools_tab}ACTIVE" ]'
check "describe-user-pool-domain of an unknown domain is empty" \
  '[ "$(cli describe-user-pool-domain --domain "nobody-$pools_suffix" --query "DomainDescription.Domain" --output text)" = "None" ]'
expect_error "create-user-pool-domain with a taken domain" InvalidParameterException \
  cli create-user-pool-domain --user-pool-id "$pools_id" --domain "$pools_domain"

check "tag-resource then list-tags-for-resource" \
  'cli tag-resource --resource-arn "$pools_arn" --tags team=identity && [ "$(cli list-tags-for-resource --resource-arn "$pools_arn" --query "[Tags.stage, Tags.team]" --output text)" = "cli${pools_tab}identity" ]'
expect_error "list-tags-for-resource of an unknown pool" ResourceNotFoundException \
  cli list-tags-for-resource --resource-arn "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Missing00"

check "create-resource-server with scopes" \
  '[ "$(cli create-resource-server --user-pool-id "$pools_id" --identifier https://api.example.com --name api --scopes ScopeName=read,ScopeDescription=Read --query "ResourceServer.Scopes[0].ScopeName" --output text)" = "read" ]'
check "a client may then allow the custom scope" \
  'cli create-user-pool-client --user-pool-id "$pools_id" --client-name m2m --generate-secret --allowed-o-auth-flows-user-pool-client --allowed-o-auth-flows client_credentials --allowed-o-auth-scopes https://api.example.com/read >/dev/null'
expect_error "create-resource-server twice" InvalidParameterException \
  cli create-resource-server --user-pool-id "$pools_id" --identifier https://api.example.com --name again

check "delete-user-pool-client" \
  'cli delete-user-pool-client --user-pool-id "$pools_id" --client-id "$pools_client" && ! cli describe-user-pool-client --user-pool-id "$pools_id" --client-id "$pools_client" >/dev/null 2>&1'
expect_error "delete-user-pool-client again" ResourceNotFoundException cli delete-user-pool-client --user-pool-id "$pools_id" --client-id "$pools_client"

check "update-user-pool turns deletion protection on" \
  'cli update-user-pool --user-pool-id "$pools_id" --deletion-protection ACTIVE && [ "$(cli describe-user-pool --user-pool-id "$pools_id" --query UserPool.DeletionProtection --output text)" = "ACTIVE" ]'
expect_error "delete-user-pool under deletion protection" InvalidParameterException cli delete-user-pool --user-pool-id "$pools_id"
check "delete-user-pool once protection is off" \
  'cli update-user-pool --user-pool-id "$pools_id" --deletion-protection INACTIVE && cli delete-user-pool --user-pool-id "$pools_id"'
expect_error "describe-user-pool after delete-user-pool" ResourceNotFoundException cli describe-user-pool --user-pool-id "$pools_id"
check "the deleted pool's domain is free again" \
  '[ "$(cli describe-user-pool-domain --domain "$pools_domain" --query "DomainDescription.Domain" --output text)" = "None" ]'

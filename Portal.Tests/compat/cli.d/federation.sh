# Identity providers with the AWS CLI v2 (sourced by cli.sh): create/describe/update/list/get-by-identifier/delete,
# Cognito's computed Google endpoints, and its refusals (missing details, duplicate provider, unknown provider on a client).
fed_suffix=$(date +%s%N | tail -c 9)
fed_pool=$(cli create-user-pool --pool-name "cli-fed-$fed_suffix" --query UserPool.Id --output text 2>&1)
fed_oidc='client_id=corp-client,client_secret=corp-secret,attributes_request_method=GET,oidc_issuer=https://idp.example.com,authorize_scopes=openid email,authorize_url=https://idp.example.com/authorize,token_url=https://idp.example.com/token,attributes_url=https://idp.example.com/userinfo,jwks_uri=https://idp.example.com/jwks'

check "create-identity-provider Google answers with Cognito's computed endpoints" \
  'cli create-identity-provider --user-pool-id "$fed_pool" --provider-name Google --provider-type Google \
     --provider-details client_id=google-client,client_secret=google-secret,authorize_scopes=openid \
     --attribute-mapping email=email --query "IdentityProvider.ProviderDetails.authorize_url" --output text | grep -q "^https://accounts.google.com/o/oauth2/v2/auth$"'
check "create-identity-provider OIDC with idp identifiers" \
  'cli create-identity-provider --user-pool-id "$fed_pool" --provider-name Corp --provider-type OIDC --provider-details "$fed_oidc" \
     --attribute-mapping email=email,username=sub --idp-identifiers corp.example >/dev/null'
check "describe-identity-provider shows the attribute mapping" \
  '[ "$(cli describe-identity-provider --user-pool-id "$fed_pool" --provider-name Corp --query IdentityProvider.AttributeMapping.email --output text)" = email ]'
check "get-identity-provider-by-identifier finds the provider" \
  '[ "$(cli get-identity-provider-by-identifier --user-pool-id "$fed_pool" --idp-identifier corp.example --query IdentityProvider.ProviderName --output text)" = Corp ]'
check "update-identity-provider merges the details" \
  '[ "$(cli update-identity-provider --user-pool-id "$fed_pool" --provider-name Corp --provider-details client_id=new-client \
       --query "IdentityProvider.ProviderDetails.[client_id,client_secret]" --output text)" = "new-client	corp-secret" ]'
check "list-identity-providers lists both" \
  '[ "$(cli list-identity-providers --user-pool-id "$fed_pool" --max-results 10 --query "Providers[].ProviderName" --output text)" = "Corp	Google" ]'
check "an app client may offer the providers" \
  'cli create-user-pool-client --user-pool-id "$fed_pool" --client-name web --supported-identity-providers COGNITO Google Corp \
     --callback-urls https://app.example/cb --allowed-o-auth-flows code --allowed-o-auth-scopes openid --allowed-o-auth-flows-user-pool-client >/dev/null'
expect_error "create-identity-provider without client_secret" InvalidParameterException \
  cli create-identity-provider --user-pool-id "$fed_pool" --provider-name Facebook --provider-type Facebook --provider-details client_id=x,authorize_scopes=email
expect_error "create-identity-provider twice" DuplicateProviderException \
  cli create-identity-provider --user-pool-id "$fed_pool" --provider-name Corp --provider-type OIDC --provider-details "$fed_oidc"
expect_error "an app client naming an unknown provider" InvalidParameterException \
  cli create-user-pool-client --user-pool-id "$fed_pool" --client-name bad --supported-identity-providers COGNITO Nope
check "delete-identity-provider" 'cli delete-identity-provider --user-pool-id "$fed_pool" --provider-name Corp'
expect_error "describe-identity-provider after delete" ResourceNotFoundException \
  cli describe-identity-provider --user-pool-id "$fed_pool" --provider-name Corp
expect_error "admin-link-provider-for-user to an unknown user" UserNotFoundException \
  cli admin-link-provider-for-user --user-pool-id "$fed_pool" --destination-user ProviderName=Cognito,ProviderAttributeValue=nobody \
    --source-user ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=12345

# Client secret rotation, terms, legacy MFA settings and managed login branding with the AWS CLI (sourced by cli.sh).
# Debian's AWS CLI v2 (2.9) predates these operations; cli.sh puts AWS's published cognito-idp model on AWS_DATA_PATH,
# so the same CLI knows them.
check "the AWS CLI knows the client-secret, terms and branding operations" '"$AWS" cognito-idp add-user-pool-client-secret help >/dev/null 2>&1'
clientops_suffix=$(date +%s%N | tail -c 9)
clientops_pool=$(cli create-user-pool --pool-name "cli-clientops-$clientops_suffix" --query UserPool.Id --output text 2>&1)
clientops_client=$(cli create-user-pool-client --user-pool-id "$clientops_pool" --client-name confidential --generate-secret --query UserPoolClient.ClientId --output text 2>&1)

check "add-user-pool-client-secret generates a second secret" \
  'clientops_second=$(cli add-user-pool-client-secret --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "ClientSecretDescriptor.[ClientSecretId, ClientSecretValue]" --output text) &&
   [[ "$clientops_second" =~ ^${clientops_client}--[0-9]+[[:space:]]+[a-z0-9]{51}$ ]]'
check "list-user-pool-client-secrets lists two secrets without values" \
  '[ "$(cli list-user-pool-client-secrets --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "length(ClientSecrets)")" = 2 ] &&
   [ "$(cli list-user-pool-client-secrets --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "ClientSecrets[?ClientSecretValue] | length(@)")" = 0 ]'
expect_error "a third secret is refused" LimitExceededException \
  cli add-user-pool-client-secret --user-pool-id "$clientops_pool" --client-id "$clientops_client" --client-secret abcdefghijklmnopqrstuvwxyz012345
check "delete-user-pool-client-secret retires the first secret" \
  'first=$(cli list-user-pool-client-secrets --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "ClientSecrets[0].ClientSecretId" --output text) &&
   cli delete-user-pool-client-secret --user-pool-id "$clientops_pool" --client-id "$clientops_client" --client-secret-id "$first" &&
   [ "$(cli list-user-pool-client-secrets --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "length(ClientSecrets)")" = 1 ]'
clientops_last=$(cli list-user-pool-client-secrets --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query "ClientSecrets[0].ClientSecretId" --output text 2>&1)
expect_error "the last secret cannot be deleted" InvalidParameterException \
  cli delete-user-pool-client-secret --user-pool-id "$clientops_pool" --client-id "$clientops_client" --client-secret-id "$clientops_last"

check "create-terms, describe-terms, update-terms and list-terms" \
  'id=$(cli create-terms --user-pool-id "$clientops_pool" --client-id "$clientops_client" --terms-name terms-of-use --terms-source LINK --enforcement NONE \
          --links "cognito:default=https://example.com/terms" --query Terms.TermsId --output text) &&
   [ "$(cli describe-terms --user-pool-id "$clientops_pool" --terms-id "$id" --query "Terms.Links.\"cognito:default\"" --output text)" = https://example.com/terms ] &&
   cli update-terms --user-pool-id "$clientops_pool" --terms-id "$id" --links "cognito:default=https://example.com/v2" >/dev/null &&
   [ "$(cli list-terms --user-pool-id "$clientops_pool" --query "Terms[0].TermsName" --output text)" = terms-of-use ] &&
   [ "$(cli describe-terms --user-pool-id "$clientops_pool" --terms-id "$id" --query "Terms.Links.\"cognito:default\"" --output text)" = https://example.com/v2 ]'
expect_error "a second terms-of-use for the client is refused" TermsExistsException \
  cli create-terms --user-pool-id "$clientops_pool" --client-id "$clientops_client" --terms-name terms-of-use --terms-source LINK --enforcement NONE --links "cognito:default=https://example.com/x"
check "delete-terms" \
  'id=$(cli list-terms --user-pool-id "$clientops_pool" --query "Terms[0].TermsId" --output text) && cli delete-terms --user-pool-id "$clientops_pool" --terms-id "$id" &&
   [ "$(cli list-terms --user-pool-id "$clientops_pool" --query "length(Terms)")" = 0 ]'

cli admin-create-user --user-pool-id "$clientops_pool" --username cli-legacy --message-action SUPPRESS >/dev/null 2>&1
check "admin-set-user-settings with no MFAOptions leaves the user without MFA options" \
  'cli admin-set-user-settings --user-pool-id "$clientops_pool" --username cli-legacy --mfa-options "[]" &&
   [ "$(cli admin-get-user --user-pool-id "$clientops_pool" --username cli-legacy --query "MFAOptions" --output text)" = None ]'
expect_error "admin-set-user-settings with EMAIL is refused" InvalidParameterException \
  cli admin-set-user-settings --user-pool-id "$clientops_pool" --username cli-legacy --mfa-options DeliveryMedium=EMAIL,AttributeName=email

clientops_settings='{"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"aa3300ff"}}}},"componentClasses":{"buttons":{"borderRadius":6}}}'
check "create-managed-login-branding then describe-managed-login-branding return the same settings" \
  'id=$(cli create-managed-login-branding --user-pool-id "$clientops_pool" --client-id "$clientops_client" --settings "$clientops_settings" --query ManagedLoginBranding.ManagedLoginBrandingId --output text) &&
   [ "$(cli describe-managed-login-branding --user-pool-id "$clientops_pool" --managed-login-branding-id "$id" --query ManagedLoginBranding.Settings.components.primaryButton.lightMode.defaults.backgroundColor --output text)" = aa3300ff ] &&
   [ "$(cli describe-managed-login-branding-by-client --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query ManagedLoginBranding.ManagedLoginBrandingId --output text)" = "$id" ]'
check "update-managed-login-branding changes the settings" \
  'id=$(cli describe-managed-login-branding-by-client --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query ManagedLoginBranding.ManagedLoginBrandingId --output text) &&
   cli update-managed-login-branding --user-pool-id "$clientops_pool" --managed-login-branding-id "$id" --settings "{\"componentClasses\":{\"buttons\":{\"borderRadius\":10}}}" >/dev/null &&
   [ "$(cli describe-managed-login-branding --user-pool-id "$clientops_pool" --managed-login-branding-id "$id" --query ManagedLoginBranding.Settings.componentClasses.buttons.borderRadius --output text)" = 10 ]'
expect_error "a second style for the client is refused" ManagedLoginBrandingExistsException \
  cli create-managed-login-branding --user-pool-id "$clientops_pool" --client-id "$clientops_client" --use-cognito-provided-values
check "delete-managed-login-branding" \
  'id=$(cli describe-managed-login-branding-by-client --user-pool-id "$clientops_pool" --client-id "$clientops_client" --query ManagedLoginBranding.ManagedLoginBrandingId --output text) &&
   cli delete-managed-login-branding --user-pool-id "$clientops_pool" --managed-login-branding-id "$id" &&
   ! cli describe-managed-login-branding-by-client --user-pool-id "$clientops_pool" --client-id "$clientops_client" >/dev/null 2>&1'

# The other files use Debian's CLI again.
cli() { "$AWS" cognito-idp --endpoint-url "$PORTAL_ENDPOINT" --output json "$@"; }

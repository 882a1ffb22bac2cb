# Threat protection with the AWS CLI v2 (sourced by cli.sh): set-risk-configuration / describe-risk-configuration and
# compromised-credentials detection. "sunshine1" is a common breached password: the Pwned Passwords range API knows it,
# and so does Portal's offline corpus, which answers when the range API cannot be reached (as on a machine offline).
tp_pool() { # tp_pool MODE: a Plus pool with threat protection MODE and a lax password policy. Debian's AWS CLI (2.9)
  # predates UserPoolTier, so this one call is signed by curl (--aws-sigv4) with the same key.
  curl -s --aws-sigv4 "aws:amz:us-east-1:cognito-idp" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.CreateUserPool" -H "Content-Type: application/x-amz-json-1.1" \
    -d "{\"PoolName\":\"cli-threat-$RANDOM$RANDOM\",\"UserPoolTier\":\"PLUS\",\"UserPoolAddOns\":{\"AdvancedSecurityMode\":\"$1\"},
         \"Policies\":{\"PasswordPolicy\":{\"MinimumLength\":8,\"RequireUppercase\":false,\"RequireLowercase\":false,\"RequireNumbers\":false,\"RequireSymbols\":false}}}" \
    "$PORTAL_ENDPOINT/" | sed -n 's/^{"UserPool":{"Id":"\([^"]*\)".*/\1/p'
}
tp_block=$(tp_pool ENFORCED)
tp_block_client=$(cli create-user-pool-client --user-pool-id "$tp_block" --client-name app \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
tp_audit=$(tp_pool AUDIT)
tp_audit_client=$(cli create-user-pool-client --user-pool-id "$tp_audit" --client-name app --query UserPoolClient.ClientId --output text)
tp_tab=$'\t'

check "set-risk-configuration sets compromised-credentials BLOCK on the pool" \
  '[ "$(cli set-risk-configuration --user-pool-id "$tp_block" \
       --compromised-credentials-risk-configuration "EventFilter=SIGN_UP,PASSWORD_CHANGE,SIGN_IN,Actions={EventAction=BLOCK}" \
       --risk-exception-configuration "BlockedIPRangeList=192.0.2.0/24" \
       --query "RiskConfiguration.CompromisedCredentialsRiskConfiguration.Actions.EventAction" --output text)" = "BLOCK" ]'
cli set-risk-configuration --user-pool-id "$tp_audit" \
  --compromised-credentials-risk-configuration "Actions={EventAction=BLOCK}" >/dev/null 2>&1
check "describe-risk-configuration of a client without its own answers the pool's" \
  '[ "$(cli describe-risk-configuration --user-pool-id "$tp_block" --client-id "$tp_block_client" \
       --query "[RiskConfiguration.ClientId, RiskConfiguration.RiskExceptionConfiguration.BlockedIPRangeList[0]]" --output text)" \
     = "$tp_block_client${tp_tab}192.0.2.0/24" ]'

expect_error "sign-up with a breached password under BLOCK" "Provided password cannot be used for security reasons" \
  cli sign-up --client-id "$tp_block_client" --username "tp-$RANDOM$RANDOM" --password sunshine1
tp_user="tp-$RANDOM$RANDOM"
cli admin-create-user --user-pool-id "$tp_block" --username "$tp_user" --message-action SUPPRESS >/dev/null 2>&1
cli admin-set-user-password --user-pool-id "$tp_block" --username "$tp_user" --password "Unbreached-Passw0rd-7!" --permanent >/dev/null 2>&1
expect_error "admin-set-user-password with a breached password under BLOCK" InvalidPasswordException \
  cli admin-set-user-password --user-pool-id "$tp_block" --username "$tp_user" --password sunshine1 --permanent
tp_token=$(cli admin-initiate-auth --user-pool-id "$tp_block" --client-id "$tp_block_client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
  --auth-parameters USERNAME="$tp_user",PASSWORD="Unbreached-Passw0rd-7!" --query AuthenticationResult.AccessToken --output text)
expect_error "change-password to a breached password under BLOCK" InvalidPasswordException \
  cli change-password --access-token "$tp_token" --previous-password "Unbreached-Passw0rd-7!" --proposed-password sunshine1

tp_audit_user="tp-$RANDOM$RANDOM"
cli sign-up --client-id "$tp_audit_client" --username "$tp_audit_user" --password sunshine1 >/dev/null 2>&1
check "sign-up with a breached password under AUDIT passes and its event says compromised" \
  '[ "$(cli admin-list-user-auth-events --user-pool-id "$tp_audit" --username "$tp_audit_user" \
       --query "AuthEvents[0].[EventType, EventResponse, EventRisk.CompromisedCredentialsDetected]" --output text)" = "SignUp${tp_tab}Pass${tp_tab}True" ]'

# Under AUDIT an admin set and a change to breached passwords pass too, and the change's event says compromised.
tp_audit_flows=$(cli create-user-pool-client --user-pool-id "$tp_audit" --client-name admin-flows \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
tp_audit_admin="tp-$RANDOM$RANDOM"
cli admin-create-user --user-pool-id "$tp_audit" --username "$tp_audit_admin" --message-action SUPPRESS >/dev/null 2>&1
check "admin-set-user-password with a breached password under AUDIT passes" \
  'cli admin-set-user-password --user-pool-id "$tp_audit" --username "$tp_audit_admin" --password sunshine1 --permanent'
tp_audit_token=$(cli admin-initiate-auth --user-pool-id "$tp_audit" --client-id "$tp_audit_flows" --auth-flow ADMIN_USER_PASSWORD_AUTH \
  --auth-parameters USERNAME="$tp_audit_admin",PASSWORD=sunshine1 --query AuthenticationResult.AccessToken --output text)
cli change-password --access-token "$tp_audit_token" --previous-password sunshine1 --proposed-password password1 >/dev/null 2>&1
check "change-password to a breached password under AUDIT passes and its event says compromised" \
  '[ "$(cli admin-list-user-auth-events --user-pool-id "$tp_audit" --username "$tp_audit_admin" \
       --query "AuthEvents[?EventType==\`PasswordChange\`] | [0].[EventResponse, EventRisk.CompromisedCredentialsDetected]" --output text)" = "Pass${tp_tab}True" ]'

# Reset (forgot-password, then confirm-forgot-password) to a breached password: the code is read from testing mode's
# LocalStack-style mailbox (GET /_aws/ses?email=, oldest first), as an app's suite would, so Portal must run with
# Portal:Testing:Enabled (test.sh's Development Portal does; the first check says so when it does not).
tp_code() { # tp_code EMAIL: the 6-digit code of the newest email to EMAIL
  curl -sf "$PORTAL_ENDPOINT/_aws/ses?email=$1" | jq -r '.messages[-1].Body.text_part // empty' | grep -oE '\b[0-9]{6}\b' | tail -1
}
check "testing mode's mailbox answers (Portal:Testing:Enabled)" 'curl -sf "$PORTAL_ENDPOINT/_aws/ses" | jq -e ".messages" >/dev/null'
tp_reset_user() { # tp_reset_user POOL EMAIL: a confirmed user with a verified email and a clean password; prints the name
  local name="tp-$RANDOM$RANDOM"
  cli admin-create-user --user-pool-id "$1" --username "$name" --message-action SUPPRESS \
    --user-attributes Name=email,Value="$2" Name=email_verified,Value=true >/dev/null 2>&1
  cli admin-set-user-password --user-pool-id "$1" --username "$name" --password "Unbreached-Passw0rd-7!" --permanent >/dev/null 2>&1
  echo "$name"
}
tp_reset_mail="tp-reset-$RANDOM$RANDOM@example.com"
tp_reset=$(tp_reset_user "$tp_block" "$tp_reset_mail")
check "forgot-password under BLOCK sends the code by email" \
  '[ "$(cli forgot-password --client-id "$tp_block_client" --username "$tp_reset" --query CodeDeliveryDetails.DeliveryMedium --output text)" = EMAIL ]'
tp_reset_code=$(tp_code "$tp_reset_mail")
check "the reset code is in the mailbox" '[ -n "$tp_reset_code" ]'
expect_error "confirm-forgot-password with a breached password under BLOCK" InvalidPasswordException \
  cli confirm-forgot-password --client-id "$tp_block_client" --username "$tp_reset" --confirmation-code "${tp_reset_code:-000000}" --password sunshine1
check "the refused reset is a failed ForgotPassword event that says compromised" \
  '[ "$(cli admin-list-user-auth-events --user-pool-id "$tp_block" --username "$tp_reset" \
       --query "AuthEvents[0].[EventType, EventResponse, EventRisk.RiskDecision, EventRisk.CompromisedCredentialsDetected]" --output text)" \
     = "ForgotPassword${tp_tab}Fail${tp_tab}Block${tp_tab}True" ]'
check "the code still resets to a clean password under BLOCK, which then signs in" \
  'cli confirm-forgot-password --client-id "$tp_block_client" --username "$tp_reset" --confirmation-code "$tp_reset_code" --password "Other-Unbreached-Passw0rd-8!" \
   && cli initiate-auth --client-id "$tp_block_client" --auth-flow USER_PASSWORD_AUTH \
        --auth-parameters USERNAME="$tp_reset",PASSWORD="Other-Unbreached-Passw0rd-8!" --query AuthenticationResult.AccessToken --output text | grep -q .'

tp_audit_reset_mail="tp-reset-$RANDOM$RANDOM@example.com"
tp_audit_reset=$(tp_reset_user "$tp_audit" "$tp_audit_reset_mail")
cli forgot-password --client-id "$tp_audit_client" --username "$tp_audit_reset" >/dev/null 2>&1
tp_audit_code=$(tp_code "$tp_audit_reset_mail")
check "confirm-forgot-password with a breached password under AUDIT passes" \
  '[ -n "$tp_audit_code" ] && cli confirm-forgot-password --client-id "$tp_audit_client" --username "$tp_audit_reset" \
     --confirmation-code "$tp_audit_code" --password sunshine1'
check "the reset's event under AUDIT says compromised, and the decision is no risk" \
  '[ "$(cli admin-list-user-auth-events --user-pool-id "$tp_audit" --username "$tp_audit_reset" \
       --query "AuthEvents[0].[EventType, EventResponse, EventRisk.RiskDecision, EventRisk.CompromisedCredentialsDetected]" --output text)" \
     = "ForgotPassword${tp_tab}Pass${tp_tab}NoRisk${tp_tab}True" ]'
check "the breached password reset under AUDIT signs in (AUDIT never acts)" \
  'cli admin-initiate-auth --user-pool-id "$tp_audit" --client-id "$tp_audit_flows" --auth-flow ADMIN_USER_PASSWORD_AUTH \
     --auth-parameters USERNAME="$tp_audit_reset",PASSWORD=sunshine1 --query AuthenticationResult.AccessToken --output text | grep -q .'

expect_error "set-risk-configuration with a bad CIDR" InvalidParameterException \
  cli set-risk-configuration --user-pool-id "$tp_block" --risk-exception-configuration "SkippedIPRangeList=10.0.0.0/99"
expect_error "set-risk-configuration for an unknown client" ResourceNotFoundException \
  cli set-risk-configuration --user-pool-id "$tp_block" --client-id nosuchclient0000000000000a
expect_error "set-risk-configuration with an unknown action" InvalidParameterException \
  cli set-risk-configuration --user-pool-id "$tp_block" --compromised-credentials-risk-configuration "Actions={EventAction=SHRUG}"
tp_off=$(cli create-user-pool --pool-name "cli-threat-off-$RANDOM" --query UserPool.Id --output text)
expect_error "describe-risk-configuration of a pool with threat protection OFF" UserPoolAddOnNotEnabledException \
  cli describe-risk-configuration --user-pool-id "$tp_off"

# MFA with the AWS CLI v2 (sourced by cli.sh): the pool's factors, an SMS factor set by an administrator, and an
# authenticator app (TOTP, RFC 6238, its codes computed here with python3) added with an access token.
mfa_pool=$(cli create-user-pool --pool-name "cli-mfa-$RANDOM$RANDOM" --query UserPool.Id --output text)
mfa_client=$(cli create-user-pool-client --user-pool-id "$mfa_pool" --client-name app \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
mfa_arn=arn:aws:iam::123456789012:role/portal-sms
mfa_tab=$'\t'
mfa_totp() { # mfa_totp SECRET STEPS: an authenticator's code for the 30-second step that many steps from now; or, with
             # "wrong" for STEPS, a code no step near now has
  python3 -c 'import base64, hmac, struct, sys, time
secret, steps = sys.argv[1], sys.argv[2]
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
def code(step):
    h = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    return "%06d" % ((struct.unpack(">I", h[h[-1] & 15:(h[-1] & 15) + 4])[0] & 0x7fffffff) % 1000000)
now = int(time.time()) // 30
near = [code(now + d) for d in range(-1, 3)]
print(next(c for c in ("000000", "111111", "222222") if c not in near) if steps == "wrong" else code(now + int(steps)))' "$1" "$2"
}
mfa_sign_in() { # mfa_sign_in USERNAME: admin-initiate-auth with the password
  cli admin-initiate-auth --user-pool-id "$mfa_pool" --client-id "$mfa_client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
    --auth-parameters USERNAME="$1",PASSWORD="Passw0rd!x" "${@:2}"
}

expect_error "set-user-pool-mfa-config ON with no factor" InvalidParameterException \
  cli set-user-pool-mfa-config --user-pool-id "$mfa_pool" --mfa-configuration ON
expect_error "set-user-pool-mfa-config with SMS MFA and no SnsCallerArn" InvalidParameterException \
  cli set-user-pool-mfa-config --user-pool-id "$mfa_pool" --mfa-configuration OPTIONAL --sms-mfa-configuration '{"SmsAuthenticationMessage": "Code {####}"}'
check "set-user-pool-mfa-config turns on authenticator apps and SMS, OPTIONAL" \
  '[ "$(cli set-user-pool-mfa-config --user-pool-id "$mfa_pool" --mfa-configuration OPTIONAL --software-token-mfa-configuration Enabled=true \
       --sms-mfa-configuration "{\"SmsAuthenticationMessage\": \"Code {####}\", \"SmsConfiguration\": {\"SnsCallerArn\": \"$mfa_arn\"}}" \
       --query MfaConfiguration --output text)" = OPTIONAL ]'
check "get-user-pool-mfa-config reads the factors back" \
  '[ "$(cli get-user-pool-mfa-config --user-pool-id "$mfa_pool" \
       --query "[MfaConfiguration, SoftwareTokenMfaConfiguration.Enabled, SmsMfaConfiguration.SmsConfiguration.SnsCallerArn]" --output text)" \
     = "OPTIONAL${mfa_tab}True${mfa_tab}$mfa_arn" ]'

# SMS: an administrator turns it on for a user with a phone number; the sign-in then asks for the texted code.
cli admin-create-user --user-pool-id "$mfa_pool" --username sam --message-action SUPPRESS --user-attributes Name=phone_number,Value=+15555550123 >/dev/null 2>&1
cli admin-set-user-password --user-pool-id "$mfa_pool" --username sam --password "Passw0rd!x" --permanent >/dev/null 2>&1
check "admin-set-user-mfa-preference turns SMS MFA on; admin-get-user shows it preferred" \
  'cli admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username sam --sms-mfa-settings Enabled=true,PreferredMfa=true &&
   [ "$(cli admin-get-user --user-pool-id "$mfa_pool" --username sam --query "[PreferredMfaSetting, join(\`,\`, UserMFASettingList)]" --output text)" \
     = "SMS_MFA${mfa_tab}SMS_MFA" ]'
check "admin-initiate-auth then answers SMS_MFA with the masked phone number" \
  '[ "$(mfa_sign_in sam --query "[ChallengeName, ChallengeParameters.CODE_DELIVERY_DESTINATION]" --output text)" = "SMS_MFA${mfa_tab}+*******0123" ]'
expect_error "admin-set-user-mfa-preference of an authenticator never verified" InvalidParameterException \
  cli admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username sam --software-token-mfa-settings Enabled=true

# An authenticator app, added with the access token of a sign-in.
cli admin-create-user --user-pool-id "$mfa_pool" --username tess --message-action SUPPRESS >/dev/null 2>&1
cli admin-set-user-password --user-pool-id "$mfa_pool" --username tess --password "Passw0rd!x" --permanent >/dev/null 2>&1
mfa_access=$(mfa_sign_in tess --query AuthenticationResult.AccessToken --output text 2>&1)
mfa_secret=$(cli associate-software-token --access-token "$mfa_access" --query SecretCode --output text 2>&1)
check "associate-software-token answers a base32 secret" '[[ "$mfa_secret" =~ ^[A-Z2-7]{52}$ ]] || { echo "$mfa_secret"; false; }'
expect_error "verify-software-token with a wrong code" EnableSoftwareTokenMFAException \
  cli verify-software-token --access-token "$mfa_access" --user-code "$(mfa_totp "$mfa_secret" wrong)"
check "verify-software-token with the authenticator's code" \
  '[ "$(cli verify-software-token --access-token "$mfa_access" --user-code "$(mfa_totp "$mfa_secret" 0)" --friendly-device-name "My phone" --query Status --output text)" = SUCCESS ]'
check "admin-set-user-mfa-preference turns the authenticator on; admin-get-user shows it preferred" \
  'cli admin-set-user-mfa-preference --user-pool-id "$mfa_pool" --username tess --software-token-mfa-settings Enabled=true,PreferredMfa=true &&
   [ "$(cli admin-get-user --user-pool-id "$mfa_pool" --username tess --query PreferredMfaSetting --output text)" = SOFTWARE_TOKEN_MFA ]'
mfa_session=$(mfa_sign_in tess --query Session --output text 2>&1)
expect_error "admin-respond-to-auth-challenge with a wrong authenticator code" CodeMismatchException \
  cli admin-respond-to-auth-challenge --user-pool-id "$mfa_pool" --client-id "$mfa_client" --challenge-name SOFTWARE_TOKEN_MFA --session="$mfa_session" \
  --challenge-responses USERNAME=tess,SOFTWARE_TOKEN_MFA_CODE="$(mfa_totp "$mfa_secret" wrong)"
# The code verify-software-token took is spent: the next one is the next step's.
check "admin-respond-to-auth-challenge with the next authenticator code signs in" \
  'cli admin-respond-to-auth-challenge --user-pool-id "$mfa_pool" --client-id "$mfa_client" --challenge-name SOFTWARE_TOKEN_MFA --session="$mfa_session" \
     --challenge-responses USERNAME=tess,SOFTWARE_TOKEN_MFA_CODE="$(mfa_totp "$mfa_secret" 1)" --query AuthenticationResult.AccessToken --output text | grep -q "^eyJ"'

# Self-service with the AWS CLI v2: sign-up, admin-confirm-sign-up, forgot-password, admin-reset-user-password.
# (Sourced by cli.sh: uses its cli, check and expect_error.) No SMTP server listens during this suite: Portal
# records each message in its outbox as failed, and the operations succeed all the same.
ss_pool=$(cli create-user-pool --pool-name "cli-selfservice-$RANDOM$RANDOM" --auto-verified-attributes email --query UserPool.Id --output text)
ss_client=$(cli create-user-pool-client --user-pool-id "$ss_pool" --client-name app --prevent-user-existence-errors LEGACY --query UserPoolClient.ClientId --output text)
ss_user="cli-user-$RANDOM$RANDOM"

check "sign-up answers UserConfirmed false and a masked email destination" \
  'out=$(cli sign-up --client-id "$ss_client" --username "$ss_user" --password "Passw0rd!x" --user-attributes Name=email,Value="$ss_user@example.com") && grep -q "\"UserConfirmed\": false" <<<"$out" && grep -q "\"Destination\": \"c\*\*\*@e\*\*\*\"" <<<"$out"'
expect_error "sign-up with a taken username" UsernameExistsException \
  cli sign-up --client-id "$ss_client" --username "$ss_user" --password "Passw0rd!x" --user-attributes Name=email,Value="$ss_user@example.com"
expect_error "sign-up with a weak password" InvalidPasswordException \
  cli sign-up --client-id "$ss_client" --username "$ss_user-2" --password "short"
expect_error "confirm-sign-up with a wrong code" CodeMismatchException \
  cli confirm-sign-up --client-id "$ss_client" --username "$ss_user" --confirmation-code 000000
expect_error "forgot-password before the email is verified" InvalidParameterException \
  cli forgot-password --client-id "$ss_client" --username "$ss_user"
check "admin-confirm-sign-up confirms the user" \
  'cli admin-confirm-sign-up --user-pool-id "$ss_pool" --username "$ss_user" && [ "$(cli admin-get-user --user-pool-id "$ss_pool" --username "$ss_user" --query UserStatus --output text)" = CONFIRMED ]'
expect_error "admin-confirm-sign-up of a confirmed user" NotAuthorizedException \
  cli admin-confirm-sign-up --user-pool-id "$ss_pool" --username "$ss_user"
check "forgot-password sends the code to the verified email" \
  'cli admin-update-user-attributes --user-pool-id "$ss_pool" --username "$ss_user" --user-attributes Name=email_verified,Value=true && [ "$(cli forgot-password --client-id "$ss_client" --username "$ss_user" --query CodeDeliveryDetails.DeliveryMedium --output text)" = EMAIL ]'
expect_error "confirm-forgot-password with a wrong code" CodeMismatchException \
  cli confirm-forgot-password --client-id "$ss_client" --username "$ss_user" --confirmation-code 000000 --password "N3w-Passw0rd!"
expect_error "forgot-password of an unknown user" UserNotFoundException \
  cli forgot-password --client-id "$ss_client" --username "nobody-$ss_user"
check "admin-reset-user-password sets RESET_REQUIRED" \
  'cli admin-reset-user-password --user-pool-id "$ss_pool" --username "$ss_user" && [ "$(cli admin-get-user --user-pool-id "$ss_pool" --username "$ss_user" --query UserStatus --output text)" = RESET_REQUIRED ]'
expect_error "admin-reset-user-password of an unknown user" UserNotFoundException \
  cli admin-reset-user-password --user-pool-id "$ss_pool" --username "nobody-$ss_user"

# Remembered devices with the AWS CLI v2 (sourced by cli.sh): a pool that tracks devices, the device of a sign-in
# confirmed with an access token, then the admin device operations and Cognito's errors for a device that does not exist.
dev_pool=$(cli create-user-pool --pool-name "cli-devices-$RANDOM$RANDOM" \
  --device-configuration ChallengeRequiredOnNewDevice=true,DeviceOnlyRememberedOnUserPrompt=true --query UserPool.Id --output text)
dev_client=$(cli create-user-pool-client --user-pool-id "$dev_pool" --client-name app \
  --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
cli admin-create-user --user-pool-id "$dev_pool" --username dora --message-action SUPPRESS >/dev/null 2>&1
cli admin-set-user-password --user-pool-id "$dev_pool" --username dora --password "Passw0rd!x" --permanent >/dev/null 2>&1
dev_tab=$'\t'
dev_signed_in=$(cli admin-initiate-auth --user-pool-id "$dev_pool" --client-id "$dev_client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=dora,PASSWORD="Passw0rd!x" \
  --query "[AuthenticationResult.AccessToken, AuthenticationResult.NewDeviceMetadata.DeviceKey]" --output text 2>&1)
dev_token=${dev_signed_in%%"$dev_tab"*}
dev_key=${dev_signed_in##*"$dev_tab"}
admin_device() { cli "$1" --user-pool-id "$dev_pool" --username dora "${@:2}"; }

check "describe-user-pool shows the device configuration" \
  '[ "$(cli describe-user-pool --user-pool-id "$dev_pool" --query "UserPool.DeviceConfiguration.[ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt]" --output text)" = "True${dev_tab}True" ]'
check "admin-initiate-auth on a pool that tracks devices returns NewDeviceMetadata" '[[ "$dev_key" =~ ^us-east-1_[0-9a-f-]{36}$ ]]'
check "confirm-device with the device verifier; the pool asks the user before remembering" \
  '[ "$(cli confirm-device --access-token "$dev_token" --device-key "$dev_key" --device-name "cli laptop" \
       --device-secret-verifier-config PasswordVerifier=dmVyaWZpZXI=,Salt=c2FsdA== --query UserConfirmationNecessary --output text)" = True ]'
check "admin-list-devices lists the confirmed device, not remembered" \
  '[ "$(admin_device admin-list-devices --query "Devices[0].[DeviceKey, DeviceAttributes[?Name==\`dev:device_remembered_status\`].Value | [0]]" --output text)" \
     = "$dev_key${dev_tab}not_remembered" ]'
check "admin-update-device-status remembers it" \
  'admin_device admin-update-device-status --device-key "$dev_key" --device-remembered-status remembered >/dev/null &&
   [ "$(admin_device admin-get-device --device-key "$dev_key" --query "Device.DeviceAttributes[?Name==\`dev:device_remembered_status\`].Value | [0]" --output text)" = remembered ]'
check "admin-get-device names the device" \
  '[ "$(admin_device admin-get-device --device-key "$dev_key" --query "Device.DeviceAttributes[?Name==\`device_name\`].Value | [0]" --output text)" = "cli laptop" ]'
expect_error "admin-update-device-status with an unknown status" InvalidParameterException \
  admin_device admin-update-device-status --device-key "$dev_key" --device-remembered-status sometimes
expect_error "admin-get-device of a device the user does not have" "Device does not exist" \
  admin_device admin-get-device --device-key us-east-1_00000000-0000-0000-0000-000000000000
check "admin-forget-device forgets it" \
  'admin_device admin-forget-device --device-key "$dev_key" && [ "$(admin_device admin-list-devices --query "length(Devices)" --output text)" = 0 ]'
expect_error "admin-forget-device of a forgotten device" ResourceNotFoundException admin_device admin-forget-device --device-key "$dev_key"
expect_error "the forgotten device's sign-in has lost its tokens" NotAuthorizedException cli get-user --access-token "$dev_token"

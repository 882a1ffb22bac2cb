# Hosted-UI classic branding with the AWS CLI v2 (sourced by cli.sh): set-ui-customization with a logo file and CSS,
# get-ui-customization with the client → ALL fallback, a refused CSS.
branding_suffix=$(date +%s%N | tail -c 9)
branding_pool=$(cli create-user-pool --pool-name "cli-brand-$branding_suffix" --query UserPool.Id --output text 2>&1)
branding_client=$(cli create-user-pool-client --user-pool-id "$branding_pool" --client-name web --query UserPoolClient.ClientId --output text 2>&1)
cli create-user-pool-domain --user-pool-id "$branding_pool" --domain "cli-brand-$branding_suffix" >/dev/null 2>&1
branding_logo=$(mktemp --suffix=.png)
# A 4×4 RGB PNG.
base64 -d > "$branding_logo" <<<'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAKUlEQVR42g3HMQEAAAzCMCRWInIqBwlbviSR2LiYIFgcn0ptXT+T2bl5YlIbgZfTsNIAAAAASUVORK5CYII='

check "set-ui-customization for ALL with a logo file and CSS" \
  'cli set-ui-customization --user-pool-id "$branding_pool" --client-id ALL --image-file "fileb://$branding_logo" --css ".label-customizable { font-weight: 700; }" --query UICustomization.CSS --output text | grep -q "font-weight: 700"'
check "get-ui-customization for a client falls back to ALL and serves the logo" \
  'url=$(cli get-ui-customization --user-pool-id "$branding_pool" --client-id "$branding_client" --query "[UICustomization.ClientId, UICustomization.ImageUrl]" --output text) &&
   [[ "$url" == ALL* ]] && curl -sf -o /dev/null -w "%{content_type}" "${url#ALL?}" | grep -q "^image/png"'
expect_error "set-ui-customization with an @import is refused" InvalidParameterException \
  cli set-ui-customization --user-pool-id "$branding_pool" --client-id "$branding_client" --css "@import url(https://evil.example/x.css);"
rm -f "$branding_logo"

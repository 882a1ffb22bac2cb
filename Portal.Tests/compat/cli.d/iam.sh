# IAM and STS on the Query protocol with the AWS CLI v2 (sourced by cli.sh): roles with trust and inline policies, customer
# managed policies (versions, attachments, permissions boundaries), OIDC
# and SAML providers, validation errors as IAM words them, and sts get-caller-identity with the admin key and with
# temporary credentials minted by Portal's STS for a role.
iam() { "$AWS" iam --endpoint-url "$PORTAL_ENDPOINT" --output json "$@"; }
sts() { "$AWS" sts --endpoint-url "$PORTAL_ENDPOINT" --output json "$@"; }
iam_suffix=$(date +%s%N | tail -c 9)
iam_role="cli-role-$iam_suffix"
iam_trust=$(mktemp --suffix=.json)
cat > "$iam_trust" <<JSON
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
 "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:00000000-0000-0000-0000-000000000000"},
 "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}
JSON
iam_policy=$(mktemp --suffix=.json)
cat > "$iam_policy" <<'JSON'
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*"]}]}
JSON

check "iam create-role with a trust policy file answers the role's ARN and id" \
  'iam create-role --role-name "$iam_role" --path /app/ --assume-role-policy-document "file://$iam_trust" --description "CLI test" --tags Key=team,Value=id \
     --query "[Role.Arn, Role.RoleId]" --output text | grep -qE "^arn:aws:iam::[0-9]{12}:role/app/$iam_role\s+AROA[A-Z0-9]{17}$"'
check "iam get-role decodes the trust policy and shows the tags" \
  'iam get-role --role-name "$iam_role" --query "[Role.AssumeRolePolicyDocument.Statement[0].Principal.Federated, Role.Tags[0].Value, Role.MaxSessionDuration]" --output text |
     grep -qP "^cognito-identity.amazonaws.com\tid\t3600$"'
expect_error "iam create-role with the same name in another case is refused" EntityAlreadyExists \
  iam create-role --role-name "${iam_role^^}" --assume-role-policy-document "file://$iam_trust"
expect_error "iam create-role with a trust policy without Principal is refused" MalformedPolicyDocument \
  iam create-role --role-name "cli-bad-$iam_suffix" --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}'
expect_error "iam create-role with an unknown condition operator is refused" MalformedPolicyDocument \
  iam create-role --role-name "cli-bad-$iam_suffix" --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringSortOf":{"a:b":"c"}}}]}'
check "iam list-roles with a path prefix lists it" \
  'iam list-roles --path-prefix /app/ --query "Roles[].RoleName" --output text | grep -qw "$iam_role"'
check "iam put-role-policy and get-role-policy round-trip the document" \
  'iam put-role-policy --role-name "$iam_role" --policy-name read-own --policy-document "file://$iam_policy" &&
   iam get-role-policy --role-name "$iam_role" --policy-name read-own --query "PolicyDocument.Statement[0].Resource[0]" --output text |
     grep -qF "arn:aws:s3:::bucket/private/\${cognito-identity.amazonaws.com:sub}/*"'
check "iam list-role-policies names it" 'iam list-role-policies --role-name "$iam_role" --query PolicyNames --output text | grep -qx read-own'
expect_error "iam put-role-policy with a Principal is refused" MalformedPolicyDocument \
  iam put-role-policy --role-name "$iam_role" --policy-name bad --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}'
expect_error "iam delete-role with an inline policy left is refused" DeleteConflict iam delete-role --role-name "$iam_role"
expect_error "iam get-role-policy of an unknown policy" NoSuchEntity iam get-role-policy --role-name "$iam_role" --policy-name nope

iam_oidc_url="https://issuer-$iam_suffix.example.com/realms/portal"
check "iam create-open-id-connect-provider answers the ARN without the scheme" \
  'iam create-open-id-connect-provider --url "$iam_oidc_url" --client-id-list app-1 app-2 --thumbprint-list 0123456789abcdef0123456789abcdef01234567 \
     --query OpenIDConnectProviderArn --output text | grep -qx "arn:aws:iam::[0-9]\{12\}:oidc-provider/issuer-$iam_suffix.example.com/realms/portal"'
iam_oidc_arn=$(iam list-open-id-connect-providers --query "OpenIDConnectProviderList[].Arn" --output text 2>/dev/null | tr '\t' '\n' | grep "issuer-$iam_suffix")
check "iam get-open-id-connect-provider shows its URL and client ids" \
  'iam get-open-id-connect-provider --open-id-connect-provider-arn "$iam_oidc_arn" --query "[Url, join(\`,\`, ClientIDList)]" --output text |
     grep -qP "^issuer-$iam_suffix.example.com/realms/portal\tapp-1,app-2$"'
expect_error "iam create-open-id-connect-provider twice is refused" EntityAlreadyExists \
  iam create-open-id-connect-provider --url "$iam_oidc_url" --client-id-list app-1 --thumbprint-list 0123456789abcdef0123456789abcdef01234567
check "iam delete-open-id-connect-provider removes it" \
  'iam delete-open-id-connect-provider --open-id-connect-provider-arn "$iam_oidc_arn" && ! iam list-open-id-connect-providers --output text | grep -q "issuer-$iam_suffix"'

iam_saml=$(mktemp --suffix=.xml)
{ printf '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp-%s.example.com/saml" validUntil="2036-01-01T00:00:00Z"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' "$iam_suffix"
  printf '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp-%s.example.com/sso/%s"/>' "$iam_suffix" "$(head -c 600 /dev/zero | tr '\0' 'x')"
  printf '</md:IDPSSODescriptor></md:EntityDescriptor>'; } > "$iam_saml"
check "iam create-saml-provider, get-saml-provider (validUntil from the metadata) and delete" \
  'arn=$(iam create-saml-provider --name "cli-saml-$iam_suffix" --saml-metadata-document "file://$iam_saml" --query SAMLProviderArn --output text) &&
   [[ "$arn" == *":saml-provider/cli-saml-$iam_suffix" ]] &&
   iam get-saml-provider --saml-provider-arn "$arn" --query ValidUntil --output text | grep -q "^2036-01-01" &&
   iam delete-saml-provider --saml-provider-arn "$arn"'

check "sts get-caller-identity with the admin key answers the account root" \
  'sts get-caller-identity --query Arn --output text | grep -qx "arn:aws:iam::[0-9]\{12\}:root"'

iam_sim_policy=$(mktemp --suffix=.json)
printf '%s\n' '{"Version":"2012-10-17","Statement":[' \
  '  {"Sid":"OwnPrefix","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*"},' \
  '  {"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}' > "$iam_sim_policy"
# --policy-input-list is a list: the CLI takes a JSON list of documents (a bare document would be split into characters).
iam_sim_list=$(mktemp --suffix=.json)
python3 -c 'import json,sys; print(json.dumps([open(sys.argv[1]).read()]))' "$iam_sim_policy" > "$iam_sim_list"
iam_sim_sub="us-east-1:aaaaaaaa-1111-2222-3333-444444444444"
check "iam simulate-custom-policy: the user's own prefix is allowed, with the deciding statement's position" \
  'iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:GetObject \
     --resource-arns "arn:aws:s3:::bucket/private/$iam_sim_sub/a.txt" \
     --context-entries "ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=$iam_sim_sub,ContextKeyType=string" \
     --query "EvaluationResults[0].[EvalDecision, MatchedStatements[0].SourcePolicyId, MatchedStatements[0].StartPosition.Line, MatchedStatements[0].StartPosition.Column]" --output text |
     grep -qP "^allowed\tPolicyInputList.1\t2\t3$"'
check "iam simulate-custom-policy: another user's prefix is an implicit deny, a delete an explicit deny (line 3)" \
  'out=$(iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:GetObject s3:DeleteObject \
     --resource-arns "arn:aws:s3:::bucket/private/us-east-1:someone-else/a.txt" \
     --context-entries "ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=$iam_sim_sub,ContextKeyType=string" \
     --query "EvaluationResults[].[EvalActionName, EvalDecision, join(\`,\`, MatchedStatements[].to_string(StartPosition.Line))]" --output text) &&
   echo "$out" | grep -qP "^s3:GetObject\timplicitDeny\t$" && echo "$out" | grep -qP "^s3:DeleteObject\texplicitDeny\t3$"'
check "iam simulate-custom-policy names the context key a policy needs and the request did not give" \
  'iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:GetObject --resource-arns arn:aws:s3:::bucket/private/x/a.txt \
     --query "EvaluationResults[0].[EvalDecision, MissingContextValues[0]]" --output text | grep -qP "^implicitDeny\tcognito-identity.amazonaws.com:sub$"'
check "iam simulate-custom-policy with a permissions boundary: allowed by the policy, not by the boundary" \
  'iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:PutObject \
     --permissions-boundary-policy-input-list "[\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:Get*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"]" \
     --resource-arns "arn:aws:s3:::bucket/private/$iam_sim_sub/a.txt" \
     --context-entries "ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=$iam_sim_sub,ContextKeyType=string" \
     --query "EvaluationResults[0].[EvalDecision, PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary]" --output text | grep -qP "^implicitDeny\tFalse$"'
check "iam simulate-custom-policy pages its results (page size 1 over two actions, the CLI follows the markers)" \
  'iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::bucket/x \
     --page-size 1 --query "EvaluationResults[].EvalActionName" --output text | tr "\n\t" "  " | grep -q "s3:GetObject.*s3:PutObject"'
expect_error "iam simulate-custom-policy with an invalid policy is refused" InvalidInput \
  iam simulate-custom-policy --policy-input-list '["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"]' --action-names s3:GetObject
expect_error "iam simulate-custom-policy with a context value of the wrong type is refused" InvalidInput \
  iam simulate-custom-policy --policy-input-list "file://$iam_sim_list" --action-names s3:GetObject \
    --context-entries "ContextKeyName=aws:SourceIp,ContextKeyValues=not-an-ip,ContextKeyType=ip"
iam_role_arn=$(iam get-role --role-name "$iam_role" --query Role.Arn --output text 2>/dev/null)
check "iam simulate-principal-policy evaluates the role's inline policies (the policy's name as its source)" \
  'iam simulate-principal-policy --policy-source-arn "$iam_role_arn" --action-names s3:GetObject s3:PutObject \
     --resource-arns "arn:aws:s3:::bucket/private/$iam_sim_sub/a.txt" \
     --context-entries "ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=$iam_sim_sub,ContextKeyType=string" \
     --query "EvaluationResults[].[EvalActionName, EvalDecision, join(\`,\`, MatchedStatements[].SourcePolicyId)]" --output text |
     tr "\n" ";" | grep -qP "^s3:GetObject\tallowed\tread-own;s3:PutObject\timplicitDeny\t;$"'
expect_error "iam simulate-principal-policy of an unknown role" NoSuchEntity \
  iam simulate-principal-policy --policy-source-arn "arn:aws:iam::000000000000:role/nobody-$iam_suffix" --action-names s3:GetObject
# Customer managed policies, attachments and permissions boundaries.
iam_mp_name="cli-managed-$iam_suffix"
iam_mp_arn=""
check "iam create-policy answers the policy's ARN (with its path), id and version v1" \
  'iam create-policy --policy-name "$iam_mp_name" --path /cli/ --policy-document "file://$iam_policy" --description "CLI managed" \
     --query "[Policy.Arn, Policy.PolicyId, Policy.DefaultVersionId]" --output text | grep -qP "^arn:aws:iam::[0-9]{12}:policy/cli/$iam_mp_name\tANPA[A-Z0-9]{17}\tv1$"'
iam_mp_arn=$(iam list-policies --path-prefix /cli/ --query "Policies[?PolicyName=='$iam_mp_name'].Arn" --output text 2>/dev/null)
expect_error "iam create-policy with the same name is refused" EntityAlreadyExists \
  iam create-policy --policy-name "$iam_mp_name" --policy-document "file://$iam_policy"
check "iam create-policy-version --set-as-default, get-policy-version decodes the document, list-policy-versions newest first" \
  'iam create-policy-version --policy-arn "$iam_mp_arn" --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}" --set-as-default >/dev/null &&
   iam get-policy-version --policy-arn "$iam_mp_arn" --version-id v2 --query "[PolicyVersion.IsDefaultVersion, PolicyVersion.Document.Statement[0].Action]" --output text | grep -qP "^True\ts3:ListBucket$" &&
   [ "$(iam list-policy-versions --policy-arn "$iam_mp_arn" --query "Versions[].VersionId" --output text)" = "$(printf "v2\tv1")" ]'
expect_error "iam delete-policy-version of the default version is refused" DeleteConflict \
  iam delete-policy-version --policy-arn "$iam_mp_arn" --version-id v2
check "iam attach-role-policy, list-attached-role-policies, get-policy counts it, list-entities-for-policy names the role" \
  'iam attach-role-policy --role-name "$iam_role" --policy-arn "$iam_mp_arn" &&
   iam list-attached-role-policies --role-name "$iam_role" --query "AttachedPolicies[].PolicyName" --output text | grep -qx "$iam_mp_name" &&
   iam get-policy --policy-arn "$iam_mp_arn" --query Policy.AttachmentCount --output text | grep -qx 1 &&
   iam list-entities-for-policy --policy-arn "$iam_mp_arn" --query "PolicyRoles[].RoleName" --output text | grep -qx "$iam_role"'
check "iam list-policies --scope Local --only-attached lists it, --scope AWS lists none of it" \
  'iam list-policies --scope Local --only-attached --path-prefix /cli/ --query "Policies[].PolicyName" --output text | grep -qw "$iam_mp_name" &&
   ! iam list-policies --scope AWS --query "Policies[].PolicyName" --output text | grep -qw "$iam_mp_name"'
expect_error "iam delete-policy while attached is refused" DeleteConflict iam delete-policy --policy-arn "$iam_mp_arn"
check "iam put-role-permissions-boundary shows in get-role; the boundary cuts the inline allow in simulate-principal-policy" \
  'iam put-role-permissions-boundary --role-name "$iam_role" --permissions-boundary "$iam_mp_arn" &&
   iam get-role --role-name "$iam_role" --query Role.PermissionsBoundary.PermissionsBoundaryArn --output text | grep -qx "$iam_mp_arn" &&
   iam simulate-principal-policy --policy-source-arn "$iam_role_arn" --action-names s3:GetObject s3:ListBucket \
     --resource-arns "arn:aws:s3:::bucket/private/$iam_sim_sub/a.txt" \
     --context-entries "ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=$iam_sim_sub,ContextKeyType=string" \
     --query "EvaluationResults[].[EvalActionName, EvalDecision]" --output text | tr "\n" ";" | grep -qP "^s3:GetObject\timplicitDeny;s3:ListBucket\tallowed;$"'
expect_error "iam put-role-permissions-boundary with an unknown policy" NoSuchEntity \
  iam put-role-permissions-boundary --role-name "$iam_role" --permissions-boundary "${iam_mp_arn%%:policy/*}:policy/nope-$iam_suffix"
check "iam delete-role-permissions-boundary, detach-role-policy, delete-policy-version and delete-policy" \
  'iam delete-role-permissions-boundary --role-name "$iam_role" &&
   [ "$(iam get-role --role-name "$iam_role" --query Role.PermissionsBoundary --output text)" = "None" ] &&
   iam detach-role-policy --role-name "$iam_role" --policy-arn "$iam_mp_arn" &&
   iam delete-policy-version --policy-arn "$iam_mp_arn" --version-id v1 && iam delete-policy --policy-arn "$iam_mp_arn"'
expect_error "iam get-policy of the deleted policy" NoSuchEntity iam get-policy --policy-arn "$iam_mp_arn"
check "iam delete-role-policy and delete-role" \
  'iam delete-role-policy --role-name "$iam_role" --policy-name read-own && iam delete-role --role-name "$iam_role"'
expect_error "iam get-role of the deleted role" NoSuchEntity iam get-role --role-name "$iam_role"
rm -f "$iam_trust" "$iam_policy" "$iam_saml"

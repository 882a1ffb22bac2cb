# CSV user import with the AWS CLI v2 and curl (sourced by cli.sh): create a job, upload the file to the pre-signed URL
# Portal serves, start it, describe until it has succeeded, with one bad row counted and logged.
import_pool=$(cli create-user-pool --pool-name "cli-import-$(date +%s%N | tail -c 9)" --auto-verified-attributes email --query UserPool.Id --output text 2>&1)
import_csv=$(mktemp)
import_role="arn:aws:iam::000000000000:role/CognitoImportLogs"

check "get-csv-header lists the pool's attributes and the cognito: columns" \
  'cli get-csv-header --user-pool-id "$import_pool" --query CSVHeader --output text | tr "\t" "\n" > "$import_csv.header" \
   && grep -qx email "$import_csv.header" && grep -qx "cognito:username" "$import_csv.header" && grep -qx "cognito:mfa_enabled" "$import_csv.header" \
   && ! grep -qx sub "$import_csv.header"'
{
  cli get-csv-header --user-pool-id "$import_pool" --query CSVHeader --output text | tr '\t' ','
} > "$import_csv" 2>/dev/null
# One row per header column: the values where the header has email, email_verified, cognito:username, cognito:mfa_enabled.
import_row() { # import_row USERNAME EMAIL EMAIL_VERIFIED
  local IFS=,; local out=()
  for col in $(head -1 "$import_csv"); do
    case "$col" in
      cognito:username) out+=("$1");; email) out+=("$2");; email_verified) out+=("$3");; cognito:mfa_enabled) out+=(false);; *) out+=("");;
    esac
  done
  echo "${out[*]}"
}
{ import_row ann ann@example.com true; import_row ben ben@example.com true; import_row bad "" false; } >> "$import_csv"

expect_error "create-user-import-job without a CloudWatch Logs role" "cloud-watch-logs-role-arn\|CloudWatchLogsRoleArn" \
  cli create-user-import-job --user-pool-id "$import_pool" --job-name first
import_job=$(cli create-user-import-job --user-pool-id "$import_pool" --job-name first --cloud-watch-logs-role-arn "$import_role" \
  --query "UserImportJob.[JobId,PreSignedUrl,Status]" --output text 2>&1)
import_id=$(cut -f1 <<<"$import_job"); import_url=$(cut -f2 <<<"$import_job")
check "create-user-import-job answers a Created job with a pre-signed URL" '[ "$(cut -f3 <<<"$import_job")" = Created ] && [[ "$import_id" == import-* ]] && [[ "$import_url" == http* ]]'
expect_error "start-user-import-job before the upload" PreconditionNotMetException \
  cli start-user-import-job --user-pool-id "$import_pool" --job-id "$import_id"
check "curl uploads the file to the pre-signed URL" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" -T "$import_csv" -H "x-amz-server-side-encryption:aws:kms" "$import_url")" = 200 ]'
check "the pre-signed URL takes one upload" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" -T "$import_csv" "$import_url")" = 403 ]'
check "start-user-import-job starts the job" \
  '[[ "$(cli start-user-import-job --user-pool-id "$import_pool" --job-id "$import_id" --query UserImportJob.Status --output text)" =~ ^(Pending|InProgress|Succeeded)$ ]]'
import_status=""
for _ in $(seq 1 60); do
  import_status=$(cli describe-user-import-job --user-pool-id "$import_pool" --job-id "$import_id" \
    --query "UserImportJob.[Status,ImportedUsers,SkippedUsers,FailedUsers]" --output text 2>&1)
  [[ "$import_status" == Succeeded* || "$import_status" == Failed* ]] && break
  sleep 0.5
done
check "describe-user-import-job: Succeeded, 2 imported, the bad row failed" '[ "$import_status" = "Succeeded${users_tab:-	}2${users_tab:-	}0${users_tab:-	}1" ]'
check "imported users are RESET_REQUIRED with their attributes" \
  '[ "$(cli admin-get-user --user-pool-id "$import_pool" --username ann --query "[UserStatus, UserAttributes[?Name==\`email\`].Value | [0]]" --output text)" = "RESET_REQUIRED${users_tab:-	}ann@example.com" ]'
expect_error "an imported user must reset the password" PasswordResetRequiredException \
  cli admin-initiate-auth --user-pool-id "$import_pool" --client-id "$(cli create-user-pool-client --user-pool-id "$import_pool" --client-name imp \
    --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text 2>/dev/null)" \
    --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters USERNAME=ann,PASSWORD=Whatever-1x
check "list-user-import-jobs lists the job" \
  '[ "$(cli list-user-import-jobs --user-pool-id "$import_pool" --max-results 10 --query "UserImportJobs[0].[JobId,Status]" --output text)" = "$import_id${users_tab:-	}Succeeded" ]'
expect_error "stop-user-import-job of a finished job" PreconditionNotMetException \
  cli stop-user-import-job --user-pool-id "$import_pool" --job-id "$import_id"
expect_error "describe-user-import-job of an unknown job" ResourceNotFoundException \
  cli describe-user-import-job --user-pool-id "$import_pool" --job-id import-Nonexistent0
rm -f "$import_csv" "$import_csv.header"

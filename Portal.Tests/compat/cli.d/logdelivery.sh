# Log delivery with the AWS CLI v2 (sourced by cli.sh): set, get and clear a pool's log configuration, and Cognito's
# errors for what it refuses. (Delivery itself is tested against real destinations in Portal.Tests/LogDelivery.)
logs_pool=$(cli create-user-pool --pool-name "cli-logs-$(date +%s%N | tail -c 9)" --user-pool-tier PLUS --query UserPool.Id --output text 2>&1)
logs_group="arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/cli-notifications"
logs_bucket="arn:aws:s3:::cli-activity-logs"

check "get-log-delivery-configuration of a pool without logs answers an empty list" \
  '[ "$(cli get-log-delivery-configuration --user-pool-id "$logs_pool" --query "[LogDeliveryConfiguration.UserPoolId, length(LogDeliveryConfiguration.LogConfigurations)]" --output text)" = "$logs_pool${users_tab:-	}0" ]'
check "set-log-delivery-configuration sets notification errors to CloudWatch Logs and user activity to S3" \
  '[ "$(cli set-log-delivery-configuration --user-pool-id "$logs_pool" --log-configurations \
      "[{\"EventSource\":\"userNotification\",\"LogLevel\":\"ERROR\",\"CloudWatchLogsConfiguration\":{\"LogGroupArn\":\"$logs_group\"}},{\"EventSource\":\"userAuthEvents\",\"LogLevel\":\"INFO\",\"S3Configuration\":{\"BucketArn\":\"$logs_bucket\"}}]" \
      --query "length(LogDeliveryConfiguration.LogConfigurations)" --output text)" = 2 ]'
check "get-log-delivery-configuration answers what was set" \
  '[ "$(cli get-log-delivery-configuration --user-pool-id "$logs_pool" --query "LogDeliveryConfiguration.LogConfigurations[].[EventSource,LogLevel,CloudWatchLogsConfiguration.LogGroupArn||S3Configuration.BucketArn]" --output text | tr "\t\n" "| ")" = "userNotification|ERROR|$logs_group userAuthEvents|INFO|$logs_bucket " ]'
expect_error "userNotification logs at INFO" InvalidParameterException \
  cli set-log-delivery-configuration --user-pool-id "$logs_pool" --log-configurations \
  "[{\"EventSource\":\"userNotification\",\"LogLevel\":\"INFO\",\"CloudWatchLogsConfiguration\":{\"LogGroupArn\":\"$logs_group\"}}]"
expect_error "a log group ARN that is not an ARN" InvalidParameterException \
  cli set-log-delivery-configuration --user-pool-id "$logs_pool" --log-configurations \
  '[{"EventSource":"userAuthEvents","LogLevel":"INFO","CloudWatchLogsConfiguration":{"LogGroupArn":"not-an-arn-of-a-log-group"}}]'
expect_error "an unknown event source" "InvalidParameterException\|ParamValidation\|userAuthEvents" \
  cli set-log-delivery-configuration --user-pool-id "$logs_pool" --log-configurations \
  "[{\"EventSource\":\"signIns\",\"LogLevel\":\"INFO\",\"CloudWatchLogsConfiguration\":{\"LogGroupArn\":\"$logs_group\"}}]"
logs_lite=$(cli create-user-pool --pool-name "cli-logs-lite-$(date +%s%N | tail -c 9)" --user-pool-tier ESSENTIALS --query UserPool.Id --output text 2>&1)
expect_error "user activity logs outside the Plus plan" FeatureUnavailableInTierException \
  cli set-log-delivery-configuration --user-pool-id "$logs_lite" --log-configurations \
  "[{\"EventSource\":\"userAuthEvents\",\"LogLevel\":\"INFO\",\"S3Configuration\":{\"BucketArn\":\"$logs_bucket\"}}]"
check "set-log-delivery-configuration with an empty list turns logging off" \
  'cli set-log-delivery-configuration --user-pool-id "$logs_pool" --log-configurations "[]" > /dev/null \
   && [ "$(cli get-log-delivery-configuration --user-pool-id "$logs_pool" --query "length(LogDeliveryConfiguration.LogConfigurations)" --output text)" = 0 ]'
expect_error "get-log-delivery-configuration of an unknown pool" ResourceNotFoundException \
  cli get-log-delivery-configuration --user-pool-id us-east-1_Nonexist0

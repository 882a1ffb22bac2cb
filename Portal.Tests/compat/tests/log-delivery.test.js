// Log delivery configuration as the SDK v3 sends it: SetLogDeliveryConfiguration and GetLogDeliveryConfiguration round
// trip, and what Cognito refuses is refused with its error names. (Delivery to real destinations: Portal.Tests/LogDelivery.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, GetLogDeliveryConfigurationCommand, SetLogDeliveryConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, unique } from './portal.js';

const logGroup = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/sdk-v3';
const stream = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/sdk-v3-activity';

test('SDK v3: SetLogDeliveryConfiguration and GetLogDeliveryConfiguration round trip; Cognito\'s errors', async () => {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('sdk-logs'), UserPoolTier: 'PLUS' }));
  const LogConfigurations = [
    { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: logGroup } },
    { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: stream } },
  ];
  const set = await admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id, LogConfigurations }));
  assert.deepEqual(set.LogDeliveryConfiguration, { UserPoolId: UserPool.Id, LogConfigurations });
  const got = await admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id }));
  assert.deepEqual(got.LogDeliveryConfiguration, set.LogDeliveryConfiguration);

  await assert.rejects(admin.send(new SetLogDeliveryConfigurationCommand({
    UserPoolId: UserPool.Id,
    LogConfigurations: [{ EventSource: 'userNotification', LogLevel: 'ERROR', FirehoseConfiguration: { StreamArn: stream } }],
  })), (e) => e.name === 'InvalidParameterException');
  const { UserPool: essentials } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('sdk-logs'), UserPoolTier: 'ESSENTIALS' }));
  await assert.rejects(admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: essentials.Id, LogConfigurations: [LogConfigurations[1]] })),
    (e) => e.name === 'FeatureUnavailableInTierException');
  await assert.rejects(admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: 'us-east-1_Nonexist0' })),
    (e) => e.name === 'ResourceNotFoundException');

  await admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id, LogConfigurations: [] }));
  assert.deepEqual((await admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: UserPool.Id }))).LogDeliveryConfiguration.LogConfigurations, []);
});

// Cognito Sync with the real @aws-sdk/client-cognito-sync (REST-JSON, SigV4 for cognito-sync) signed with credentials
// from @aws-sdk/credential-providers' fromCognitoIdentityPool, as a device gets them: each identity lists, reads and
// writes its own datasets, incrementally and with conflicts on stale counts; another identity's dataset is refused
// (403 NotAuthorizedException); pool-level calls take developer credentials.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand, ListDatasetsCommand, DescribeDatasetCommand, DeleteDatasetCommand,
  DescribeIdentityUsageCommand, DescribeIdentityPoolUsageCommand, SetIdentityPoolConfigurationCommand, GetIdentityPoolConfigurationCommand,
  SetCognitoEventsCommand, GetCognitoEventsCommand, ListIdentityPoolUsageCommand,
} from '@aws-sdk/client-cognito-sync';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { identityPool, query } from './identity-kit.js';
import { credentials, endpoint, region, unique } from './portal.js';

let IdentityPoolId;
const developer = new CognitoSyncClient({ endpoint, region, credentials, maxAttempts: 1 });

/** A device: a guest identity's own credentials (fromCognitoIdentityPool) and a Cognito Sync client signed with them. */
async function device() {
  // Each device its own identity: the provider keeps identity ids per userIdentifier in its (in-memory) cache.
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('device') });
  const creds = await provider();
  const client = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  return { client, IdentityId: creds.identityId };
}

before(async () => {
  const made = await identityPool(null);
  IdentityPoolId = made.IdentityPoolId;
  // The documented per-identity policy: cognito-sync:* on the identity's own datasets only.
  const policy = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: ['cognito-sync:*'],
      Resource: [`arn:aws:cognito-sync:${region}:000000000000:identitypool/\${cognito-identity.amazonaws.com:aud}/identity/\${cognito-identity.amazonaws.com:sub}/*`],
    }],
  };
  const put = await query('iam', { Action: 'PutRolePolicy', RoleName: made.guest.RoleName, PolicyName: 'sync', PolicyDocument: JSON.stringify(policy) }, credentials);
  assert.equal(put.status, 200, put.text);
});

test('a device writes records and reads back only what changed since its last sync', async () => {
  const { client, IdentityId } = await device();
  const at = { IdentityPoolId, IdentityId, DatasetName: 'settings' };
  const first = await client.send(new ListRecordsCommand({ ...at, LastSyncCount: 0 }));
  assert.equal(first.DatasetExists, false);
  assert.equal(first.DatasetSyncCount, 0);

  const edited = new Date('2026-01-02T03:04:05Z');
  const written = await client.send(new UpdateRecordsCommand({
    ...at, SyncSessionToken: first.SyncSessionToken, DeviceId: 'phone',
    RecordPatches: [
      { Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0, DeviceLastModifiedDate: edited },
      { Op: 'replace', Key: 'volume', Value: '7', SyncCount: 0 },
    ],
  }));
  assert.equal(written.Records.length, 2);
  const theme = written.Records.find((r) => r.Key === 'theme');
  assert.equal(theme.SyncCount, 1);
  assert.equal(theme.DeviceLastModifiedDate.toISOString(), edited.toISOString());

  const again = await client.send(new ListRecordsCommand({ ...at, LastSyncCount: 1 }));
  assert.equal(again.Count, 0);
  const session = again.SyncSessionToken;
  await client.send(new UpdateRecordsCommand({
    ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'remove', Key: 'theme', SyncCount: 1 }, { Op: 'replace', Key: 'volume', Value: '9', SyncCount: 1 }],
  }));
  const changed = await client.send(new ListRecordsCommand({ ...at, LastSyncCount: 1 }));
  assert.equal(changed.DatasetSyncCount, 2);
  assert.deepEqual(changed.Records.map((r) => [r.Key, r.Value, r.SyncCount]).sort(), [['theme', undefined, 2], ['volume', '9', 2]]);

  const listed = await client.send(new ListDatasetsCommand({ IdentityPoolId, IdentityId }));
  assert.deepEqual(listed.Datasets.map((d) => [d.DatasetName, d.NumRecords, d.DataStorage]), [['settings', 1, 'volume9'.length]]);
  const described = await client.send(new DescribeDatasetCommand(at));
  assert.ok(described.Dataset.CreationDate instanceof Date);
  const usage = await client.send(new DescribeIdentityUsageCommand({ IdentityPoolId, IdentityId }));
  assert.equal(usage.IdentityUsage.DatasetCount, 1);
});

test('a stale SyncCount is ResourceConflictException (409) and nothing of the request is applied', async () => {
  const { client, IdentityId } = await device();
  const at = { IdentityPoolId, IdentityId, DatasetName: 'game' };
  let session = (await client.send(new ListRecordsCommand(at))).SyncSessionToken;
  await client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'replace', Key: 'level', Value: '3', SyncCount: 0 }] }));
  session = (await client.send(new ListRecordsCommand(at))).SyncSessionToken;
  await assert.rejects(
    client.send(new UpdateRecordsCommand({
      ...at, SyncSessionToken: session,
      RecordPatches: [{ Op: 'replace', Key: 'coins', Value: '10', SyncCount: 0 }, { Op: 'replace', Key: 'level', Value: '4', SyncCount: 0 }],
    })),
    (e) => e.name === 'ResourceConflictException' && e.$metadata.httpStatusCode === 409 && e.message === 'Current SyncCount for: level is: 1',
  );
  const records = (await client.send(new ListRecordsCommand(at))).Records;
  assert.deepEqual(records.map((r) => [r.Key, r.Value]), [['level', '3']]);
});

test('one identity is refused on another identity\'s dataset (403), as are pool-level calls with its credentials', async () => {
  const alice = await device();
  const bob = await device();
  const at = { IdentityPoolId, IdentityId: alice.IdentityId, DatasetName: 'diary' };
  const session = (await alice.client.send(new ListRecordsCommand(at))).SyncSessionToken;
  await alice.client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'replace', Key: 'secret', Value: 's3', SyncCount: 0 }] }));

  const refused = (e) => e.name === 'NotAuthorizedException' && e.$metadata.httpStatusCode === 403;
  await assert.rejects(bob.client.send(new ListRecordsCommand(at)), refused);
  await assert.rejects(bob.client.send(new ListDatasetsCommand({ IdentityPoolId, IdentityId: alice.IdentityId })), refused);
  await assert.rejects(bob.client.send(new DeleteDatasetCommand(at)), refused);
  await assert.rejects(bob.client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'replace', Key: 'secret', Value: 'x', SyncCount: 1 }] })), refused);
  await assert.rejects(bob.client.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId })), refused);

  // Developer credentials reach every identity's data and the pool's usage and configuration.
  const read = await developer.send(new ListRecordsCommand(at));
  assert.deepEqual(read.Records.map((r) => [r.Key, r.Value]), [['secret', 's3']]);
  const usage = await developer.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId }));
  assert.ok(usage.IdentityPoolUsage.DataStorage >= 'secrets3'.length);
  assert.ok(usage.IdentityPoolUsage.SyncSessionsCount >= 1);
  const pools = await developer.send(new ListIdentityPoolUsageCommand({ MaxResults: 60 }));
  assert.ok(pools.Count >= 1);
});

test('the pool\'s configuration and events are stored and returned as given', async () => {
  const CognitoStreams = { StreamName: 'sync-changes', RoleArn: 'arn:aws:iam::000000000000:role/streams', StreamingStatus: 'DISABLED' };
  const set = await developer.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, CognitoStreams }));
  assert.deepEqual(set.CognitoStreams, CognitoStreams);
  const got = await developer.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId }));
  assert.deepEqual(got.CognitoStreams, CognitoStreams);
  await developer.send(new SetCognitoEventsCommand({ IdentityPoolId, Events: { SyncTrigger: 'arn:aws:lambda:us-east-1:000000000000:function:sync' } }));
  assert.deepEqual((await developer.send(new GetCognitoEventsCommand({ IdentityPoolId }))).Events, { SyncTrigger: 'arn:aws:lambda:us-east-1:000000000000:function:sync' });
  // SyncTrigger runs before every UpdateRecords and this ARN names no function: removed (an empty ARN, as Cognito
  // clears an event) before the next tests write.
  await developer.send(new SetCognitoEventsCommand({ IdentityPoolId, Events: { SyncTrigger: '' } }));
  assert.equal((await developer.send(new GetCognitoEventsCommand({ IdentityPoolId }))).Events?.SyncTrigger ?? '', '');
});

test('limits: the 21st dataset is LimitExceededException, a bad dataset name InvalidParameterException', async () => {
  const { client, IdentityId } = await device();
  for (let i = 0; i < 20; i++) {
    const at = { IdentityPoolId, IdentityId, DatasetName: `d${i}` };
    const session = (await client.send(new ListRecordsCommand(at))).SyncSessionToken;
    await client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }] }));
  }
  const at = { IdentityPoolId, IdentityId, DatasetName: 'd20' };
  const session = (await client.send(new ListRecordsCommand(at))).SyncSessionToken;
  await assert.rejects(
    client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken: session, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }] })),
    (e) => e.name === 'LimitExceededException' && e.$metadata.httpStatusCode === 400,
  );
  assert.equal((await client.send(new ListDatasetsCommand({ IdentityPoolId, IdentityId }))).Count, 20);
  await assert.rejects(client.send(new ListRecordsCommand({ IdentityPoolId, IdentityId, DatasetName: 'no spaces!' })), (e) => e.name === 'InvalidParameterException');
});

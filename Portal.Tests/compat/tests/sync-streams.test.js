// Cognito Streams with real clients: the pool's CognitoStreams is set with @aws-sdk/client-cognito-sync on developer
// credentials, an identity changes its dataset with its own credentials (fromCognitoIdentityPool), and the change is read
// back from a real Kinesis-compatible server (npm kinesalite, started here on the port test.sh gave Portal as its
// Portal:Sync:Kinesis:Endpoint) with @aws-sdk/client-kinesis, in the record format Cognito Streams documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as pause } from 'node:timers/promises';
import kinesalite from 'kinesalite';
import {
  CognitoSyncClient, GetIdentityPoolConfigurationCommand, ListRecordsCommand, SetIdentityPoolConfigurationCommand, UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import {
  KinesisClient, CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand,
} from '@aws-sdk/client-kinesis';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { identityPool, query } from './identity-kit.js';
import { credentials, endpoint, region, unique } from './portal.js';

const kinesisPort = Number(process.env.PORTAL_KINESIS_PORT);
let server;
let kinesis;
let IdentityPoolId;
let StreamName;
let iterator;
const seen = [];

before(async () => {
  assert.ok(kinesisPort > 0, 'PORTAL_KINESIS_PORT is the port of Portal:Sync:Kinesis:Endpoint (test.sh sets both)');
  server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(kinesisPort, '127.0.0.1', resolve); });
  // The SDK's Kinesis client speaks HTTP/2 by default (for SubscribeToShard); kinesalite serves HTTP/1.1.
  kinesis = new KinesisClient({ endpoint: `http://127.0.0.1:${kinesisPort}`, region, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  StreamName = unique('cognito-streams');
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  const shard = (await kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription.Shards[0].ShardId;
  iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;

  const made = await identityPool(null);
  IdentityPoolId = made.IdentityPoolId;
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

after(async () => {
  kinesis?.destroy();
  if (server) await new Promise((resolve) => server.close(resolve));
});

/** Reads the stream (from where the last read stopped) until `done` holds of everything read so far, 30 s at most. */
async function readUntil(done) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    iterator = page.NextShardIterator;
    for (const r of page.Records) seen.push({ partitionKey: r.PartitionKey, data: JSON.parse(Buffer.from(r.Data).toString('utf8')) });
    if (done(seen)) return seen;
    assert.ok(Date.now() < deadline, `the stream held ${JSON.stringify(seen)} after 30 s`);
    // Portal's publisher polls its outbox every second: read again a little later.
    if (page.Records.length === 0) await pause(100);
  }
}

test('an identity\'s changes, made with its own credentials, reach the pool\'s Kinesis stream as Cognito Streams documents them', async () => {
  const developer = new CognitoSyncClient({ endpoint, region, credentials, maxAttempts: 1 });
  const CognitoStreams = { StreamName, RoleArn: 'arn:aws:iam::000000000000:role/cognito-streams', StreamingStatus: 'ENABLED' };
  const set = await developer.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId, CognitoStreams }));
  assert.deepEqual(set.CognitoStreams, CognitoStreams);
  assert.deepEqual((await developer.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId }))).CognitoStreams, CognitoStreams);

  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('streams') });
  const { identityId: IdentityId } = await provider();
  const phone = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  const at = { IdentityPoolId, IdentityId, DatasetName: 'settings' };

  const edited = new Date(1_700_000_000_000);
  const first = await phone.send(new ListRecordsCommand({ ...at, LastSyncCount: 0 }));
  await phone.send(new UpdateRecordsCommand({
    ...at, SyncSessionToken: first.SyncSessionToken,
    RecordPatches: [
      { Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0, DeviceLastModifiedDate: edited },
      { Op: 'replace', Key: 'volume', Value: '7', SyncCount: 0 },
    ],
  }));
  const second = await phone.send(new ListRecordsCommand({ ...at, LastSyncCount: 1 }));
  await phone.send(new UpdateRecordsCommand({
    ...at, SyncSessionToken: second.SyncSessionToken, RecordPatches: [{ Op: 'remove', Key: 'theme', SyncCount: 1 }],
  }));

  const records = (await readUntil((all) => all.filter((r) => r.data.identityPoolId === IdentityPoolId).length >= 2))
    .filter((r) => r.data.identityPoolId === IdentityPoolId);
  assert.equal(records.length, 2);
  for (const r of records) assert.equal(r.partitionKey, IdentityId);

  const [replaced, removed] = records.map((r) => r.data);
  assert.deepEqual(Object.keys(replaced).sort(), ['dataSetName', 'identityId', 'identityPoolId', 'kinesisSyncRecords', 'kinesisSyncRecordsURL',
    'lastModifiedDate', 'operation', 'payloadType', 'syncCount', 'version']);
  assert.equal(replaced.identityPoolId, IdentityPoolId);
  assert.equal(replaced.identityId, IdentityId);
  assert.equal(replaced.dataSetName, 'settings');
  assert.equal(replaced.operation, 'replace');
  assert.equal(replaced.payloadType, 'Inline');
  assert.equal(replaced.kinesisSyncRecordsURL, null);
  assert.equal(replaced.syncCount, 1);
  assert.equal(replaced.version, 2);
  assert.ok(replaced.lastModifiedDate > 1_700_000_000_000, 'lastModifiedDate in epoch milliseconds');
  const byKey = Object.fromEntries(replaced.kinesisSyncRecords.map((r) => [r.key, r]));
  assert.deepEqual(Object.keys(byKey).sort(), ['theme', 'volume']);
  assert.deepEqual(Object.keys(byKey.theme).sort(), ['deviceLastModifiedDate', 'key', 'lastModifiedDate', 'op', 'syncCount', 'value']);
  assert.equal(byKey.theme.value, 'dark');
  assert.equal(byKey.theme.op, 'replace');
  assert.equal(byKey.theme.syncCount, 1);
  assert.equal(byKey.theme.deviceLastModifiedDate, 1_700_000_000_000);
  assert.equal(byKey.volume.value, '7');

  assert.equal(removed.operation, 'remove');
  assert.equal(removed.syncCount, 2);
  assert.equal(removed.kinesisSyncRecords.length, 1);
  assert.equal(removed.kinesisSyncRecords[0].key, 'theme');
  assert.equal(removed.kinesisSyncRecords[0].op, 'remove');
  assert.equal(removed.kinesisSyncRecords[0].value, null);
  assert.equal(removed.kinesisSyncRecords[0].syncCount, 2);
});

test('the identity\'s own credentials cannot change the pool\'s stream configuration', async () => {
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('streams') });
  const own = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  await assert.rejects(own.send(new SetIdentityPoolConfigurationCommand({
    IdentityPoolId, CognitoStreams: { StreamName: unique('other'), RoleArn: 'arn:aws:iam::000000000000:role/x', StreamingStatus: 'ENABLED' },
  })), (e) => e.name === 'NotAuthorizedException' && e.$metadata.httpStatusCode === 403);
  const developer = new CognitoSyncClient({ endpoint, region, credentials, maxAttempts: 1 });
  assert.equal((await developer.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId }))).CognitoStreams.StreamName, StreamName);
});

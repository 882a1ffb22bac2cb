// amazon-cognito-js (the CognitoSyncManager on aws-sdk v2), as an offline-first app uses it, on two simulated devices of
// one identity: each edits offline, then synchronizes; the second device's sync meets a real conflict (both changed the
// same record), its onConflict callback resolves it, and afterwards both devices hold the same merged records.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { identityPool, rolePolicy, syncIdentityPolicy } from './identity-kit.js';
import { endpoint, region } from './portal.js';

const require = createRequire(import.meta.url);
const AWS = require('aws-sdk');
globalThis.AWS = AWS;
require('amazon-cognito-js');

let IdentityPoolId;

before(async () => {
  const made = await identityPool(null);
  IdentityPoolId = made.IdentityPoolId;
  await rolePolicy(made.guest.RoleName, 'sync', syncIdentityPolicy());
  AWS.config.region = region;
  AWS.config.cognitosync = { endpoint };
});

/** A device: its own credentials object (for the identity given, or a new guest identity) and its own in-memory store. */
async function device(identityId) {
  const creds = new AWS.CognitoIdentityCredentials({ IdentityPoolId, ...(identityId ? { IdentityId: identityId } : {}) }, { endpoint, region });
  await creds.getPromise();
  // The manager and its AWS.CognitoSync client take the global configuration's credentials when they are made.
  AWS.config.credentials = creds;
  const manager = new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory });
  return { manager, identityId: creds.identityId };
}

const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
const open = (d, name) => call((cb) => d.manager.openOrCreateDataset(name, cb));
const put = (dataset, key, value) => call((cb) => dataset.put(key, value, cb));
const all = (dataset) => call((cb) => dataset.getAll(cb));

function sync(dataset, onConflict) {
  return new Promise((resolve, reject) => dataset.synchronize({
    onSuccess: (ds, records) => resolve(records),
    onFailure: (err) => reject(err),
    onConflict: onConflict ?? ((ds, conflicts, cb) => cb(false)),
    onDatasetDeleted: (ds, name, cb) => cb(true),
    onDatasetsMerged: (ds, names, cb) => cb(false),
  }));
}

test('two devices edit offline, synchronize, resolve a real conflict in onConflict and end up identical', async () => {
  const phone = await device();
  const tablet = await device(phone.identityId);
  assert.equal(tablet.identityId, phone.identityId);

  const onPhone = await open(phone, 'preferences');
  await put(onPhone, 'color', 'red');
  await sync(onPhone);
  const onTablet = await open(tablet, 'preferences');
  await sync(onTablet);
  assert.deepEqual(await all(onTablet), { color: 'red' });

  // Offline on both: the same record changed differently, and the tablet adds one of its own. (The phone adds none:
  // amazon-cognito-js 1.1.0 keeps only the conflicting records of a pull that meets a conflict and then moves its last
  // sync count past the others, so a record the phone added would reach the tablet only on its next full sync.)
  await put(onPhone, 'color', 'blue');
  await put(onTablet, 'color', 'green');
  await put(onTablet, 'tablet-only', 't');

  await sync(onPhone);
  const seen = [];
  await sync(onTablet, (ds, conflicts, cb) => {
    for (const c of conflicts) seen.push([c.getKey(), c.getRemoteRecord().getValue(), c.getLocalRecord().getValue()]);
    const resolved = conflicts.map((c) => c.resolveWithValue(`${c.getRemoteRecord().getValue()}+${c.getLocalRecord().getValue()}`));
    ds.resolve(resolved, () => cb(true));
  });
  assert.deepEqual(seen, [['color', 'blue', 'green']]);
  await sync(onPhone);

  const expected = { color: 'blue+green', 'tablet-only': 't' };
  assert.deepEqual(await all(onPhone), expected);
  assert.deepEqual(await all(onTablet), expected);

  // What the server holds is the same.
  const remote = await call((cb) => new AWS.CognitoSync({ credentials: AWS.config.credentials }).listRecords({
    IdentityPoolId, IdentityId: phone.identityId, DatasetName: 'preferences',
  }, cb));
  assert.deepEqual(Object.fromEntries(remote.Records.filter((r) => r.Value !== undefined).map((r) => [r.Key, r.Value])), expected);
});

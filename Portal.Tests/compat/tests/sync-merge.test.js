// Identity merges as amazon-cognito-js (the CognitoSyncManager on aws-sdk v2) meets them, on two devices of one person:
// the phone signed in as a developer user, the tablet as another developer user id of the same person, each with its own
// identity and its own "notes". The app's backend links them (MergeDeveloperIdentities): on the phone's next synchronize
// the client's onDatasetsMerged fires with the merged dataset's name as Cognito gives it ({name}.{merged identity id}),
// the app reads that dataset, folds it into its own and deletes it; the tablet, signed in again, lands on the surviving
// identity and reads the same notes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  CreateIdentityPoolCommand, GetOpenIdTokenForDeveloperIdentityCommand, MergeDeveloperIdentitiesCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { identity, query, role } from './identity-kit.js';
import { credentials, endpoint, region, unique } from './portal.js';

const require = createRequire(import.meta.url);
const AWS = require('aws-sdk');
globalThis.AWS = AWS;
require('amazon-cognito-js');

let IdentityPoolId;
const DeveloperProviderName = unique('login.notes').replace(/-/g, '.');

before(async () => {
  const created = await identity.send(new CreateIdentityPoolCommand({
    IdentityPoolName: unique('notes').replace(/-/g, '_'), AllowUnauthenticatedIdentities: false, DeveloperProviderName,
  }));
  IdentityPoolId = created.IdentityPoolId;
  const authenticated = await role(IdentityPoolId, 'authenticated');
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: authenticated.Arn } }));
  const policy = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: ['cognito-sync:*'],
      Resource: [`arn:aws:cognito-sync:${region}:000000000000:identitypool/\${cognito-identity.amazonaws.com:aud}/identity/\${cognito-identity.amazonaws.com:sub}/*`],
    }],
  };
  const put = await query('iam', { Action: 'PutRolePolicy', RoleName: authenticated.RoleName, PolicyName: 'sync', PolicyDocument: JSON.stringify(policy) }, credentials);
  assert.equal(put.status, 200, put.text);
  AWS.config.region = region;
  AWS.config.cognitosync = { endpoint };
});

/** A device signed in as a developer user: the app's backend gets the OpenID token, the device its credentials with it. */
async function device(userId) {
  const token = await identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { [DeveloperProviderName]: userId } }));
  const creds = new AWS.CognitoIdentityCredentials({
    IdentityPoolId, IdentityId: token.IdentityId, Logins: { 'cognito-identity.amazonaws.com': token.Token },
  }, { endpoint, region });
  await creds.getPromise();
  AWS.config.credentials = creds;
  const manager = new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory });
  return { manager, identityId: creds.identityId, creds };
}

const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
const open = (d, name) => call((cb) => d.manager.openOrCreateDataset(name, cb));
const put = (dataset, key, value) => call((cb) => dataset.put(key, value, cb));
const all = (dataset) => call((cb) => dataset.getAll(cb));
// amazon-cognito-js 1.x has no dataset.delete(): its local store marks the dataset deleted (last sync count -1) and the
// next synchronize deletes it on the server (DeleteDataset) and purges it locally.
const remove = (dataset) => call((cb) => dataset.local.deleteDataset(dataset.getIdentityId(), dataset.datasetName, cb));

function sync(dataset, onDatasetsMerged) {
  return new Promise((resolve, reject) => dataset.synchronize({
    onSuccess: (ds, records) => resolve(records),
    onFailure: (err) => reject(err),
    onConflict: (ds, conflicts, cb) => cb(false),
    onDatasetDeleted: (ds, name, cb) => cb(true),
    onDatasetsMerged: onDatasetsMerged ?? ((ds, names, cb) => reject(new Error(`unexpected merge of ${names}`))),
  }));
}

test('after an identity merge the phone\'s next synchronize calls onDatasetsMerged and the app folds the merged notes in', async () => {
  const person = unique('lin');
  const phone = await device(person);
  const tablet = await device(`${person}-tablet`);
  assert.notEqual(tablet.identityId, phone.identityId);

  const onPhone = await open(phone, 'notes');
  await put(onPhone, 'groceries', 'milk');
  await sync(onPhone);
  const onTablet = await open(tablet, 'notes');
  await put(onTablet, 'ideas', 'a garden');
  await put(onTablet, 'groceries', 'bread');
  await sync(onTablet);

  // The backend learns both user ids are one person and merges the tablet's identity into the phone's.
  const merged = await identity.send(new MergeDeveloperIdentitiesCommand({
    IdentityPoolId, DeveloperProviderName, SourceUserIdentifier: `${person}-tablet`, DestinationUserIdentifier: person,
  }));
  assert.equal(merged.IdentityId, phone.identityId);

  await put(onPhone, 'todo', 'call mum');
  const seen = [];
  let failed;
  // amazon-cognito-js 1.1.0 continues a synchronize whose onDatasetsMerged answered true with a method it does not have
  // (_synchronizeInternal): an app handles the merge in the callback, answers false (the library then reports
  // "Cancelled due to .onDatasetsMerged result.") and synchronizes again.
  await assert.rejects(sync(onPhone, (ds, names, cb) => {
    seen.push(...names);
    (async () => {
      for (const name of names) {
        // The app reads the merged dataset, keeps what it lacks (its own value first on a clash), then deletes it.
        const other = await open(phone, name);
        await sync(other);
        const mine = await all(ds);
        for (const [key, value] of Object.entries(await all(other))) {
          await put(ds, key, key in mine ? `${mine[key]}, ${value}` : value);
        }
        await remove(other);
        await sync(other);
      }
    })().then(() => cb(false), (err) => { failed = err; cb(false); });
  }), (err) => {
    if (failed) throw failed;
    return /Cancelled due to \.onDatasetsMerged result/.test(err.message);
  });
  await sync(onPhone);
  assert.deepEqual(seen, [`notes.${tablet.identityId}`]);

  const expected = { groceries: 'milk, bread', ideas: 'a garden', todo: 'call mum' };
  assert.deepEqual(await all(onPhone), expected);
  // The next synchronize meets no merge any more (the merged dataset is gone) and changes nothing.
  await sync(onPhone);
  assert.deepEqual(await all(onPhone), expected);
  const datasets = await call((cb) => new AWS.CognitoSync({ credentials: phone.creds }).listDatasets({ IdentityPoolId, IdentityId: phone.identityId }, cb));
  assert.deepEqual(datasets.Datasets.map((d) => d.DatasetName), ['notes']);

  // The tablet signs in again: its user id now names the phone's identity, whose notes it syncs.
  const again = await device(`${person}-tablet`);
  assert.equal(again.identityId, phone.identityId);
  const onTabletAgain = await open(again, 'notes');
  await sync(onTabletAgain);
  assert.deepEqual(await all(onTabletAgain), expected);
});

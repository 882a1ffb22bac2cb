// Push sync with the real @aws-sdk/client-cognito-sync, signed with an identity's own credentials: two browsers of one
// identity register (RegisterDevice, Portal's WEB_PUSH platform: the token is the PushSubscription JSON) and subscribe to
// a dataset (SubscribeToDataset); a change from one reaches the other as a Web Push message that this test's push service
// receives, checks (VAPID JWT, RFC 8292) and decrypts (aes128gcm, RFC 8291) with node's own crypto; the browser that made
// the change hears nothing. Mobile platforms without the pool's PushSync answer InvalidConfigurationException.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import {
  CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand, RegisterDeviceCommand, SubscribeToDatasetCommand, UnsubscribeFromDatasetCommand,
} from '@aws-sdk/client-cognito-sync';
import { fromCognitoIdentityPool, fromCognitoIdentity } from '@aws-sdk/credential-providers';
import { identityPool, query } from './identity-kit.js';
import { credentials, endpoint, region, unique } from './portal.js';

let IdentityPoolId;
let server;
let pushUrl;
const received = [];
const waiters = [];
const browsers = new Map();

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function newBrowser() {
  const name = unique('browser');
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const browser = { name, ecdh, publicKey: ecdh.getPublicKey(), auth: crypto.randomBytes(16) };
  browser.subscription = JSON.stringify({ endpoint: `${pushUrl}/push/${name}`, expirationTime: null, keys: { p256dh: b64url(browser.publicKey), auth: b64url(browser.auth) } });
  browsers.set(name, browser);
  return browser;
}

/** RFC 8291 / 8188: one aes128gcm record, decrypted with the browser's key and auth secret. */
function decrypt(body, browser) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = browser.ecdh.computeSecret(senderKey);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', shared, browser.auth, Buffer.concat([Buffer.from('WebPush: info\0'), browser.publicKey, senderKey]), 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  const end = plain.lastIndexOf(2);
  assert.ok(end >= 0 && plain.subarray(end + 1).every((x) => x === 0), 'padding delimiter');
  return JSON.parse(plain.subarray(0, end).toString('utf8'));
}

/** RFC 8292: Authorization: vapid t=<ES256 JWT>, k=<public key>; answers the claims and the key, or throws. */
function vapid(header) {
  assert.match(header ?? '', /^vapid /);
  const params = Object.fromEntries(header.slice(6).split(',').map((p) => p.trim().split(/=(.*)/s).slice(0, 2)));
  const point = Buffer.from(params.k, 'base64url');
  const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) }, format: 'jwk' });
  const [h, p, s] = params.t.split('.');
  assert.equal(JSON.parse(Buffer.from(h, 'base64url')).alg, 'ES256');
  assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')), 'VAPID signature');
  return { claims: JSON.parse(Buffer.from(p, 'base64url')), k: params.k };
}

function arrival(match) {
  const found = received.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiters.push({ match, resolve }));
}

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const name = req.url.split('/').pop();
        const browser = browsers.get(name);
        if (!browser) { res.writeHead(410).end(); return; }
        assert.equal(req.headers['content-encoding'], 'aes128gcm');
        const { claims, k } = vapid(req.headers.authorization);
        const message = { browser: name, payload: decrypt(Buffer.concat(chunks), browser), claims, k };
        received.push(message);
        for (const w of waiters.splice(0)) { if (w.match(message)) w.resolve(message); else waiters.push(w); }
        res.writeHead(201).end();
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  pushUrl = `http://127.0.0.1:${server.address().port}`;

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

after(() => server?.close());

test('a change from one browser reaches the identity\'s other browser as a decrypted Web Push message, not itself', async () => {
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('push') });
  const { identityId: IdentityId } = await provider();
  const laptop = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  const phone = new CognitoSyncClient({ endpoint, region, maxAttempts: 1, credentials: fromCognitoIdentity({ identityId: IdentityId, clientConfig: { endpoint, region } }) });
  const at = { IdentityPoolId, IdentityId };

  const [a, b] = [newBrowser(), newBrowser()];
  const { DeviceId: deviceA } = await laptop.send(new RegisterDeviceCommand({ ...at, Platform: 'WEB_PUSH', Token: a.subscription }));
  const { DeviceId: deviceB } = await phone.send(new RegisterDeviceCommand({ ...at, Platform: 'WEB_PUSH', Token: b.subscription }));
  assert.notEqual(deviceA, deviceB);
  await laptop.send(new SubscribeToDatasetCommand({ ...at, DatasetName: 'notes', DeviceId: deviceA }));
  await phone.send(new SubscribeToDatasetCommand({ ...at, DatasetName: 'notes', DeviceId: deviceB }));

  const listed = await laptop.send(new ListRecordsCommand({ ...at, DatasetName: 'notes', LastSyncCount: 0 }));
  await laptop.send(new UpdateRecordsCommand({
    ...at, DatasetName: 'notes', DeviceId: deviceA, SyncSessionToken: listed.SyncSessionToken,
    RecordPatches: [{ Op: 'replace', Key: 'todo', Value: 'milk', SyncCount: 0 }],
  }));
  const message = await arrival((m) => m.browser === b.name);
  assert.deepEqual(message.payload, { source: 'cognito-sync', identityPoolId: IdentityPoolId, identityId: IdentityId, datasetName: 'notes', syncCount: '1' });
  assert.equal(message.claims.aud, pushUrl);
  const published = await (await fetch(`${endpoint}/webpush/vapid-public-key`)).json();
  assert.equal(message.k, published.publicKey);

  // The phone's change, after the laptop unsubscribed, reaches no one; the laptop's next one reaches the phone again.
  await laptop.send(new UnsubscribeFromDatasetCommand({ ...at, DatasetName: 'notes', DeviceId: deviceA }));
  const again = await phone.send(new ListRecordsCommand({ ...at, DatasetName: 'notes', LastSyncCount: 1 }));
  await phone.send(new UpdateRecordsCommand({
    ...at, DatasetName: 'notes', DeviceId: deviceB, SyncSessionToken: again.SyncSessionToken,
    RecordPatches: [{ Op: 'replace', Key: 'todo', Value: 'eggs', SyncCount: 1 }],
  }));
  const third = await laptop.send(new ListRecordsCommand({ ...at, DatasetName: 'notes', LastSyncCount: 2 }));
  await laptop.send(new UpdateRecordsCommand({
    ...at, DatasetName: 'notes', DeviceId: deviceA, SyncSessionToken: third.SyncSessionToken,
    RecordPatches: [{ Op: 'replace', Key: 'more', Value: 'bread', SyncCount: 0 }],
  }));
  const last = await arrival((m) => m.browser === b.name && m.payload.syncCount === '3');
  assert.equal(last.payload.datasetName, 'notes');
  assert.equal(received.filter((m) => m.browser === a.name).length, 0);
  assert.equal(received.filter((m) => m.browser === b.name).length, 2);
});

test('a mobile platform without the pool\'s PushSync is InvalidConfigurationException; an unknown one InvalidParameterException', async () => {
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('push') });
  const { identityId: IdentityId } = await provider();
  const client = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  await assert.rejects(client.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform: 'GCM', Token: 'gcm-token' })),
    (e) => e.name === 'InvalidConfigurationException' && e.$metadata.httpStatusCode === 400);
  await assert.rejects(client.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform: 'PALM', Token: 't' })),
    (e) => e.name === 'InvalidParameterException');
});

test('RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset refuse developer credentials as Cognito does (NotAuthorizedException, 403)', async () => {
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region }, userIdentifier: unique('dev') });
  const { identityId: IdentityId } = await provider();
  const developer = new CognitoSyncClient({ endpoint, region, credentials, maxAttempts: 1 });
  const own = new CognitoSyncClient({ endpoint, region, credentials: provider, maxAttempts: 1 });
  const refused = (e) => e.name === 'NotAuthorizedException' && e.$metadata.httpStatusCode === 403
    && e.message === 'These credentials are not valid for accessing this resource';
  const browser = newBrowser();
  await assert.rejects(developer.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform: 'WEB_PUSH', Token: browser.subscription })), refused);
  const { DeviceId } = await own.send(new RegisterDeviceCommand({ IdentityPoolId, IdentityId, Platform: 'WEB_PUSH', Token: browser.subscription }));
  const at = { IdentityPoolId, IdentityId, DatasetName: 'notes', DeviceId };
  await assert.rejects(developer.send(new SubscribeToDatasetCommand(at)), refused);
  await own.send(new SubscribeToDatasetCommand(at));
  await assert.rejects(developer.send(new UnsubscribeFromDatasetCommand(at)), refused);
  await own.send(new UnsubscribeFromDatasetCommand(at));
});

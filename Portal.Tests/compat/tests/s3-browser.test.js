// S3 from the browser, end to end in chromium: a storage app bundled with esbuild (browser/s3-app.js), served from
// another origin than Portal's, signs users in through the hosted UI (code + PKCE) and reaches Portal's S3 route over
// HTTPS, allowed by the route's CORS rules:
//  - the sample app: GetId + GetCredentialsForIdentity by hand, then @aws-sdk/client-s3 path-style at
//    https://s3.localhost:{port}: a user uploads to private/{identityId}/ and lists it, is refused on another user's
//    prefix; a guest reads public/ only;
//  - Amplify v6 Storage (uploadData, list, getUrl, downloadData, remove) at the guest, protected and private access
//    levels, virtual-hosted at https://{bucket}.s3.localhost:{port} through a per-call customEndpoint. (Amplify's
//    dangerouslyConnectToHttpEndpointForTesting, http://localhost:20005, does not work in the installed Amplify: its
//    endpoint resolver sets that URL and then asserts that a custom endpoint holds no '://', so every call fails with
//    InvalidCustomEndpoint; customEndpoint is what Amplify v6 really supports. Portal's S3 listener answers the
//    path-style mode all the same: S3CorsTests.)
// The roles carry Amplify's documented storage policy, with ${cognito-identity.amazonaws.com:sub}. The backend is an
// s3rver started here; the route to it is put through Portal's admin API. test.sh starts Portal with HTTPS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import https from 'node:https';
import { connect } from 'node:tls';
import { X509Certificate, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import S3rver from 's3rver';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { admin, endpoint, password, unique, user } from './portal.js';
import { amplifyStoragePolicies, identityPool, portalAdmin, rolePolicy } from './identity-kit.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const httpsEndpoint = process.env.PORTAL_HTTPS_ENDPOINT;
const caPath = process.env.PORTAL_DEV_CA;
const Bucket = 'browser-storage';

let browser, app, appOrigin, httpsPort, storage, directory, web, ids;

function pinnedKey(host, port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: host, ca: fs.readFileSync(caPath), rejectUnauthorized: true }, () => {
      const leaf = new X509Certificate(socket.getPeerCertificate().raw);
      socket.end();
      resolve(createHash('sha256').update(leaf.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
    });
    socket.once('error', reject);
  });
}

before(async () => {
  assert.ok(httpsEndpoint && caPath, 'PORTAL_HTTPS_ENDPOINT and PORTAL_DEV_CA must name Portal\'s HTTPS listener and its development CA (test.sh sets them)');
  httpsPort = Number(new URL(httpsEndpoint).port);
  const spki = await pinnedKey('localhost', httpsPort);
  // The S3 names carry the same key (Portal's development CA issues one per *.localhost name).
  assert.equal(await pinnedKey(`${Bucket}.s3.localhost`, httpsPort), spki);

  const built = await esbuild.build({
    entryPoints: [path.join(here, '..', 'browser', 's3-app.js')], bundle: true, write: false, format: 'iife', platform: 'browser',
    target: 'chrome120', minify: true, logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const files = {
    '/s3.js': ['text/javascript', built.outputFiles[0].text],
    '/s3.html': ['text/html', '<!doctype html><title>Storage app</title><pre id="out"></pre><script src="/s3.js"></script>'],
  };
  app = createServer((req, res) => {
    const [type, body] = files[new URL(req.url, 'http://x').pathname] ?? [];
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${app.address().port}`;

  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-compat-s3-browser-'));
  storage = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: Bucket }] });
  const { address: host, port } = await storage.run();
  // The route answers s3.localhost (path-style) and {bucket}.s3.localhost (virtual-hosted), with CORS for the app's
  // origin: Amplify's recommended rule (every method, any header, ETag exposed).
  const put = await portalAdmin('PutGatewayRoute', {
    Route: {
      Id: 'browser-s3', Kind: 'S3', Host: 's3.localhost', Backend: `http://${host}:${port}`,
      Settings: {
        BackendAccessKeyId: 'S3RVER', BackendSecretAccessKey: 'S3RVER', PolicyCacheSeconds: '0', Buckets: Bucket,
        Cors: JSON.stringify({ CORSRules: [{
          AllowedOrigins: [appOrigin], AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], AllowedHeaders: ['*'],
          ExposeHeaders: ['x-amz-server-side-encryption', 'x-amz-request-id', 'x-amz-id-2', 'ETag'], MaxAgeSeconds: 3000,
        }] }),
      },
    },
  });
  assert.equal(put.status, 200, put.text);

  // A pool with a hosted-UI domain and a public web client whose callback is the app's page, and an identity pool
  // trusting it whose roles carry Amplify's storage policies.
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('s3web') }));
  const domain = unique('s3web').toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: UserPool.Id, Domain: domain }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'storage-spa', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [`${appOrigin}/s3.html`], LogoutURLs: [`${appOrigin}/s3.html`],
  }));
  web = { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, domain, hostBased: `https://${domain}.localhost:${httpsPort}` };
  ids = await identityPool({ UserPoolId: web.poolId, ClientId: web.clientId });
  const policies = amplifyStoragePolicies(Bucket);
  await rolePolicy(ids.authenticated.RoleName, 'amplify-storage', policies.authenticated);
  await rolePolicy(ids.guest.RoleName, 'amplify-storage-guest', policies.guest);

  browser = await chromium.launch({
    executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', `--ignore-certificate-errors-spki-list=${spki}`],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
  await storage?.close();
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

const amplifyConfig = () => ({
  Auth: { Cognito: {
    userPoolId: web.poolId, userPoolClientId: web.clientId, userPoolEndpoint: httpsEndpoint,
    identityPoolId: ids.IdentityPoolId, identityPoolEndpoint: httpsEndpoint, allowGuestAccess: true,
    loginWith: { oauth: {
      domain: `${web.domain}.localhost:${httpsPort}`, scopes: ['openid', 'email', 'profile'],
      redirectSignIn: [`${appOrigin}/s3.html`], redirectSignOut: [`${appOrigin}/s3.html`], responseType: 'code',
    } },
  } },
  Storage: { S3: { bucket: Bucket, region: 'us-east-1' } },
});

const appSettings = () => ({
  identityPoolId: ids.IdentityPoolId, userPoolId: web.poolId, cognitoEndpoint: httpsEndpoint, bucket: Bucket,
  s3Endpoint: `https://s3.localhost:${httpsPort}`, customEndpoint: `s3.localhost:${httpsPort}`,
});

/** A page of the app in its own browser context; signed in through the hosted UI as a new user unless guest. */
async function session({ guest = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const s3Requests = [];
  page.on('request', (r) => { if (/s3\.localhost/.test(new URL(r.url()).hostname)) s3Requests.push({ method: r.method(), url: r.url() }); });
  await page.goto(`${appOrigin}/s3.html`);
  await page.waitForFunction(() => window.ready === true);
  await page.evaluate(([a, s]) => window.app.configure(a, s), [amplifyConfig(), appSettings()]);
  let username = null;
  if (!guest) {
    username = unique('s3web');
    await user(web.poolId, username, { attributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }] });
    const authorize = page.waitForRequest((r) => r.url().includes('/oauth2/authorize'));
    await Promise.all([page.waitForURL(`${web.hostBased}/login?**`), page.evaluate(() => { window.app.signInWithRedirect(); })]);
    // Code + PKCE.
    const asked = new URL((await authorize).url()).searchParams;
    assert.deepEqual([asked.get('response_type'), asked.get('code_challenge_method')], ['code', 'S256']);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${appOrigin}/s3.html**`), page.click('form:has(input[name=password]) button[type=submit]')]);
    await page.waitForFunction(() => window.authEvents.includes('signInWithRedirect'));
    assert.equal(await page.textContent('#out'), `signed in as ${username}`);
  }
  return { context, page, username, s3Requests };
}

test('the sample app: hosted-UI sign-in, GetId + GetCredentialsForIdentity, upload to private/{sub}/ and list it; another user\'s prefix refused; a guest reads public/ only', async () => {
  const owner = await session();
  const other = await session();
  const visitor = await session({ guest: true });
  try {
    const ownerId = await owner.page.evaluate(() => window.app.sampleSignIn());
    assert.match(ownerId, /^us-east-1:[0-9a-f-]{36}$/);
    const mine = `private/${ownerId}/photo.txt`;
    const put = await owner.page.evaluate((k) => window.app.sampleCall('put', { Key: k, Body: 'uploaded from chromium' }), mine);
    assert.equal(put.ok, true, JSON.stringify(put));
    // The ETag is readable by the page: the route's CORS rule exposes it.
    assert.match(put.etag ?? '', /^"[0-9a-f]{32}"$/);
    const listed = await owner.page.evaluate((p) => window.app.sampleCall('list', { Prefix: p }), `private/${ownerId}/`);
    assert.deepEqual(listed, { ok: true, keys: [mine] });
    assert.deepEqual(await owner.page.evaluate((k) => window.app.sampleCall('get', { Key: k }), mine), { ok: true, text: 'uploaded from chromium' });
    const notice = await owner.page.evaluate(() => window.app.sampleCall('put', { Key: 'public/notice.txt', Body: 'for everyone' }));
    assert.equal(notice.ok, true, JSON.stringify(notice));
    // Path-style, at the route's host, over HTTPS.
    assert.ok(owner.s3Requests.some((r) => r.method === 'PUT' && r.url.startsWith(`https://s3.localhost:${httpsPort}/${Bucket}/private/`)), JSON.stringify(owner.s3Requests));

    // Another user: refused on the owner's prefix (S3's AccessDenied, readable by the page), allowed on their own.
    const otherId = await other.page.evaluate(() => window.app.sampleSignIn());
    assert.notEqual(otherId, ownerId);
    for (const [operation, input] of [['get', { Key: mine }], ['put', { Key: mine, Body: 'overwritten' }], ['list', { Prefix: `private/${ownerId}/` }]]) {
      const refused = await other.page.evaluate(([o, i]) => window.app.sampleCall(o, i), [operation, input]);
      assert.deepEqual([refused.ok, refused.name, refused.status], [false, 'AccessDenied', 403], `${operation}: ${JSON.stringify(refused)}`);
    }
    assert.equal((await other.page.evaluate((k) => window.app.sampleCall('put', { Key: k, Body: 'theirs' }), `private/${otherId}/x.txt`)).ok, true);

    // A guest: an identity without logins; reads and lists public/, nothing else.
    const guestId = await visitor.page.evaluate(() => window.app.sampleSignIn({ guest: true }));
    assert.match(guestId, /^us-east-1:/);
    assert.deepEqual(await visitor.page.evaluate(() => window.app.sampleCall('get', { Key: 'public/notice.txt' })), { ok: true, text: 'for everyone' });
    const publicList = await visitor.page.evaluate(() => window.app.sampleCall('list', { Prefix: 'public/' }));
    assert.ok(publicList.ok && publicList.keys.includes('public/notice.txt'), JSON.stringify(publicList));
    for (const [operation, input] of [['put', { Key: 'public/graffiti.txt', Body: 'x' }], ['get', { Key: mine }], ['list', { Prefix: 'private/' }]]) {
      const refused = await visitor.page.evaluate(([o, i]) => window.app.sampleCall(o, i), [operation, input]);
      assert.deepEqual([refused.ok, refused.name, refused.status], [false, 'AccessDenied', 403], `${operation}: ${JSON.stringify(refused)}`);
    }
  } finally {
    await owner.context.close();
    await other.context.close();
    await visitor.context.close();
  }
});

test('Amplify v6 Storage in chromium at the guest, protected and private levels, virtual-hosted through customEndpoint; another user\'s private/ refused', async () => {
  const owner = await session();
  const other = await session();
  const visitor = await session({ guest: true });
  const call = (who, operation, input) => who.page.evaluate(([o, i]) => window.app.storage(o, i), [operation, input]);
  try {
    const ownerId = await owner.page.evaluate(() => window.app.identityId());
    assert.match(ownerId, /^us-east-1:/);

    for (const [accessLevel, text] of [['guest', 'a public note'], ['protected', 'a protected note'], ['private', 'a private note']]) {
      const uploaded = await call(owner, 'uploadData', { path: `${accessLevel}-note.txt`, accessLevel, text });
      assert.equal(uploaded.ok, true, `${accessLevel}: ${JSON.stringify(uploaded)}`);
      assert.match(uploaded.eTag ?? '', /^"[0-9a-f]{32}"$/);
      const listed = await call(owner, 'list', { path: '', accessLevel });
      assert.ok(listed.ok && listed.keys.includes(`${accessLevel}-note.txt`), `${accessLevel}: ${JSON.stringify(listed)}`);
      assert.deepEqual((await call(owner, 'downloadData', { path: `${accessLevel}-note.txt`, accessLevel })).text, text);
      const url = await call(owner, 'getUrl', { path: `${accessLevel}-note.txt`, accessLevel });
      assert.equal(url.ok, true, JSON.stringify(url));
      assert.equal(url.status, 200, JSON.stringify(url));
      assert.equal(url.text, text);
      assert.ok(url.url.startsWith(`https://${Bucket}.s3.localhost:${httpsPort}/`), url.url);
    }
    // Amplify's requests went virtual-hosted to {bucket}.s3.localhost, with the key prefixes of its access levels.
    const paths = owner.s3Requests.filter((r) => r.method === 'PUT').map((r) => new URL(r.url));
    assert.ok(paths.every((u) => u.hostname === `${Bucket}.s3.localhost`), JSON.stringify(owner.s3Requests));
    assert.deepEqual(paths.map((u) => decodeURIComponent(u.pathname)).sort(),
      [`/private/${ownerId}/private-note.txt`, `/protected/${ownerId}/protected-note.txt`, '/public/guest-note.txt']);

    // Another user reads the owner's protected files, never their private ones.
    const otherRead = await call(other, 'downloadData', { path: 'protected-note.txt', accessLevel: 'protected', targetIdentityId: ownerId });
    assert.deepEqual([otherRead.ok, otherRead.text], [true, 'a protected note'], JSON.stringify(otherRead));
    const protectedList = await call(other, 'list', { path: '', accessLevel: 'protected', targetIdentityId: ownerId });
    assert.ok(protectedList.ok && protectedList.keys.includes('protected-note.txt'), JSON.stringify(protectedList));
    const overwrite = await call(other, 'uploadData', { path: 'protected-note.txt', accessLevel: 'protected', targetIdentityId: ownerId, text: 'x' });
    assert.deepEqual([overwrite.ok, overwrite.name], [false, 'AccessDenied'], JSON.stringify(overwrite));
    assert.equal((await call(owner, 'downloadData', { path: 'protected-note.txt', accessLevel: 'protected' })).text, 'a protected note');
    // Amplify's private level is always the caller's own prefix, so another user's private/ is reached as a client
    // would forge it: the sample app's client-s3 with the other user's credentials.
    await other.page.evaluate(() => window.app.sampleSignIn());
    const stolen = await other.page.evaluate((k) => window.app.sampleCall('get', { Key: k }), `private/${ownerId}/private-note.txt`);
    assert.deepEqual([stolen.ok, stolen.name, stolen.status], [false, 'AccessDenied', 403], JSON.stringify(stolen));
    const otherPrivate = await call(other, 'list', { path: '', accessLevel: 'private' });
    assert.deepEqual(otherPrivate, { ok: true, keys: [] });

    // A guest (never signed in): reads and lists the guest level, cannot write it, reads no protected or private files.
    const guestList = await call(visitor, 'list', { path: '', accessLevel: 'guest' });
    assert.ok(guestList.ok && guestList.keys.includes('guest-note.txt'), JSON.stringify(guestList));
    assert.equal((await call(visitor, 'downloadData', { path: 'guest-note.txt', accessLevel: 'guest' })).text, 'a public note');
    const guestUrl = await call(visitor, 'getUrl', { path: 'guest-note.txt', accessLevel: 'guest' });
    assert.deepEqual([guestUrl.status, guestUrl.text], [200, 'a public note']);
    const guestWrite = await call(visitor, 'uploadData', { path: 'graffiti.txt', accessLevel: 'guest', text: 'x' });
    assert.deepEqual([guestWrite.ok, guestWrite.name], [false, 'AccessDenied'], JSON.stringify(guestWrite));
    const guestProtected = await call(visitor, 'downloadData', { path: 'protected-note.txt', accessLevel: 'protected', targetIdentityId: ownerId });
    assert.deepEqual([guestProtected.ok, guestProtected.name], [false, 'AccessDenied'], JSON.stringify(guestProtected));

    // remove, at each level; then the files are gone.
    for (const accessLevel of ['guest', 'protected', 'private']) {
      assert.equal((await call(owner, 'remove', { path: `${accessLevel}-note.txt`, accessLevel })).ok, true);
      const after = await call(owner, 'list', { path: '', accessLevel });
      assert.ok(after.ok && !after.keys.includes(`${accessLevel}-note.txt`), `${accessLevel}: ${JSON.stringify(after)}`);
    }
    // A guest cannot remove anything.
    const guestRemove = await call(visitor, 'remove', { path: 'notice.txt', accessLevel: 'guest' });
    assert.deepEqual([guestRemove.ok, guestRemove.name], [false, 'AccessDenied'], JSON.stringify(guestRemove));
  } finally {
    await owner.context.close();
    await other.context.close();
    await visitor.context.close();
  }
});

test('a preflight from an origin the route does not allow is refused with S3\'s CORSResponse, and the browser blocks the call', async () => {
  // As chromium sends it (Node does not resolve *.localhost; the TLS name and Host are s3.localhost all the same).
  const answer = await new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: httpsPort, servername: 's3.localhost', ca: fs.readFileSync(caPath), method: 'OPTIONS', path: `/${Bucket}/public/x.txt`,
      headers: { host: `s3.localhost:${httpsPort}`, origin: 'http://evil.localhost:5173', 'access-control-request-method': 'PUT' },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(answer.status, 403);
  assert.match(answer.text, /<Code>CORSResponse<\/Code>/);
  assert.equal(answer.headers['access-control-allow-origin'], undefined);

  // A page on that other origin (localhost rather than 127.0.0.1): its fetch fails before anything is sent.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${appOrigin.replace('127.0.0.1', 'localhost')}/s3.html`);
    const blocked = await page.evaluate(async (url) => {
      try {
        await fetch(url, { method: 'PUT', headers: { 'x-amz-date': '20260101T000000Z' }, body: 'x' });
        return 'sent';
      } catch (e) {
        return e.name;
      }
    }, `https://s3.localhost:${httpsPort}/${Bucket}/public/x.txt`);
    assert.equal(blocked, 'TypeError');
  } finally {
    await context.close();
  }
});

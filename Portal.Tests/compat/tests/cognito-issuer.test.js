// Cognito-style issuer (Portal:CognitoIssuer): tokens name https://cognito-idp.{region}.amazonaws.com/{poolId}, so AWS's own
// aws-jwt-verify CognitoJwtVerifier takes them unchanged once it has the pool's JWKS (cacheJwks, fetched from Portal's URL,
// where the discovery document stays). The option is per deployment: this suite starts its own Portal with it.
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient,
  CreateUserPoolClientCommand, CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { claims, credentials, password, region, unique } from './portal.js';

const here = dirname(fileURLToPath(import.meta.url));
const dll = join(here, '..', '..', '..', 'Portal.Server', 'bin', 'Debug', 'net10.0', 'Portal.Server.dll');
let portal, data, endpoint, admin;

const freePort = () => new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

before(async () => {
  endpoint = `http://127.0.0.1:${await freePort()}`;
  data = mkdtempSync(join(tmpdir(), 'portal-cognito-issuer-'));
  portal = spawn('dotnet', [dll], {
    stdio: 'ignore',
    env: {
      ...process.env, ASPNETCORE_ENVIRONMENT: 'Development', Urls: endpoint, Portal__PublicBaseUrl: endpoint,
      Portal__Storage__DataFolder: data, Portal__Bootstrap__AdminPassword: 'Admin-Passw0rd!', Portal__Bootstrap__DemoPool: 'false',
      Portal__Api__AccessKeys__0__AccessKeyId: credentials.accessKeyId, Portal__Api__AccessKeys__0__SecretAccessKey: credentials.secretAccessKey,
      Portal__CognitoIssuer: 'true',
    },
  });
  for (let i = 0; i < 240; i++) {
    try { if ((await fetch(`${endpoint}/healthz`)).ok) break; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  admin = new CognitoIdentityProviderClient({ endpoint, region, credentials, maxAttempts: 1 });
});

after(() => {
  portal?.kill();
  if (data) rmSync(data, { recursive: true, force: true });
});

/** A pool, an app client and a signed-in user's tokens, from the Portal in Cognito-issuer mode. */
async function signedIn() {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('cognito-iss') }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  await admin.send(new AdminCreateUserCommand({ UserPoolId: UserPool.Id, Username: 'ada', MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: 'ada', Password: password, Permanent: true }));
  const { AuthenticationResult } = await admin.send(new AdminInitiateAuthCommand({
    UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: 'ada', PASSWORD: password },
  }));
  // The JWKS and the discovery document stay at Portal's URL; the verifier is given the keys instead of fetching them.
  const jwks = await (await fetch(`${endpoint}/${UserPool.Id}/.well-known/jwks.json`)).json();
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, jwks, ...AuthenticationResult };
}

function verifierFor({ poolId, jwks }, clientId, tokenUse) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, clientId, tokenUse });
  verifier.cacheJwks(jwks);
  return verifier;
}

test('tokens name Cognito\'s issuer; discovery stays at Portal and says so', async () => {
  const app = await signedIn();
  const iss = `https://cognito-idp.${app.poolId.split('_')[0]}.amazonaws.com/${app.poolId}`;
  assert.equal(claims(app.IdToken).iss, iss);
  assert.equal(claims(app.AccessToken).iss, iss);
  const discovery = await (await fetch(`${endpoint}/${app.poolId}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, iss);
  assert.equal(discovery.jwks_uri, `${endpoint}/${app.poolId}/.well-known/jwks.json`);
});

test('CognitoJwtVerifier verifies Portal\'s ID and access tokens', async () => {
  const app = await signedIn();
  const id = await verifierFor(app, app.clientId, 'id').verify(app.IdToken);
  assert.equal(id['cognito:username'], 'ada');
  assert.equal(id.aud, app.clientId);
  const access = await verifierFor(app, app.clientId, 'access').verify(app.AccessToken);
  assert.equal(access.client_id, app.clientId);
  assert.equal(access.username, 'ada');
});

test('CognitoJwtVerifier refuses tampered, expired, wrong-client and wrong-use tokens', async () => {
  const app = await signedIn();
  const idVerifier = verifierFor(app, app.clientId, 'id');

  // Tampered: another username in the payload, the signature of the original.
  const [header, , signature] = app.IdToken.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims(app.IdToken), 'cognito:username': 'mallory' })).toString('base64url');
  await assert.rejects(idVerifier.verify(`${header}.${forged}.${signature}`), /signature/i);

  // Wrong client: a verifier for another app client refuses the token.
  await assert.rejects(verifierFor(app, 'someotherclient0000000000a', 'id').verify(app.IdToken), /client|aud/i);
  await assert.rejects(verifierFor(app, 'someotherclient0000000000a', 'access').verify(app.AccessToken), /client/i);

  // Wrong use: an access token where an ID token is expected.
  await assert.rejects(idVerifier.verify(app.AccessToken), /token use|token_use/i);

  // Expired: the same token two hours later (the verifier reads the clock through Date).
  const exp = claims(app.IdToken).exp;
  mock.timers.enable({ apis: ['Date'], now: (exp + 7200) * 1000 });
  try {
    await assert.rejects(idVerifier.verify(app.IdToken), /expired/i);
  } finally {
    mock.timers.reset();
  }
});

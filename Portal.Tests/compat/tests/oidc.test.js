// A strict relying party (openid-client) against a Portal pool: discovery, code + PKCE through the hosted UI's
// real login form, refresh, userInfo; and client_credentials with resource-server scopes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import {
  CreateUserPoolCommand, CreateUserPoolDomainCommand, CreateUserPoolClientCommand, AdminCreateUserCommand,
  AdminSetUserPasswordCommand, CreateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, endpoint, unique } from './portal.js';

const redirectUri = 'http://localhost:8765/callback';
let poolId, domain, client, m2m, email;

before(async () => {
  const pool = await admin.send(new CreateUserPoolCommand({ PoolName: unique('oidc'), UsernameAttributes: ['email'] }));
  poolId = pool.UserPool.Id;
  domain = unique('rp').toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'strict-rp', GenerateSecret: true, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [redirectUri], SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient;
  await admin.send(new CreateResourceServerCommand({
    UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'orders API',
    Scopes: [{ ScopeName: 'orders.read', ScopeDescription: 'read orders' }, { ScopeName: 'orders.write', ScopeDescription: 'write orders' }],
  }));
  m2m = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['https://api.example.com/orders.read', 'https://api.example.com/orders.write'],
  }))).UserPoolClient;
  email = `${unique('rp')}@example.com`;
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
  }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: 'Rp-Passw0rd!', Permanent: true }));
});

/** Fills the hosted login form the way a browser would (cookies and antiforgery token) and returns the redirect. */
async function signInThroughForm(authorizationUrl) {
  let response = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(response.status, 302);
  const loginUrl = new URL(response.headers.get('location'), endpoint);
  response = await fetch(loginUrl, { redirect: 'manual' });
  assert.equal(response.status, 200);
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const html = await response.text();
  const token = html.match(/name="__RequestVerificationToken" value="([^"]+)"/)[1];
  response = await fetch(loginUrl, {
    method: 'POST', redirect: 'manual', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ __RequestVerificationToken: token, username: email, password: 'Rp-Passw0rd!' }),
  });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location'));
}

test('openid-client completes discovery, code + PKCE, refresh and userInfo', async () => {
  const issuer = new URL(`${endpoint}/${poolId}`);
  const config = await oidc.discovery(issuer, client.ClientId, client.ClientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  assert.equal(config.serverMetadata().issuer, issuer.href);

  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid email profile', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await signInThroughForm(url);
  assert.equal(callback.origin + callback.pathname, redirectUri);

  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  const claims = tokens.claims();
  assert.equal(claims.email, email);
  assert.equal(claims.token_use, 'id');
  assert.equal(claims.aud, client.ClientId);
  assert.ok(tokens.refresh_token);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, email);
  assert.equal(info.email_verified, true);

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
  assert.equal(refreshed.claims().sub, claims.sub);
});

test('a code is single use and needs the right PKCE verifier', async () => {
  const issuer = new URL(`${endpoint}/${poolId}`);
  const config = await oidc.discovery(issuer, client.ClientId, client.ClientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await signInThroughForm(url);
  await assert.rejects(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state }),
    (e) => e.error === 'invalid_grant');
  // The wrong verifier burned the code: the right one no longer works either.
  await assert.rejects(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    (e) => e.error === 'invalid_grant');
});

test('client_credentials returns an access token with the resource-server scopes', async () => {
  const response = await fetch(`${endpoint}/${domain}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${m2m.ClientId}:${m2m.ClientSecret}`).toString('base64'),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://api.example.com/orders.read' }),
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.id_token, undefined);
  const payload = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(payload.scope, 'https://api.example.com/orders.read');
  assert.equal(payload.client_id, m2m.ClientId);
  assert.equal(payload.token_use, 'access');

  const wrong = await fetch(`${endpoint}/${domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${m2m.ClientId}:nope`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error, 'invalid_client');
});

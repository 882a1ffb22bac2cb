// Refresh token rotation as the SDK v3 and a browser app's token endpoint use it: GetTokensFromRefreshToken (Amplify v6's
// refresh), and a rotated token replayed after its grace period: refused, and its whole family revoked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolDomainCommand, GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, endpoint, password, pool, unique, user } from './portal.js';

const rotating = { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } };

async function signIn(app, username) {
  const out = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  return out.AuthenticationResult;
}

const refresh = (app, RefreshToken) =>
  anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: app.ClientId, RefreshToken }));

test('SDK v3: GetTokensFromRefreshToken without rotation keeps the refresh token', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'nora');
  const tokens = await signIn(app, 'nora');
  const out = (await refresh(app, tokens.RefreshToken)).AuthenticationResult;
  assert.ok(out.AccessToken && out.IdToken);
  assert.equal(out.RefreshToken, undefined);
  assert.equal((await anonymous.send(new GetUserCommand({ AccessToken: out.AccessToken }))).Username, 'nora');
});

test('SDK v3: a rotated refresh token replayed after the grace period is refused and its family revoked', async () => {
  const app = await pool(rotating);
  await user(app.UserPoolId, 'rhea');
  const first = (await signIn(app, 'rhea')).RefreshToken;
  const second = (await refresh(app, first)).AuthenticationResult;
  assert.ok(second.RefreshToken);
  assert.notEqual(second.RefreshToken, first);

  await assert.rejects(refresh(app, first), (e) => e.name === 'RefreshTokenReuseException');
  await assert.rejects(refresh(app, second.RefreshToken), (e) => e.name === 'NotAuthorizedException');
  await assert.rejects(anonymous.send(new GetUserCommand({ AccessToken: second.AccessToken })), (e) => e.name === 'NotAuthorizedException');
  // Rotating clients refresh only with GetTokensFromRefreshToken, as Cognito documents.
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first },
  })), (e) => e.name === 'InvalidParameterException');
});

test('token endpoint: the refresh_token grant rotates, and a replayed token is invalid_grant and kills the family', async () => {
  const app = await pool({
    ...rotating, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'],
    CallbackURLs: ['https://app.example/callback'],
  });
  const domain = unique('rot').toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: app.UserPoolId, Domain: domain }));
  await user(app.UserPoolId, 'tess');
  const first = (await signIn(app, 'tess')).RefreshToken;
  const grant = async (refreshToken) => {
    const response = await fetch(`${endpoint}/${domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:5173' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: app.ClientId, refresh_token: refreshToken }),
    });
    return { status: response.status, cors: response.headers.get('access-control-allow-origin'), body: await response.json() };
  };
  const ok = await grant(first);
  assert.equal(ok.status, 200);
  assert.equal(ok.cors, '*');   // a browser app on another origin may read it
  assert.ok(ok.body.refresh_token && ok.body.refresh_token !== first);
  const replay = await grant(first);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
  const after = await grant(ok.body.refresh_token);
  assert.equal(after.status, 400);
  assert.equal(after.body.error, 'invalid_grant');
});

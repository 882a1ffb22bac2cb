// Identity pools with the real AWS SDK v3 and Amplify v6: @aws-sdk/client-cognito-identity for the pool's set-up and
// @aws-sdk/credential-providers' fromCognitoIdentityPool as apps get credentials (with a Portal user-pool login, and as a
// guest), and aws-amplify's fetchAuthSession with identityPoolEndpoint (signed in, where Amplify keys Logins by the ID
// token's issuer without its scheme, and as a guest with allowGuestAccess); the credentials then sign STS
// GetCallerIdentity on Portal, as an app's next AWS call would. The aws-sdk v2's AWS.CognitoIdentityCredentials too, in
// its enhanced flow and its basic flow (GetOpenIdToken, then STS AssumeRoleWithWebIdentity with the role it names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import AWS from 'aws-sdk';
import { identity, identityPool, query } from './identity-kit.js';
import { anonymous, endpoint, password, pool, region, unique, user } from './portal.js';

async function callerOf(creds) {
  const answer = await query('sts', { Action: 'GetCallerIdentity' }, creds);
  assert.equal(answer.status, 200, answer.text);
  return /<Arn>([^<]+)<\/Arn>/.exec(answer.text)[1];
}

test('fromCognitoIdentityPool with a Portal user-pool login gets the authenticated role', async () => {
  const app = await pool();
  const Username = unique('ann');
  await user(app.UserPoolId, Username);
  const signedIn = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password },
  }));
  const ids = await identityPool(app);
  const provider = fromCognitoIdentityPool({
    identityPoolId: ids.IdentityPoolId,
    logins: { [`cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`]: signedIn.AuthenticationResult.IdToken },
    clientConfig: { endpoint, region, maxAttempts: 1 },
  });
  const creds = await provider();
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.ok(creds.sessionToken);
  assert.ok(creds.expiration > new Date());
  assert.ok(creds.identityId?.startsWith(`${region}:`));
  assert.equal(await callerOf(creds), `arn:aws:sts::000000000000:assumed-role/${ids.authenticated.RoleName}/CognitoIdentityCredentials`);

  // The same login names the same identity.
  const again = await identity.send(new GetIdCommand({
    IdentityPoolId: ids.IdentityPoolId,
    Logins: { [`cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`]: signedIn.AuthenticationResult.IdToken },
  }));
  assert.equal(again.IdentityId, creds.identityId);
});

test('fromCognitoIdentityPool as a guest gets the unauthenticated role', async () => {
  const ids = await identityPool(null);
  const creds = await fromCognitoIdentityPool({ identityPoolId: ids.IdentityPoolId, clientConfig: { endpoint, region, maxAttempts: 1 } })();
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.equal(await callerOf(creds), `arn:aws:sts::000000000000:assumed-role/${ids.guest.RoleName}/CognitoIdentityCredentials`);
});

test('a guest refused by the role trust hears InvalidIdentityPoolConfigurationException', async () => {
  const ids = await identityPool(null);
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: ids.IdentityPoolId, Roles: { unauthenticated: ids.authenticated.Arn } }));
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: ids.IdentityPoolId }));
  await assert.rejects(identity.send(new GetCredentialsForIdentityCommand({ IdentityId })), (e) => {
    assert.equal(e.name, 'InvalidIdentityPoolConfigurationException');
    assert.equal(e.message, 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    return true;
  });
});

// Node 20 has no navigator; Amplify reads it for the user agent.
globalThis.navigator ??= { userAgent: 'node', language: 'en' };
const stored = new Map();
const memoryStorage = {
  async setItem(k, v) { stored.set(k, v); },
  async getItem(k) { return stored.has(k) ? stored.get(k) : null; },
  async removeItem(k) { stored.delete(k); },
  async clear() { stored.clear(); },
};

function amplify(app, ids) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: app?.UserPoolId ?? `${region}_unused000`, userPoolClientId: app?.ClientId ?? 'unused', userPoolEndpoint: endpoint,
        identityPoolId: ids.IdentityPoolId, identityPoolEndpoint: endpoint, allowGuestAccess: true,
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(memoryStorage);
}

test('Amplify fetchAuthSession signed in gets the authenticated role for the identity of its login', async () => {
  const app = await pool();
  const Username = unique('amy');
  await user(app.UserPoolId, Username);
  const ids = await identityPool(app);
  amplify(app, ids);
  try {
    const result = await signIn({ username: Username, password });
    assert.equal(result.isSignedIn, true);
    const session = await fetchAuthSession();
    assert.ok(session.tokens?.idToken);
    assert.ok(session.identityId?.startsWith(`${region}:`));
    assert.match(session.credentials.accessKeyId, /^ASIA/);
    assert.equal(await callerOf(session.credentials), `arn:aws:sts::000000000000:assumed-role/${ids.authenticated.RoleName}/CognitoIdentityCredentials`);
    // The identity is the login's: GetId with the AWS-form key names the same one.
    const again = await identity.send(new GetIdCommand({
      IdentityPoolId: ids.IdentityPoolId, Logins: { [`cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`]: session.tokens.idToken.toString() },
    }));
    assert.equal(again.IdentityId, session.identityId);
  } finally {
    await signOut().catch(() => {});
    stored.clear();
  }
});

test('Amplify fetchAuthSession as a guest gets the unauthenticated role', async () => {
  const ids = await identityPool(null);
  amplify(null, ids);
  const session = await fetchAuthSession();
  assert.equal(session.tokens, undefined);
  assert.ok(session.identityId?.startsWith(`${region}:`));
  assert.equal(await callerOf(session.credentials), `arn:aws:sts::000000000000:assumed-role/${ids.guest.RoleName}/CognitoIdentityCredentials`);
  stored.clear();
});

/** aws-sdk v2's credentials object, its CognitoIdentity and STS clients pointed at Portal, fetched. */
async function v2Credentials(params) {
  const creds = new AWS.CognitoIdentityCredentials(params, { endpoint, region, maxRetries: 0 });
  creds.clearCachedId(); // v2 keeps one identity id per pool in the process (localStorage in a browser): each test starts anew
  await creds.getPromise();
  return creds;
}

test('aws-sdk v2 CognitoIdentityCredentials, enhanced flow: a signed-in user and a guest get their roles', async () => {
  const app = await pool();
  const Username = unique('v2');
  await user(app.UserPoolId, Username);
  const signedIn = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password },
  }));
  const ids = await identityPool(app);
  const creds = await v2Credentials({
    IdentityPoolId: ids.IdentityPoolId,
    Logins: { [`cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`]: signedIn.AuthenticationResult.IdToken },
  });
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.ok(creds.identityId.startsWith(`${region}:`));
  assert.equal(await callerOf(creds), `arn:aws:sts::000000000000:assumed-role/${ids.authenticated.RoleName}/CognitoIdentityCredentials`);

  const guest = await v2Credentials({ IdentityPoolId: ids.IdentityPoolId });
  assert.notEqual(guest.identityId, creds.identityId);
  assert.equal(await callerOf(guest), `arn:aws:sts::000000000000:assumed-role/${ids.guest.RoleName}/CognitoIdentityCredentials`);
});

test('aws-sdk v2 CognitoIdentityCredentials, basic flow: GetOpenIdToken then STS AssumeRoleWithWebIdentity, only where the pool allows it', async () => {
  const ids = await identityPool(null, { classic: true });
  const creds = await v2Credentials({ IdentityPoolId: ids.IdentityPoolId, RoleArn: ids.guest.Arn, RoleSessionName: 'web-identity' });
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.equal(await callerOf(creds), `arn:aws:sts::000000000000:assumed-role/${ids.guest.RoleName}/web-identity`);

  const enhancedOnly = await identityPool(null);
  await assert.rejects(v2Credentials({ IdentityPoolId: enhancedOnly.IdentityPoolId, RoleArn: enhancedOnly.guest.Arn }), (e) => {
    assert.equal(e.code, 'InvalidParameterException');
    assert.equal(e.message, 'Basic (classic) flow is not enabled, please use enhanced flow.');
    return true;
  });
});

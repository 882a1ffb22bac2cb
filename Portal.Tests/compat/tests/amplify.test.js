// AWS Amplify JS v6 (npm aws-amplify) in Node against Portal, as a new app configures it: userPoolEndpoint pointing at
// Portal, in-memory token storage, the mailed codes read from the SMTP server mail.js starts. Sessions must survive an
// access token's expiry: Amplify refreshes only with GetTokensFromRefreshToken.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, GetTokensFromRefreshTokenCommand, GetUserCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword, confirmSignIn, confirmSignUp, confirmUserAttribute, deleteUser, fetchAuthSession, fetchUserAttributes,
  getCurrentUser, resetPassword, setUpTOTP, signIn, signOut, signUp, updateMFAPreference, updateUserAttributes, verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { admin, anonymous, endpoint, password, unique } from './portal.js';
import { catchMail } from './mail.js';

const { codeFor } = catchMail();

// Node 20 has no navigator; Amplify reads it for the user agent and device names.
globalThis.navigator ??= { userAgent: 'node', language: 'en' };

/** The browser's localStorage, in memory: Amplify keeps the tokens here. */
const stored = new Map();
const memoryStorage = {
  async setItem(k, v) { stored.set(k, v); },
  async getItem(k) { return stored.has(k) ? stored.get(k) : null; },
  async removeItem(k) { stored.delete(k); },
  async clear() { stored.clear(); },
};

/** Amplify configured for a pool and client on Portal; the storage is set again after every configure. */
function configure({ poolId, clientId }) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(memoryStorage);
}

const realNow = Date.now;
afterEach(async () => {
  Date.now = realNow;
  await signOut().catch(() => {});
  stored.clear();
});

async function app({ client = {}, pool = {} } = {}) {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('amplify'), AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'], ...pool,
  }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'],
    ...client,
  }));
  const made = { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  configure(made);
  return made;
}

/** A user who signed up through Amplify and confirmed with the mailed code. */
async function signedUpUser() {
  const email = `${unique('amp')}@example.com`;
  const up = await signUp({ username: email, password, options: { userAttributes: { email } } });
  assert.equal(up.isSignUpComplete, false);
  assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  const confirmed = await confirmSignUp({ username: email, confirmationCode: await codeFor(email) });
  assert.equal(confirmed.isSignUpComplete, true);
  return email;
}

const refreshTokenOf = () => [...stored].find(([k]) => k.endsWith('.refreshToken'))?.[1];

/** Amplify's clock moved past the access token's expiry (the server's clock stays). */
const jumpAhead = (ms) => { const base = Date.now(); const real = realNow(); Date.now = () => base + ms + (realNow() - real); };

test('Amplify: sign-up with the mailed code, SRP sign-in, forced refresh, global sign-out refuses the old tokens', async () => {
  await app();
  const email = await signedUpUser();
  const signedIn = await signIn({ username: email, password });
  assert.equal(signedIn.isSignedIn, true);
  assert.equal((await getCurrentUser()).signInDetails.loginId, email);
  const first = await fetchAuthSession();
  assert.equal(first.tokens.idToken.payload.email, email);

  const forced = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(forced.tokens.accessToken.toString(), first.tokens.accessToken.toString());
  await anonymous.send(new GetUserCommand({ AccessToken: forced.tokens.accessToken.toString() }));

  await signOut({ global: true });
  await assert.rejects(anonymous.send(new GetUserCommand({ AccessToken: forced.tokens.accessToken.toString() })),
    (e) => e.name === 'NotAuthorizedException');
});

test('Amplify: USER_PASSWORD_AUTH sign-in; the session refreshes itself after the access token expires (rotation off)', async () => {
  const made = await app();
  const email = await signedUpUser();
  const out = await signIn({ username: email, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  assert.equal(out.isSignedIn, true);
  const before = await fetchAuthSession();
  const refreshToken = refreshTokenOf();
  assert.ok(refreshToken);

  jumpAhead(61 * 60_000);
  const after = await fetchAuthSession();
  assert.ok(after.tokens, 'still signed in after the access token expired');
  assert.notEqual(after.tokens.accessToken.toString(), before.tokens.accessToken.toString());
  assert.equal(refreshTokenOf(), refreshToken);   // rotation off: the refresh token stays
  assert.equal((await fetchUserAttributes()).email, email);
  assert.ok(made.clientId);
});

test('Amplify: with rotation on, the refresh rotates the token and a replayed old one is refused', async () => {
  const made = await app({ client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } } });
  const email = await signedUpUser();
  await signIn({ username: email, password });
  const old = refreshTokenOf();
  jumpAhead(61 * 60_000);
  const after = await fetchAuthSession();
  assert.ok(after.tokens, 'still signed in after the access token expired');
  const rotated = refreshTokenOf();
  assert.ok(rotated && rotated !== old);
  await assert.rejects(anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: made.clientId, RefreshToken: old })),
    (e) => e.name === 'RefreshTokenReuseException');
});

test('Amplify: TOTP set-up, then sign-in with the authenticator code', async () => {
  const made = await app({ pool: { UserPoolTier: 'ESSENTIALS' } });
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const email = await signedUpUser();
  await signIn({ username: email, password });
  const setup = await setUpTOTP();
  const secret = setup.sharedSecret;
  await verifyTOTPSetup({ code: totp(secret, step()) });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();

  const challenged = await signIn({ username: email, password });
  assert.equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  const done = await confirmSignIn({ challengeResponse: totp(secret, step() + 1) });
  assert.equal(done.isSignedIn, true);
});

test('Amplify: NEW_PASSWORD_REQUIRED for an administrator-created user', async () => {
  const made = await app();
  const email = `${unique('new')}@example.com`;
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: made.poolId, Username: email, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
  }));
  const out = await signIn({ username: email, password: 'Temp-Passw0rd!' });
  assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  const done = await confirmSignIn({ challengeResponse: password });
  assert.equal(done.isSignedIn, true);
});

test('Amplify: USER_AUTH with EMAIL_OTP, and factor selection (SELECT_CHALLENGE) choosing PASSWORD_SRP', async () => {
  await app({ pool: { UserPoolTier: 'ESSENTIALS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } } });
  const email = await signedUpUser();
  const otp = await signIn({ username: email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  assert.equal(otp.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.equal((await confirmSignIn({ challengeResponse: await codeFor(email, 2, 8) })).isSignedIn, true);
  await signOut();

  const select = await signIn({ username: email, options: { authFlowType: 'USER_AUTH' } });
  assert.equal(select.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
  assert.ok(select.nextStep.availableChallenges.includes('PASSWORD_SRP'));
  const chosen = await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
  assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
  assert.equal((await confirmSignIn({ challengeResponse: password })).isSignedIn, true);
});

test('Amplify: email change verified with the mailed code, password reset, deleteUser', async () => {
  await app();
  const email = await signedUpUser();
  await signIn({ username: email, password });
  const changed = `${unique('moved')}@example.com`;
  const update = await updateUserAttributes({ userAttributes: { email: changed } });
  assert.equal(update.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
  await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: await codeFor(changed) });
  const attributes = await fetchUserAttributes();
  assert.equal(attributes.email, changed);
  assert.equal(attributes.email_verified, 'true');
  await signOut();

  const reset = await resetPassword({ username: changed });
  assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
  await confirmResetPassword({ username: changed, confirmationCode: await codeFor(changed, 2), newPassword: 'Another-Passw0rd!' });
  assert.equal((await signIn({ username: changed, password: 'Another-Passw0rd!' })).isSignedIn, true);

  const { tokens } = await fetchAuthSession();
  await deleteUser();
  await assert.rejects(anonymous.send(new GetUserCommand({ AccessToken: tokens.accessToken.toString() })));
});

// ---- an authenticator app (RFC 6238) ----

const step = () => Math.floor(realNow() / 30_000);

function totp(secret, counterStep) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(counterStep));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// MFA as apps do it against Cognito: the pool's factors and an authenticator app (TOTP) with the AWS SDK v3,
// amazon-cognito-identity-js setting up an authenticator when the pool requires MFA, and an emailed code (EMAIL_OTP)
// read from the mail Portal sends. The authenticator is computed here (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminGetUserCommand, AdminSetUserMFAPreferenceCommand, AssociateSoftwareTokenCommand, GetUserCommand, GetUserPoolMfaConfigCommand,
  InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand, VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';
import { admin, anonymous, claims, password, pool, signIn, unique, user, userPool } from './portal.js';
import { catchMail } from './mail.js';

const { CognitoUser } = cognitoIdentity;
const { codeFor } = catchMail();

const smsConfiguration = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portal-sms', ExternalId: 'portal' };

/** The bytes of a base32 secret, as authenticator apps read the SecretCode. */
function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
}

const currentStep = () => Math.floor(Date.now() / 30_000);

/** RFC 6238: the 6-digit code of a 30-second step. */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', fromBase32(secret)).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** An authenticator app for a secret. Portal takes a code once (no step at or before the last one used), so each code is
 * for a step after the previous one: the next step, which Portal accepts as clock drift, or later, waiting for the clock. */
function authenticator(secret) {
  let last = -Infinity;
  return {
    async code() {
      const step = Math.max(currentStep(), last + 1);
      while (step > currentStep() + 1) await new Promise((r) => setTimeout(r, 500));
      last = step;
      return totp(secret, step);
    },
    /** A code no step near now has. */
    wrong() {
      const near = [-1, 0, 1, 2].map((d) => totp(secret, currentStep() + d));
      return ['000000', '111111', '222222', '333333', '444444'].find((c) => !near.includes(c));
    },
  };
}

const mfaConfig = (UserPoolId, settings) => admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId, ...settings }));
const passwordSignIn = ({ ClientId }, USERNAME) => anonymous.send(new InitiateAuthCommand({
  ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: password },
}));
const answer = ({ ClientId }, ChallengeName, Session, ChallengeResponses) =>
  anonymous.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName, Session, ChallengeResponses }));

test('TOTP is RFC 6238 (its SHA-1 test vector, 6 digits)', () => {
  // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s gives 94287082 (8 digits), so 287082.
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1), '287082');
});

test('SDK v3: SetUserPoolMfaConfig and GetUserPoolMfaConfig round trip; factors left out are turned off', async () => {
  const app = await pool({}, { UserPoolTier: 'ESSENTIALS' });
  const off = await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: app.UserPoolId }));
  assert.equal(off.MfaConfiguration, 'OFF');

  const set = await mfaConfig(app.UserPoolId, {
    MfaConfiguration: 'OPTIONAL',
    SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code {####}', SmsConfiguration: smsConfiguration },
    SoftwareTokenMfaConfiguration: { Enabled: true },
    EmailMfaConfiguration: { Subject: 'Shop sign-in', Message: 'Your Shop code is {####}' },
  });
  assert.equal(set.MfaConfiguration, 'OPTIONAL');
  const all = await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: app.UserPoolId }));
  assert.equal(all.MfaConfiguration, 'OPTIONAL');
  assert.equal(all.SmsMfaConfiguration.SmsAuthenticationMessage, 'Your code {####}');
  assert.equal(all.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn, smsConfiguration.SnsCallerArn);
  assert.deepEqual(all.SoftwareTokenMfaConfiguration, { Enabled: true });
  assert.deepEqual(all.EmailMfaConfiguration, { Subject: 'Shop sign-in', Message: 'Your Shop code is {####}' });

  await mfaConfig(app.UserPoolId, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  const totpOnly = await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: app.UserPoolId }));
  assert.equal(totpOnly.MfaConfiguration, 'ON');
  assert.deepEqual(totpOnly.SoftwareTokenMfaConfiguration, { Enabled: true });
  assert.equal(totpOnly.SmsMfaConfiguration, undefined);
  assert.equal(totpOnly.EmailMfaConfiguration, undefined);

  await assert.rejects(mfaConfig(app.UserPoolId, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false } }),
    { name: 'InvalidParameterException' });
  const noSms = await pool();
  await assert.rejects(mfaConfig(noSms.UserPoolId, { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' } }),
    (e) => e.name === 'InvalidParameterException' && e.message.includes('SnsCallerArn'));
});

test('SDK v3: an authenticator app added with an access token guards USER_PASSWORD_AUTH (SOFTWARE_TOKEN_MFA)', async () => {
  const app = await pool();
  await mfaConfig(app.UserPoolId, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
  await user(app.UserPoolId, 'tom');
  const { AuthenticationResult: first } = await passwordSignIn(app, 'tom');
  const AccessToken = first.AccessToken;

  const { SecretCode } = await anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  assert.match(SecretCode, /^[A-Z2-7]{52}$/);
  const phone = authenticator(SecretCode);
  await assert.rejects(anonymous.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: phone.wrong() })),
    (e) => e.name === 'EnableSoftwareTokenMFAException' && e.message === 'Code mismatch');
  const verified = await anonymous.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: await phone.code(), FriendlyDeviceName: 'My phone' }));
  assert.equal(verified.Status, 'SUCCESS');
  await anonymous.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  const me = await anonymous.send(new GetUserCommand({ AccessToken }));
  assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
  assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

  const challenge = await passwordSignIn(app, 'tom');
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.equal(challenge.AuthenticationResult, undefined);
  assert.equal(challenge.ChallengeParameters.FRIENDLY_DEVICE_NAME, 'My phone');
  await assert.rejects(answer(app, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: phone.wrong() }),
    (e) => e.name === 'CodeMismatchException' && e.message === 'Invalid code received for user');
  const code = await phone.code();
  const done = await answer(app, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: code });
  assert.equal(claims(done.AuthenticationResult.IdToken)['cognito:username'], 'tom');
  assert.ok(done.AuthenticationResult.RefreshToken);

  // The same code does not sign in twice.
  const again = await passwordSignIn(app, 'tom');
  await assert.rejects(answer(app, 'SOFTWARE_TOKEN_MFA', again.Session, { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: code }),
    { name: 'CodeMismatchException' });
});

test('amazon-cognito-identity-js: a pool requiring MFA has the user set up an authenticator (mfaSetup), then asks for its codes (totpRequired)', async () => {
  const app = await pool();
  await mfaConfig(app.UserPoolId, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  await user(app.UserPoolId, 'tina');
  const cognitoUser = new CognitoUser({ Username: 'tina', Pool: userPool(app) });
  const setup = await signIn(cognitoUser, password);
  assert.deepEqual(JSON.parse(setup.mfaSetup.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);

  const secret = await new Promise((resolve, reject) => cognitoUser.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  const phone = authenticator(secret);
  const code = await phone.code();
  const session = await new Promise((resolve, reject) =>
    cognitoUser.verifySoftwareToken(code, 'My phone', { onSuccess: resolve, onFailure: reject }));
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().decodePayload()['cognito:username'], 'tina');
  const stored = await admin.send(new AdminGetUserCommand({ UserPoolId: app.UserPoolId, Username: 'tina' }));
  assert.equal(stored.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

  const later = new CognitoUser({ Username: 'tina', Pool: userPool(app) });
  const asked = await signIn(later, password);
  assert.equal(asked.totpRequired.FRIENDLY_DEVICE_NAME, 'My phone');
  await assert.rejects(new Promise((resolve, reject) =>
    later.sendMFACode(phone.wrong(), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA')), { code: 'CodeMismatchException' });
  const next = await phone.code();
  const signedIn = await new Promise((resolve, reject) =>
    later.sendMFACode(next, { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA'));
  assert.ok(signedIn.isValid());
  assert.equal(signedIn.getIdToken().decodePayload()['cognito:username'], 'tina');
});

test('SDK v3: email MFA (EMAIL_OTP) mails a code that completes USER_PASSWORD_AUTH', async () => {
  const app = await pool({}, { UserPoolTier: 'ESSENTIALS' });
  await mfaConfig(app.UserPoolId, { MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Subject: 'Shop sign-in', Message: 'Your Shop code is {####}' } });
  const username = unique('mia');
  const email = `${username}@example.com`;
  await user(app.UserPoolId, username, { attributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] });
  await admin.send(new AdminSetUserMFAPreferenceCommand({
    UserPoolId: app.UserPoolId, Username: username, EmailMfaSettings: { Enabled: true, PreferredMfa: true },
  }));

  const challenge = await passwordSignIn(app, username);
  assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
  assert.equal(challenge.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
  assert.match(challenge.ChallengeParameters.CODE_DELIVERY_DESTINATION, /^m\*\*\*@e\*\*\*/);
  const code = await codeFor(email);
  await assert.rejects(answer(app, 'EMAIL_OTP', challenge.Session, { USERNAME: username, EMAIL_OTP_CODE: code === '000000' ? '111111' : '000000' }),
    (e) => e.name === 'CodeMismatchException' && e.message === 'Invalid code received for user');
  const done = await answer(app, 'EMAIL_OTP', challenge.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
  assert.equal(claims(done.AuthenticationResult.IdToken).email, email);
});

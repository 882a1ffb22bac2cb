// Remembered devices as apps use them against Cognito: amazon-cognito-identity-js confirming the device of a sign-in
// (NewDeviceMetadata, ConfirmDevice with its SRP verifier), remembering it, signing in again through DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER with MFA skipped, listing and forgetting it; the SDK v3 for the admin operations and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminForgetDeviceCommand, AdminGetDeviceCommand, AdminListDevicesCommand, AdminUpdateDeviceStatusCommand, ConfirmDeviceCommand,
  GetDeviceCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';
import { admin, anonymous, password, signIn, userPool } from './portal.js';
import { answer, passwordSignIn, trackingPool } from './devices.js';

const { AuthenticationHelper, CognitoUser } = cognitoIdentity;

const call = (fn) => new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));

test('amazon-cognito-identity-js: the device of an MFA sign-in is confirmed, remembered, then signs in through DEVICE_SRP_AUTH with MFA skipped; forgotten, MFA is asked again', async () => {
  const { app, username, code } = await trackingPool({ onPrompt: true });

  // A new device: MFA, then the library confirms the NewDeviceMetadata; the pool asks the user before remembering it.
  const first = new CognitoUser({ Username: username, Pool: userPool(app) });
  assert.ok((await signIn(first, password)).totpRequired);
  const mfaCode = await code();
  const confirmation = await new Promise((resolve, reject) => first.sendMFACode(mfaCode, {
    onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }), onFailure: reject,
  }, 'SOFTWARE_TOKEN_MFA'));
  assert.ok(confirmation.session.isValid());
  assert.equal(confirmation.userConfirmationNecessary, true);
  first.getCachedDeviceKeyAndPassword();
  const deviceKey = first.deviceKey;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);

  // Not remembered yet: the next sign-in still asks for MFA.
  const notYet = new CognitoUser({ Username: username, Pool: userPool(app) });
  assert.ok((await signIn(notYet, password)).totpRequired);

  assert.equal(await call((cb) => first.setDeviceStatusRemembered(cb)), 'SUCCESS');
  const got = await call((cb) => first.getDevice(cb));
  const attributes = Object.fromEntries(got.Device.DeviceAttributes.map((a) => [a.Name, a.Value]));
  assert.equal(attributes['dev:device_remembered_status'], 'remembered');
  assert.equal(attributes.device_name, 'nodejs');
  assert.ok(attributes.last_ip);

  // Remembered: the cached device key answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; no MFA.
  const again = new CognitoUser({ Username: username, Pool: userPool(app) });
  const signedIn = await signIn(again, password);
  assert.ok(signedIn.session?.isValid(), 'signed in without MFA');
  assert.equal(signedIn.session.getIdToken().decodePayload()['cognito:username'], username);

  const listed = await new Promise((resolve, reject) => again.listDevices(10, null, { onSuccess: resolve, onFailure: reject }));
  assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
  assert.ok(listed.Devices[0].DeviceLastAuthenticatedDate);

  // The refresh token belongs to the device: it refreshes with its key (the library sends it), not without.
  const refreshed = await new Promise((resolve, reject) =>
    again.refreshSession(signedIn.session.getRefreshToken(), (err, session) => (err ? reject(err) : resolve(session))));
  assert.ok(refreshed.isValid());
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.session.getRefreshToken().getToken() },
  })), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });

  // Forgotten: its tokens are revoked, and the next sign-in is a new device asked for MFA.
  const stale = { key: again.deviceKey };
  assert.equal(await call((cb) => again.forgetDevice(cb)), 'SUCCESS');
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: signedIn.session.getRefreshToken().getToken(), DEVICE_KEY: stale.key },
  })), { name: 'NotAuthorizedException' });
  const after = new CognitoUser({ Username: username, Pool: userPool(app) });
  assert.ok((await signIn(after, password)).totpRequired);

  // A client still answering with the forgotten key is told "Device does not exist." (as amazon-cognito-identity-js and
  // Amplify expect, to answer again without it); the session still stands.
  const asked = await passwordSignIn(app, username, { DEVICE_KEY: stale.key });
  assert.equal(asked.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const mfaAgain = await code();
  await assert.rejects(answer(app, 'SOFTWARE_TOKEN_MFA', asked.Session, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: mfaAgain, DEVICE_KEY: stale.key }),
    { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  const without = await answer(app, 'SOFTWARE_TOKEN_MFA', asked.Session, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: mfaAgain });
  assert.notEqual(without.AuthenticationResult.NewDeviceMetadata.DeviceKey, stale.key);
});

/** The device's verifier as the library makes it (generateHashDevice): salt and verifier base64, and the device's secret. */
function deviceSecret(DeviceGroupKey, DeviceKey) {
  const helper = new AuthenticationHelper(DeviceGroupKey);
  return new Promise((resolve, reject) => helper.generateHashDevice(DeviceGroupKey, DeviceKey, (err) => (err ? reject(err) : resolve({
    Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
    PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
  }))));
}

test('SDK v3: ConfirmDevice, the admin device operations, and bad device answers get Cognito\'s errors and count toward the lockout', async () => {
  const { app, username, code } = await trackingPool({ onPrompt: false });
  const mfa = await passwordSignIn(app, username);
  assert.equal(mfa.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const done = await answer(app, 'SOFTWARE_TOKEN_MFA', mfa.Session, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: await code() });
  const { DeviceKey, DeviceGroupKey } = done.AuthenticationResult.NewDeviceMetadata;
  assert.match(DeviceKey, /^us-east-1_/);
  assert.ok(DeviceGroupKey);
  const AccessToken = done.AuthenticationResult.AccessToken;

  await assert.rejects(anonymous.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey: 'us-east-1_00000000-0000-0000-0000-000000000000',
    DeviceSecretVerifierConfig: await deviceSecret(DeviceGroupKey, DeviceKey) })), { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  const confirmed = await anonymous.send(new ConfirmDeviceCommand({
    AccessToken, DeviceKey, DeviceName: 'laptop', DeviceSecretVerifierConfig: await deviceSecret(DeviceGroupKey, DeviceKey),
  }));
  // "Always remember": no need to ask the user.
  assert.equal(confirmed.UserConfirmationNecessary, false);
  await assert.rejects(anonymous.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey,
    DeviceSecretVerifierConfig: await deviceSecret(DeviceGroupKey, DeviceKey) })), { name: 'DeviceKeyExistsException' });

  const { UserPoolId } = app;
  const status = async () => Object.fromEntries((await admin.send(new AdminGetDeviceCommand({ UserPoolId, Username: username, DeviceKey })))
    .Device.DeviceAttributes.map((a) => [a.Name, a.Value]));
  assert.deepEqual((await admin.send(new AdminListDevicesCommand({ UserPoolId, Username: username }))).Devices.map((d) => d.DeviceKey), [DeviceKey]);
  assert.equal((await status())['dev:device_remembered_status'], 'remembered');
  assert.equal((await status()).device_name, 'laptop');
  await admin.send(new AdminUpdateDeviceStatusCommand({ UserPoolId, Username: username, DeviceKey, DeviceRememberedStatus: 'not_remembered' }));
  assert.equal((await status())['dev:device_remembered_status'], 'not_remembered');
  assert.equal((await anonymous.send(new GetDeviceCommand({ AccessToken, DeviceKey }))).Device.DeviceKey, DeviceKey);

  // A device not remembered does not stand in for MFA.
  assert.equal((await passwordSignIn(app, username, { DEVICE_KEY: DeviceKey })).ChallengeName, 'SOFTWARE_TOKEN_MFA');
  await admin.send(new AdminUpdateDeviceStatusCommand({ UserPoolId, Username: username, DeviceKey, DeviceRememberedStatus: 'remembered' }));

  // Remembered: DEVICE_SRP_AUTH. An unknown key, then wrong claims: Cognito's errors, each counted; the fifth locks.
  const asked = await passwordSignIn(app, username, { DEVICE_KEY: DeviceKey });
  assert.equal(asked.ChallengeName, 'DEVICE_SRP_AUTH');
  await assert.rejects(answer(app, 'DEVICE_SRP_AUTH', asked.Session, { USERNAME: username, DEVICE_KEY: 'us-east-1_00000000-0000-0000-0000-000000000000', SRP_A: 'abc123' }),
    { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  const verifier = await answer(app, 'DEVICE_SRP_AUTH', asked.Session, { USERNAME: username, DEVICE_KEY: DeviceKey, SRP_A: 'abc123' });
  assert.equal(verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
  for (const key of ['SRP_B', 'SALT', 'SECRET_BLOCK']) assert.ok(verifier.ChallengeParameters[key], key);
  const wrongClaim = () => answer(app, 'DEVICE_PASSWORD_VERIFIER', verifier.Session, {
    USERNAME: username, DEVICE_KEY: DeviceKey, PASSWORD_CLAIM_SECRET_BLOCK: verifier.ChallengeParameters.SECRET_BLOCK,
    PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 7).toString('base64'), TIMESTAMP: 'Sat Dec 5 10:00:00 UTC 2026',
  });
  for (let i = 0; i < 4; i++) await assert.rejects(wrongClaim(), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  // The fifth failure locks the user for a second, doubling with each further failure: one of the next answers is refused.
  const next = [];
  for (let i = 0; i < 3 && !next.includes('Password attempts exceeded'); i++) {
    next.push(await wrongClaim().then(() => 'signed in', (e) => `${e.name === 'NotAuthorizedException' ? '' : e.name}${e.message}`));
  }
  assert.ok(next.includes('Password attempts exceeded'), next.join(', '));
  assert.ok(next.every((m) => ['Password attempts exceeded', 'Incorrect username or password.'].includes(m)), next.join(', '));

  await admin.send(new AdminForgetDeviceCommand({ UserPoolId, Username: username, DeviceKey }));
  assert.deepEqual((await admin.send(new AdminListDevicesCommand({ UserPoolId, Username: username }))).Devices, []);
  await assert.rejects(admin.send(new AdminGetDeviceCommand({ UserPoolId, Username: username, DeviceKey })),
    { name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  // Forgetting the device revoked the tokens of its sign-in.
  await assert.rejects(anonymous.send(new GetDeviceCommand({ AccessToken, DeviceKey })), { name: 'NotAuthorizedException' });
});

// AWS Amplify JS v6 in Node with device tracking on, as an app that offers "remember this device": the sign-in's
// NewDeviceMetadata confirmed by Amplify itself, rememberDevice, fetchDevices, a remembered device skipping MFA on the
// next sign-in (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), forgetDevice, and MFA asked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { admin, endpoint, password } from './portal.js';
import { trackingPool } from './devices.js';

// Node 20 has no navigator; Amplify reads it for the user agent and device names.
globalThis.navigator ??= { userAgent: 'node', language: 'en' };

/** The browser's localStorage, in memory: Amplify keeps the tokens and the device's keys here. */
const stored = new Map();
const memoryStorage = {
  async setItem(k, v) { stored.set(k, v); },
  async getItem(k) { return stored.has(k) ? stored.get(k) : null; },
  async removeItem(k) { stored.delete(k); },
  async clear() { stored.clear(); },
};

test('Amplify: the device of a sign-in is confirmed and remembered; the next sign-in skips MFA; forgotten, MFA is asked again', async () => {
  const { app, username, code } = await trackingPool({ onPrompt: true });
  Amplify.configure({ Auth: { Cognito: { userPoolId: app.UserPoolId, userPoolClientId: app.ClientId, userPoolEndpoint: endpoint } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(memoryStorage);

  const first = await signIn({ username, password });
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  assert.equal((await confirmSignIn({ challengeResponse: await code() })).isSignedIn, true);
  // Amplify confirmed the sign-in's NewDeviceMetadata (ConfirmDevice); the pool asks the user before remembering it.
  const confirmed = await admin.send(new AdminListDevicesCommand({ UserPoolId: app.UserPoolId, Username: username }));
  assert.equal(confirmed.Devices.length, 1);
  const attribute = (device, name) => device.DeviceAttributes.find((a) => a.Name === name)?.Value;
  assert.equal(attribute(confirmed.Devices[0], 'dev:device_remembered_status'), 'not_remembered');

  await rememberDevice();
  const devices = await fetchDevices();
  assert.equal(devices.length, 1);
  assert.equal(devices[0].id, confirmed.Devices[0].DeviceKey);
  assert.equal(devices[0].attributes['dev:device_remembered_status'], 'remembered');
  // The refresh (GetTokensFromRefreshToken) carries the device's key.
  assert.ok((await fetchAuthSession({ forceRefresh: true })).tokens?.accessToken);
  await signOut();

  const again = await signIn({ username, password });
  assert.equal(again.isSignedIn, true, `signed in without MFA (${again.nextStep.signInStep})`);
  assert.equal(again.nextStep.signInStep, 'DONE');

  await forgetDevice();
  assert.deepEqual(await fetchDevices().catch((e) => e.name), 'NotAuthorizedException');
  await signOut();
  const afterForget = await signIn({ username, password });
  assert.equal(afterForget.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
});

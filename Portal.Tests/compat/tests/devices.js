// Shared by the device suites: a pool that tracks devices, and a user guarded by an authenticator app (TOTP, RFC 6238,
// its codes computed here).
import { createHmac } from 'node:crypto';
import {
  AssociateSoftwareTokenCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand, VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, password, pool, unique, user } from './portal.js';

/** RFC 6238 code of the authenticator for a base32 secret, for a 30-second step. */
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Codes of one authenticator, each for a later step than the last (Portal takes a step once; the next is allowed drift). */
function authenticator(secret) {
  let last = -Infinity;
  return async () => {
    const now = () => Math.floor(Date.now() / 30_000);
    const step = Math.max(now(), last + 1);
    while (step > now() + 1) await new Promise((r) => setTimeout(r, 500));
    last = step;
    return totp(secret, step);
  };
}

export const passwordSignIn = ({ ClientId }, USERNAME, extra = {}) => anonymous.send(new InitiateAuthCommand({
  ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: password, ...extra },
}));
export const answer = ({ ClientId }, ChallengeName, Session, ChallengeResponses) =>
  anonymous.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName, Session, ChallengeResponses }));

/** A pool that tracks devices (remembered ones skip MFA) and requires an authenticator; a user with one set up. */
export async function trackingPool({ onPrompt }) {
  const app = await pool();
  await admin.send(new UpdateUserPoolCommand({
    UserPoolId: app.UserPoolId, DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: onPrompt },
  }));
  await admin.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: app.UserPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  const username = unique('dana');
  await user(app.UserPoolId, username);
  const first = await passwordSignIn(app, username);
  const AccessToken = first.AuthenticationResult.AccessToken;
  const { SecretCode } = await anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  const code = authenticator(SecretCode);
  await anonymous.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: await code(), FriendlyDeviceName: 'phone' }));
  await anonymous.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  return { app, username, code };
}


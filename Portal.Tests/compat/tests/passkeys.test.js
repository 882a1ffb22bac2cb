// Passkeys (WebAuthn) with the AWS SDK v3: registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration) and
// USER_AUTH sign-in with the WEB_AUTHN challenge, driven by a software authenticator with a real key pair; the errors
// Cognito gives for a wrong origin or relying party, a replayed challenge, tampered client data and a cloned
// authenticator; the lockout counting failed passkeys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminSetUserMFAPreferenceCommand, CompleteWebAuthnRegistrationCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand, GetUserAuthFactorsCommand, GetUserPoolMfaConfigCommand, InitiateAuthCommand,
  ListWebAuthnCredentialsCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, password, unique, user } from './portal.js';
import { Authenticator } from './authenticator.js';

const origin = 'http://localhost:3000';

async function passkeyPool({ mfa } = {}) {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('passkeys'), UserPoolTier: 'ESSENTIALS',
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
  }));
  await admin.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: UserPool.Id, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred', ...(mfa ? { FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' } : {}) },
    ...(mfa ? { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
  }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  return { UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId };
}

async function passwordSignIn(ClientId, Username) {
  const r = await anonymous.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password } }));
  return r.AuthenticationResult.AccessToken;
}

async function register(AccessToken, authenticator, overrides = {}) {
  const { CredentialCreationOptions } = await anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
  const credential = authenticator.create(CredentialCreationOptions, { origin, ...overrides });
  await anonymous.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential }));
  return { options: CredentialCreationOptions, credential };
}

async function startPasskey(ClientId, Username) {
  const started = await anonymous.send(new InitiateAuthCommand({
    ClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: Username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
  }));
  assert.equal(started.ChallengeName, 'WEB_AUTHN');
  return { session: started.Session, options: JSON.parse(started.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS) };
}

const answer = (ClientId, Username, session, credential) => anonymous.send(new RespondToAuthChallengeCommand({
  ClientId, ChallengeName: 'WEB_AUTHN', Session: session, ChallengeResponses: { USERNAME: Username, CREDENTIAL: JSON.stringify(credential) },
}));

test('passkeys: SDK v3 registers a passkey, lists it, and signs in with it and no password (USER_AUTH WEB_AUTHN)', async () => {
  const { UserPoolId, ClientId } = await passkeyPool();
  const Username = unique('pk');
  await user(UserPoolId, Username);
  const accessToken = await passwordSignIn(ClientId, Username);
  const authenticator = new Authenticator();

  const before = await anonymous.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }));
  assert.deepEqual(before.ConfiguredUserAuthFactors, ['PASSWORD']);
  const { options } = await register(accessToken, authenticator);
  assert.equal(options.rp.id, 'localhost');
  assert.equal(options.authenticatorSelection.residentKey, 'required');
  const after = await anonymous.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }));
  assert.deepEqual(after.ConfiguredUserAuthFactors, ['PASSWORD', 'WEB_AUTHN']);

  const { Credentials } = await anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
  assert.equal(Credentials.length, 1);
  assert.equal(Credentials[0].CredentialId, authenticator.id);
  assert.equal(Credentials[0].RelyingPartyId, 'localhost');
  assert.deepEqual(Credentials[0].AuthenticatorTransports, ['internal']);
  assert.ok(Credentials[0].CreatedAt instanceof Date);

  const { session, options: request } = await startPasskey(ClientId, Username);
  assert.equal(request.rpId, 'localhost');
  assert.deepEqual(request.allowCredentials.map((c) => c.id), [authenticator.id]);
  const done = await answer(ClientId, Username, session, authenticator.get(request, { origin }));
  assert.ok(done.AuthenticationResult.AccessToken);
  assert.ok(done.AuthenticationResult.IdToken);

  // SELECT_CHALLENGE offers the passkey, and answering WEB_AUTHN gives its challenge.
  const select = await anonymous.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: Username } }));
  assert.equal(select.ChallengeName, 'SELECT_CHALLENGE');
  assert.ok(select.AvailableChallenges.includes('WEB_AUTHN'));
  const chosen = await anonymous.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: 'SELECT_CHALLENGE', Session: select.Session, ChallengeResponses: { USERNAME: Username, ANSWER: 'WEB_AUTHN' },
  }));
  assert.equal(chosen.ChallengeName, 'WEB_AUTHN');
  const again = await answer(ClientId, Username, chosen.Session, authenticator.get(JSON.parse(chosen.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS), { origin }));
  assert.ok(again.AuthenticationResult.AccessToken);

  await anonymous.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: authenticator.id }));
  const none = await anonymous.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
  assert.deepEqual(none.Credentials, []);
  await assert.rejects(anonymous.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: authenticator.id })),
    (e) => e.name === 'ResourceNotFoundException' && e.$metadata.httpStatusCode === 400);
});

test('passkeys: registration refuses a wrong origin, a wrong relying party and a replayed challenge with Cognito\'s errors', async () => {
  const { UserPoolId, ClientId } = await passkeyPool();
  const Username = unique('pk');
  await user(UserPoolId, Username);
  const accessToken = await passwordSignIn(ClientId, Username);
  const refused = async (overrides, name) => {
    const { CredentialCreationOptions } = await anonymous.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    const credential = new Authenticator().create(CredentialCreationOptions, { origin, ...overrides });
    await assert.rejects(anonymous.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential })),
      (e) => e.name === name && e.$metadata.httpStatusCode === 400, name);
  };
  await refused({ origin: 'https://evil.example' }, 'WebAuthnOriginNotAllowedException');
  await refused({ rpId: 'evil.example' }, 'WebAuthnRelyingPartyMismatchException');
  await refused({ challenge: Buffer.from('not the challenge issued').toString('base64url') }, 'WebAuthnChallengeNotFoundException');

  const { credential } = await register(accessToken, new Authenticator());
  await assert.rejects(anonymous.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential })),
    (e) => e.name === 'WebAuthnChallengeNotFoundException' && e.$metadata.httpStatusCode === 400);
  await assert.rejects(anonymous.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: { id: 'x', response: 5 } })),
    (e) => e.name === 'InvalidParameterException' && e.$metadata.httpStatusCode === 400);
});

test('passkeys: sign-in refuses tampered client data, another origin or RP, a cloned authenticator and an unregistered one; the lockout counts them', async () => {
  const { UserPoolId, ClientId } = await passkeyPool();
  const Username = unique('pk');
  await user(UserPoolId, Username);
  const authenticator = new Authenticator();
  await register(await passwordSignIn(ClientId, Username), authenticator);
  // One good sign-in: the stored signature counter moves to 1.
  const good = await startPasskey(ClientId, Username);
  assert.ok((await answer(ClientId, Username, good.session, authenticator.get(good.options, { origin }))).AuthenticationResult.AccessToken);

  const refused = async (make, name) => {
    const { session, options } = await startPasskey(ClientId, Username);
    await assert.rejects(answer(ClientId, Username, session, make(options)), (e) => e.name === name && e.$metadata.httpStatusCode === 400, name);
    return session;
  };
  const used = await refused((o) => authenticator.get(o, { origin, tamper: true }), 'NotAuthorizedException');
  await refused((o) => authenticator.get(o, { origin: 'https://evil.example' }), 'WebAuthnOriginNotAllowedException');
  await refused((o) => authenticator.get(o, { origin, rpId: 'evil.example' }), 'WebAuthnRelyingPartyMismatchException');
  // A clone of the authenticator signs with a counter the original already used.
  authenticator.signCount = 0;
  await refused((o) => authenticator.get(o, { origin }), 'NotAuthorizedException');
  const stranger = new Authenticator();
  await refused((o) => stranger.get(o, { origin }), 'NotAuthorizedException');
  // The session of a refused answer is used up.
  await assert.rejects(answer(ClientId, Username, used, authenticator.get({ challenge: 'x', rpId: 'localhost' }, { origin })),
    (e) => e.name === 'NotAuthorizedException');

  // Five failures lock the user: the passkey is not even asked for, and the right password is refused too.
  await assert.rejects(startPasskey(ClientId, Username), (e) => e.name === 'NotAuthorizedException' && e.message === 'Password attempts exceeded');
  await assert.rejects(anonymous.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password } })),
    (e) => e.name === 'NotAuthorizedException' && e.message === 'Password attempts exceeded');
});

test('passkeys: with MULTI_FACTOR_WITH_USER_VERIFICATION a verified passkey satisfies required MFA', async () => {
  const { UserPoolId, ClientId } = await passkeyPool({ mfa: true });
  const config = await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
  assert.deepEqual(config.WebAuthnConfiguration, { RelyingPartyId: 'localhost', UserVerification: 'preferred', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' });
  const Username = unique('pk');
  await user(UserPoolId, Username);
  // MFA is required and the user has no authenticator yet: the password alone leads to MFA_SETUP, not tokens.
  const first = await anonymous.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: password } }));
  assert.equal(first.ChallengeName, 'MFA_SETUP');
  await admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId, Username, WebAuthnMfaSettings: { Enabled: true } }));

  // Registration needs a signed-in user: with MFA off for a moment, the user signs in with the password and adds the passkey.
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: 'OFF' }));
  const authenticator = new Authenticator();
  await register(await passwordSignIn(ClientId, Username), authenticator);
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));

  const { session, options } = await startPasskey(ClientId, Username);
  assert.equal(options.userVerification, 'required');
  const done = await answer(ClientId, Username, session, authenticator.get(options, { origin }));
  assert.ok(done.AuthenticationResult.AccessToken, 'a verified passkey is the second factor');

  // Without user verification the passkey is refused for this user.
  const unverified = new Authenticator({ userVerification: false });
  unverified.credentialId = authenticator.credentialId; unverified.privateKey = authenticator.privateKey;
  unverified.signCount = authenticator.signCount; unverified.userHandle = authenticator.userHandle;
  const second = await startPasskey(ClientId, Username);
  await assert.rejects(answer(ClientId, Username, second.session, unverified.get(second.options, { origin })),
    (e) => e.name === 'NotAuthorizedException');
});

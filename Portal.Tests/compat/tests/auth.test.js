// Sign-in as apps do it against Cognito: amazon-cognito-identity-js with its default flow (USER_SRP_AUTH),
// and the AWS SDK v3 for the other flows, the challenges, revocation and sign-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand, AdminInitiateAuthCommand, AdminListUserAuthEventsCommand, AdminUpdateAuthEventFeedbackCommand,
  GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';
import { admin, anonymous, claims, endpoint, password, pool, signIn, user, userPool } from './portal.js';

const { CognitoUser } = cognitoIdentity;

test('amazon-cognito-identity-js signs in with its default SRP flow and refreshes the session', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'alice', { attributes: [{ Name: 'email', Value: 'alice@example.com' }] });
  const cognitoUser = new CognitoUser({ Username: 'alice', Pool: userPool(app) });
  assert.equal(cognitoUser.getAuthenticationFlowType(), 'USER_SRP_AUTH');
  const { session } = await signIn(cognitoUser, password);
  assert.ok(session.isValid());
  const id = session.getIdToken().decodePayload();
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id.email, 'alice@example.com');
  assert.equal(id.aud, app.ClientId);
  assert.equal(id.iss, `${endpoint}/${app.UserPoolId}`);
  const access = session.getAccessToken().decodePayload();
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, app.ClientId);
  assert.ok(session.getRefreshToken().getToken());

  const refreshed = await new Promise((resolve, reject) =>
    cognitoUser.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))));
  assert.ok(refreshed.isValid());
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
  assert.equal(refreshed.getAccessToken().decodePayload().origin_jti, access.origin_jti);

  const me = await anonymous.send(new GetUserCommand({ AccessToken: refreshed.getAccessToken().getJwtToken() }));
  assert.equal(me.Username, 'alice');
});

test('amazon-cognito-identity-js: a wrong password is NotAuthorizedException', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'bob');
  await assert.rejects(signIn(new CognitoUser({ Username: 'bob', Pool: userPool(app) }), 'Wrong-Passw0rd'),
    (e) => e.code === 'NotAuthorizedException' && e.message === 'Incorrect username or password.');
});

test('amazon-cognito-identity-js completes NEW_PASSWORD_REQUIRED', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'carol', { permanent: false, pass: 'Temp-Passw0rd', attributes: [{ Name: 'email', Value: 'carol@example.com' }] });
  const cognitoUser = new CognitoUser({ Username: 'carol', Pool: userPool(app) });
  const first = await signIn(cognitoUser, 'Temp-Passw0rd');
  assert.ok(first.newPasswordRequired);
  assert.equal(first.newPasswordRequired.userAttributes.email, 'carol@example.com');
  assert.deepEqual(first.newPasswordRequired.requiredAttributes, []);

  const session = await new Promise((resolve, reject) =>
    cognitoUser.completeNewPasswordChallenge('New-Passw0rd!', { name: 'Carol' }, { onSuccess: resolve, onFailure: reject }));
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().decodePayload().name, 'Carol');

  const again = await signIn(new CognitoUser({ Username: 'carol', Pool: userPool(app) }), 'New-Passw0rd!');
  assert.ok(again.session.isValid());
});

test('SDK v3: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'dave');
  const signedIn = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dave', PASSWORD: password },
  }));
  const result = signedIn.AuthenticationResult;
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.equal(claims(result.IdToken).token_use, 'id');
  assert.ok(result.RefreshToken);

  const adminSignIn = await admin.send(new AdminInitiateAuthCommand({
    UserPoolId: app.UserPoolId, ClientId: app.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: 'dave', PASSWORD: password },
  }));
  assert.equal(claims(adminSignIn.AuthenticationResult.AccessToken).username, 'dave');

  const refreshed = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result.RefreshToken },
  }));
  assert.ok(refreshed.AuthenticationResult.AccessToken);
  assert.ok(refreshed.AuthenticationResult.IdToken);
  assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);
});

test('SDK v3: RespondToAuthChallenge answers NEW_PASSWORD_REQUIRED', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'erin', { permanent: false, pass: 'Temp-Passw0rd' });
  const challenge = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'erin', PASSWORD: 'Temp-Passw0rd' },
  }));
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.ok(challenge.Session);
  assert.equal(typeof JSON.parse(challenge.ChallengeParameters.userAttributes), 'object');
  const done = await anonymous.send(new RespondToAuthChallengeCommand({
    ClientId: app.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session,
    ChallengeResponses: { USERNAME: 'erin', NEW_PASSWORD: 'New-Passw0rd!' },
  }));
  assert.ok(done.AuthenticationResult.AccessToken);
  await assert.rejects(anonymous.send(new RespondToAuthChallengeCommand({
    ClientId: app.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session,
    ChallengeResponses: { USERNAME: 'erin', NEW_PASSWORD: 'New-Passw0rd!' },
  })), (e) => e.name === 'NotAuthorizedException');
});

test('SDK v3: a revoked refresh token no longer refreshes', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'fred');
  const { AuthenticationResult: tokens } = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'fred', PASSWORD: password },
  }));
  await anonymous.send(new RevokeTokenCommand({ ClientId: app.ClientId, Token: tokens.RefreshToken }));
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
  })), (e) => e.name === 'NotAuthorizedException');
  await assert.rejects(anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
    (e) => e.name === 'NotAuthorizedException' && e.message === 'Access Token has been revoked');
});

test('SDK v3: after GlobalSignOut the old access token is refused', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'gina');
  const { AuthenticationResult: tokens } = await anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'gina', PASSWORD: password },
  }));
  assert.equal((await anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username, 'gina');
  await anonymous.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
  await assert.rejects(anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), (e) => e.name === 'NotAuthorizedException');
});

test('SDK v3: wrong password, unknown user and disabled user errors', async () => {
  const app = await pool({ PreventUserExistenceErrors: 'LEGACY' });
  await user(app.UserPoolId, 'hank');
  const attempt = (USERNAME, PASSWORD) => anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD },
  }));
  await assert.rejects(attempt('hank', 'Wrong-Passw0rd'),
    (e) => e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.');
  await assert.rejects(attempt('nobody', password), (e) => e.name === 'UserNotFoundException' && e.message === 'User does not exist.');
  await admin.send(new AdminDisableUserCommand({ UserPoolId: app.UserPoolId, Username: 'hank' }));
  await assert.rejects(attempt('hank', password), (e) => e.name === 'NotAuthorizedException' && e.message === 'User is disabled.');

  const prevented = await pool({ PreventUserExistenceErrors: 'ENABLED' });
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: prevented.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: password },
  })), (e) => e.name === 'NotAuthorizedException' && e.message === 'Incorrect username or password.');
});

test('SDK v3: a flow the client does not allow is InvalidParameterException', async () => {
  const app = await pool({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await assert.rejects(anonymous.send(new InitiateAuthCommand({
    ClientId: app.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x', PASSWORD: password },
  })), (e) => e.name === 'InvalidParameterException' && e.message === 'USER_PASSWORD_AUTH flow not enabled for this client');
});

test('sign-in history: amazon-cognito-identity-js sign-ins appear in AdminListUserAuthEvents, feedback marks one', async () => {
  const app = await pool({}, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
  await user(app.UserPoolId, 'hana');
  const cognitoUser = () => new CognitoUser({ Username: 'hana', Pool: userPool(app) });
  await assert.rejects(signIn(cognitoUser(), 'Wrong-Passw0rd!'), { code: 'NotAuthorizedException' });
  const { session } = await signIn(cognitoUser(), password);
  assert.ok(session.isValid());

  const { AuthEvents } = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: app.UserPoolId, Username: 'hana', MaxResults: 10 }));
  assert.deepEqual(AuthEvents.map((e) => `${e.EventType}:${e.EventResponse}`), ['SignIn:Pass', 'SignIn:Fail']);
  assert.deepEqual(AuthEvents[1].ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);
  assert.ok(AuthEvents[0].CreationDate instanceof Date);
  assert.equal(AuthEvents[0].EventContextData.IpAddress, '127.0.0.1');

  await admin.send(new AdminUpdateAuthEventFeedbackCommand({
    UserPoolId: app.UserPoolId, Username: 'hana', EventId: AuthEvents[1].EventId, FeedbackValue: 'Invalid',
  }));
  const after = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: app.UserPoolId, Username: 'hana' }));
  assert.equal(after.AuthEvents[1].EventFeedback.FeedbackValue, 'Invalid');
  assert.ok(after.AuthEvents[1].EventFeedback.FeedbackDate instanceof Date);
});

test('sign-in history of a pool without threat protection is UserPoolAddOnNotEnabledException', async () => {
  const app = await pool();
  await user(app.UserPoolId, 'ivan');
  await assert.rejects(admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: app.UserPoolId, Username: 'ivan' })),
    { name: 'UserPoolAddOnNotEnabledException' });
});

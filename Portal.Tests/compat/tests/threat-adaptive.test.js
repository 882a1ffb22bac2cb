// Adaptive authentication with the AWS SDK v3: credential stuffing from one address raises the next account's risk, the
// notification email's "this wasn't me" link records feedback that raises the next sign-in, and UpdateAuthEventFeedback
// answers Cognito's errors for unknown and used tokens. Addresses come from UserContextData.IpAddress, as an app passes
// its user's address; EncodedData stands for the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, SetRiskConfigurationCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand,
  InitiateAuthCommand, AdminListUserAuthEventsCommand, UpdateAuthEventFeedbackCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, unique } from './portal.js';
import { catchMail } from './mail.js';

const { textFor, countFor } = catchMail();
const pass = 'Adaptive-Passw0rd-9!';
const noAction = (Notify = false) => ({ EventAction: 'NO_ACTION', Notify });

async function pool(Actions, NotifyConfiguration) {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('adaptive'), UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' }, AutoVerifiedAttributes: ['email'],
  }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  await admin.send(new SetRiskConfigurationCommand({ UserPoolId: UserPool.Id, AccountTakeoverRiskConfiguration: { Actions, NotifyConfiguration } }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

async function user(poolId) {
  const username = unique('u');
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: pass, Permanent: true }));
  return username;
}

const device = (name) => Buffer.from(name).toString('base64');

const signIn = (ClientId, username, { ip = '198.51.100.20', dev = device('laptop'), password = pass } = {}) => anonymous.send(new InitiateAuthCommand({
  ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  UserContextData: { IpAddress: ip, EncodedData: dev },
}));

const latest = async (UserPoolId, Username) =>
  (await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username }))).AuthEvents.find((e) => e.EventType === 'SignIn');

test('credential stuffing from one address raises the risk of the next account tried', async () => {
  const { poolId, clientId } = await pool({ LowAction: noAction(), MediumAction: noAction(), HighAction: noAction() });
  const users = [await user(poolId), await user(poolId), await user(poolId), await user(poolId)];
  for (const u of users.slice(0, 3)) {
    await assert.rejects(signIn(clientId, u, { ip: '203.0.113.66', password: 'Wrong-Passw0rd-1!' }), { name: 'NotAuthorizedException' });
  }
  const ok = await signIn(clientId, users[3], { ip: '203.0.113.66' });
  assert.ok(ok.AuthenticationResult.AccessToken);
  const event = await latest(poolId, users[3]);
  assert.equal(event.EventResponse, 'Pass');
  assert.deepEqual(event.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'High', CompromisedCredentialsDetected: false });
  assert.equal(event.EventContextData.IpAddress, '203.0.113.66');
});

test('the notification email\'s "not mine" link records feedback, raises the next sign-in, and works once', async () => {
  const { poolId, clientId } = await pool({ LowAction: noAction(true), HighAction: noAction() }, {
    From: 'security@portal.local', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/portal.local',
    NoActionEmail: { Subject: 'New sign-in', TextBody: 'Hi {username}. Mine: {one-click-link-valid} Not mine: {one-click-link-invalid}' },
  });
  const username = await user(poolId);
  const email = `${username}@example.com`;
  await signIn(clientId, username);
  assert.equal(countFor(email), 0);
  await signIn(clientId, username, { dev: device('stranger') });
  const risky = await latest(poolId, username);
  assert.equal(risky.EventRisk.RiskLevel, 'Low');

  const text = await textFor(email);
  assert.match(text, new RegExp(`^Hi ${username}\\.`));
  const invalid = /(https?:\/\/\S+?value=Invalid)/.exec(text)[1];
  assert.ok(invalid.includes(`event=${risky.EventId}`));
  const page = await fetch(invalid);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<form method="post"/);
  assert.equal((await latest(poolId, username)).EventFeedback, undefined, 'opening the link records nothing');
  const url = new URL(invalid);
  const pressed = await fetch(url.origin + url.pathname, {
    method: 'POST', body: url.searchParams, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(pressed.status, 200);
  assert.equal((await latest(poolId, username)).EventFeedback.FeedbackValue, 'Invalid');

  await signIn(clientId, username, { dev: device('stranger') });
  assert.equal((await latest(poolId, username)).EventRisk.RiskLevel, 'High');

  const FeedbackToken = url.searchParams.get('token');
  await assert.rejects(anonymous.send(new UpdateAuthEventFeedbackCommand({
    UserPoolId: poolId, Username: username, EventId: risky.EventId, FeedbackToken, FeedbackValue: 'Valid',
  })), { name: 'NotAuthorizedException' });
  await assert.rejects(anonymous.send(new UpdateAuthEventFeedbackCommand({
    UserPoolId: poolId, Username: username, EventId: risky.EventId, FeedbackToken: 'unknown-token', FeedbackValue: 'Valid',
  })), { name: 'NotAuthorizedException' });
  await assert.rejects(anonymous.send(new UpdateAuthEventFeedbackCommand({
    UserPoolId: poolId, Username: username, EventId: '00000000-0000-0000-0000-000000000000', FeedbackToken, FeedbackValue: 'Valid',
  })), { name: 'ResourceNotFoundException' });
});

test('malformed UserContextData EncodedData is ignored: the sign-in goes on', async () => {
  const { poolId, clientId } = await pool({ LowAction: noAction() });
  const username = await user(poolId);
  const ok = await signIn(clientId, username, { dev: '%%% not base64 %%%' });
  assert.ok(ok.AuthenticationResult.AccessToken);
  assert.ok(await latest(poolId, username));
});

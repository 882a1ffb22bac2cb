// Threat protection with the AWS SDK v3: the risk configuration, and a breached password refused under BLOCK and recorded
// under AUDIT at sign-up, AdminSetUserPassword, ChangePassword and ConfirmForgotPassword. "sunshine1" is a common breached
// password: the Pwned Passwords range API knows it, and so does Portal's offline corpus, which answers when the range API
// cannot be reached. (The C# suite runs its own range API and checks that only 5 hex characters ever leave Portal.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, SetRiskConfigurationCommand, DescribeRiskConfigurationCommand, SignUpCommand,
  AdminCreateUserCommand, AdminSetUserPasswordCommand, AdminInitiateAuthCommand, ChangePasswordCommand, ForgotPasswordCommand,
  ConfirmForgotPasswordCommand, AdminListUserAuthEventsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, unique } from './portal.js';
import { catchMail } from './mail.js';

const { codeFor } = catchMail();
const breached = 'sunshine1';
const clean = 'Unbreached-Passw0rd-7!';
const refusal = 'Provided password cannot be used for security reasons.';

async function pool(mode, action = 'BLOCK') {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('threat'), UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode }, AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false } },
  }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  await admin.send(new SetRiskConfigurationCommand({
    UserPoolId: UserPool.Id, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: action } },
  }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

async function user(poolId, pass = clean) {
  const username = unique('u');
  const email = `${username}@example.com`;
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
  }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: pass, Permanent: true }));
  return { username, email };
}

const token = async (poolId, clientId, username, pass) => (await admin.send(new AdminInitiateAuthCommand({
  UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: pass },
}))).AuthenticationResult.AccessToken;

const refused = { name: 'InvalidPasswordException', message: refusal };

test('SetRiskConfiguration and DescribeRiskConfiguration round-trip the pool and client settings', async () => {
  const { poolId, clientId } = await pool('ENFORCED');
  const set = await admin.send(new SetRiskConfigurationCommand({
    UserPoolId: poolId, ClientId: clientId,
    CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP'], Actions: { EventAction: 'NO_ACTION' } },
    RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] },
  }));
  assert.equal(set.RiskConfiguration.ClientId, clientId);
  assert.ok(set.RiskConfiguration.LastModifiedDate instanceof Date);
  const { RiskConfiguration } = await admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.deepEqual(RiskConfiguration.CompromisedCredentialsRiskConfiguration, { EventFilter: ['SIGN_UP'], Actions: { EventAction: 'NO_ACTION' } });
  assert.deepEqual(RiskConfiguration.RiskExceptionConfiguration.SkippedIPRangeList, ['10.0.0.0/8']);
  await assert.rejects(admin.send(new SetRiskConfigurationCommand({
    UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['300.1.2.3/8'] },
  })), { name: 'InvalidParameterException' });
  await assert.rejects(admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000a' })),
    { name: 'ResourceNotFoundException' });
});

test('Under BLOCK a breached password is refused at sign-up, admin set, change and confirm-forgot with Cognito\'s error', async () => {
  const { poolId, clientId } = await pool('ENFORCED');
  await assert.rejects(anonymous.send(new SignUpCommand({ ClientId: clientId, Username: unique('s'), Password: breached })), refused);
  const { username, email } = await user(poolId);
  await assert.rejects(admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: breached, Permanent: true })), refused);
  const accessToken = await token(poolId, clientId, username, clean);
  await assert.rejects(anonymous.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: clean, ProposedPassword: breached })), refused);
  await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const code = await codeFor(email);
  await assert.rejects(anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: breached })), refused);
  // The refused change is on the user's history, flagged and blocked.
  const { AuthEvents } = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }));
  const change = AuthEvents.find((e) => e.EventType === 'PasswordChange' && e.EventResponse === 'Fail');
  assert.deepEqual(change.EventRisk, { RiskDecision: 'Block', CompromisedCredentialsDetected: true });
  // The clean password still signs in.
  assert.ok(await token(poolId, clientId, username, clean));
});

test('Under AUDIT the same passwords are accepted and each event says the credentials are compromised', async () => {
  const { poolId, clientId } = await pool('AUDIT');
  const signedUp = unique('s');
  await anonymous.send(new SignUpCommand({ ClientId: clientId, Username: signedUp, Password: breached, UserAttributes: [{ Name: 'email', Value: `${signedUp}@example.com` }] }));
  const { AuthEvents: [signUp] } = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: signedUp }));
  assert.equal(signUp.EventType, 'SignUp');
  assert.deepEqual(signUp.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: true });

  const { username, email } = await user(poolId, breached);
  const accessToken = await token(poolId, clientId, username, breached);
  await anonymous.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: breached, ProposedPassword: 'password1' }));
  await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  await anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: await codeFor(email), Password: breached }));
  const { AuthEvents } = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }));
  const byType = Object.fromEntries(AuthEvents.map((e) => [e.EventType, e]));
  assert.equal(byType.SignIn.EventRisk.CompromisedCredentialsDetected, true);
  assert.equal(byType.PasswordChange.EventRisk.CompromisedCredentialsDetected, true);
  assert.equal(byType.PasswordChange.EventResponse, 'Pass');
});

// Self-service with the AWS SDK v3: sign-up and password reset, the codes read from the mail Portal sends to the
// real SMTP server mail.js starts for this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, SignUpCommand, ConfirmSignUpCommand, ResendConfirmationCodeCommand,
  ForgotPasswordCommand, ConfirmForgotPasswordCommand, AdminGetUserCommand, AdminConfirmSignUpCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, password, unique } from './portal.js';
import { catchMail } from './mail.js';

const { codeFor } = catchMail();

async function pool(settings = {}) {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('selfservice'), AutoVerifiedAttributes: ['email'], ...settings }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', PreventUserExistenceErrors: 'LEGACY',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

async function signUp(clientId) {
  const username = unique('user');
  const email = `${username}@example.com`;
  const out = await anonymous.send(new SignUpCommand({
    ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: email }],
  }));
  return { username, email, out };
}

test('SignUp mails a code and ConfirmSignUp confirms the user', async () => {
  const { poolId, clientId } = await pool();
  const { username, email, out } = await signUp(clientId);
  assert.equal(out.UserConfirmed, false);
  assert.match(out.UserSub, /^[0-9a-f-]{36}$/);
  assert.deepEqual(out.CodeDeliveryDetails, { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

  const code = await codeFor(email);
  await anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(user.UserAttributes.find((a) => a.Name === 'email_verified')?.Value, 'true');
});

test('ResendConfirmationCode sends a new code; a wrong code is CodeMismatchException', async () => {
  const { clientId } = await pool();
  const { username, email } = await signUp(clientId);
  const first = await codeFor(email);
  const resent = await anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
  assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
  const second = await codeFor(email, 2);
  const wrong = second === '000000' ? '111111' : '000000';
  await assert.rejects(anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: wrong })),
    (e) => e.name === 'CodeMismatchException' && e.message === 'Invalid verification code provided, please try again.');
  if (first !== second) {
    await assert.rejects(anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: first })),
      (e) => e.name === 'CodeMismatchException');
  }
  await anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: second }));
});

test('ForgotPassword and ConfirmForgotPassword reset the password; the spent code is ExpiredCodeException', async () => {
  const { clientId } = await pool();
  const { username, email } = await signUp(clientId);
  await anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await codeFor(email) }));

  const forgot = await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  const code = await codeFor(email, 2);
  const newPassword = 'N3w-Passw0rd!';
  await anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: newPassword }));

  const signedIn = await anonymous.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: newPassword },
  }));
  assert.ok(signedIn.AuthenticationResult.AccessToken);
  await assert.rejects(anonymous.send(new ConfirmForgotPasswordCommand({
    ClientId: clientId, Username: username, ConfirmationCode: code, Password: 'An0ther-Passw0rd!',
  })), (e) => e.name === 'ExpiredCodeException' && e.message === 'Invalid code provided, please request a code again.');
});

test('SignUp errors: UsernameExistsException, InvalidPasswordException, InvalidParameterException', async () => {
  const { clientId } = await pool({ Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }] });
  const { username, email } = await signUp(clientId);
  await assert.rejects(anonymous.send(new SignUpCommand({
    ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: email }],
  })), (e) => e.name === 'UsernameExistsException');
  await assert.rejects(anonymous.send(new SignUpCommand({
    ClientId: clientId, Username: unique('weak'), Password: 'short', UserAttributes: [{ Name: 'email', Value: email }],
  })), (e) => e.name === 'InvalidPasswordException' && e.message.startsWith('Password did not conform with policy'));
  await assert.rejects(anonymous.send(new SignUpCommand({ ClientId: clientId, Username: unique('noemail'), Password: password })),
    (e) => e.name === 'InvalidParameterException');
});

test('ForgotPassword without a verified contact is InvalidParameterException; an unknown user is UserNotFoundException', async () => {
  const { poolId, clientId } = await pool({ AutoVerifiedAttributes: [] });
  const { username } = await signUp(clientId);
  await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
  await assert.rejects(anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username })),
    (e) => e.name === 'InvalidParameterException'
      && e.message === 'Cannot reset password for the user as there is no registered/verified email or phone_number');
  await assert.rejects(anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: unique('ghost') })),
    (e) => e.name === 'UserNotFoundException');
});

test('passwordless: USER_AUTH with EMAIL_OTP mails an 8-digit code that signs the user in', async () => {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('passwordless'), AutoVerifiedAttributes: ['email'], UserPoolTier: 'ESSENTIALS',
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
  }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  const { username, email } = await signUp(UserPoolClient.ClientId);
  await anonymous.send(new ConfirmSignUpCommand({ ClientId: UserPoolClient.ClientId, Username: username, ConfirmationCode: await codeFor(email) }));

  const started = await anonymous.send(new InitiateAuthCommand({
    ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
  }));
  assert.equal(started.ChallengeName, 'EMAIL_OTP');
  assert.equal(started.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
  const code = await codeFor(email, 2, 8);
  const done = await anonymous.send(new RespondToAuthChallengeCommand({
    ClientId: UserPoolClient.ClientId, ChallengeName: 'EMAIL_OTP', Session: started.Session,
    ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code },
  }));
  assert.ok(done.AuthenticationResult.AccessToken);
  const claims = JSON.parse(Buffer.from(done.AuthenticationResult.IdToken.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.email, email);
});

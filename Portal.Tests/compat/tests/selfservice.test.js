// Self-service with the AWS SDK v3: sign-up and password reset, the codes read from mail Portal sends to a
// real SMTP server (npm smtp-server) started here on PORTAL_SMTP_PORT, where test.sh points Portal's SMTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, SignUpCommand, ConfirmSignUpCommand, ResendConfirmationCodeCommand,
  ForgotPasswordCommand, ConfirmForgotPasswordCommand, AdminGetUserCommand, AdminConfirmSignUpCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, anonymous, unique } from './portal.js';

const smtpPort = Number(process.env.PORTAL_SMTP_PORT ?? 2525);
const password = 'Passw0rd!x';
const mails = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
      callback();
    });
  },
});

before(() => new Promise((resolve, reject) => { smtp.once('error', reject); smtp.listen(smtpPort, '127.0.0.1', resolve); }));
after(() => new Promise((resolve) => smtp.close(resolve)));

/** The decoded text of a MIME message's single part (7bit, quoted-printable or base64). */
function bodyOf(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

/** The code (6 digits, or as many as asked) of the count-th mail to an address, waiting for it a little. */
async function codeFor(address, count = 1, digits = 6) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const received = mails.filter((m) => m.to.includes(address.toLowerCase()));
    if (received.length >= count) {
      const match = new RegExp(`\\b(\\d{${digits}})\\b`).exec(bodyOf(received[count - 1].raw));
      assert.ok(match, `the mail holds a ${digits}-digit code`);
      return match[1];
    }
    assert.ok(Date.now() < deadline, `no mail #${count} to ${address} arrived`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

// Testing mode (issue 21) with the AWS SDK v3: a suite written against LocalStack's Cognito reads the code Portal sent at
// LocalStack's /_aws/ses (newest message last, the code in the body), confirms the sign-up and signs in, unchanged.
// Portal's own mailbox serves the same code in a field, and long-polls for the next message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignUpCommand, ConfirmSignUpCommand, InitiateAuthCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { anonymous, endpoint, password, pool, unique } from './portal.js';

async function signUp(ClientId) {
  const email = `${unique('ls')}@example.com`;
  await anonymous.send(new SignUpCommand({ ClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  return email;
}

test('LocalStack-style: fetch /_aws/ses?email=, take the newest message\'s code, confirm the sign-up, sign in', async () => {
  const { ClientId } = await pool({}, { AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] });
  const email = await signUp(ClientId);

  const response = await fetch(`${endpoint}/_aws/ses?email=${encodeURIComponent(email)}`);
  assert.equal(response.status, 200);
  const { messages } = await response.json();
  assert.ok(messages.length >= 1);
  const newest = messages[messages.length - 1];
  assert.deepEqual(newest.Destination.ToAddresses, [email]);
  assert.equal(newest.Region, 'us-east-1');
  assert.ok(newest.Source && newest.Subject && newest.Id && newest.Timestamp);
  const code = newest.Body.text_part.match(/\b(\d{6})\b/)[1];

  await anonymous.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
  const signedIn = await anonymous.send(new InitiateAuthCommand({
    ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password },
  }));
  const me = await anonymous.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult.AccessToken }));
  assert.equal(me.UserAttributes.find((a) => a.Name === 'email').Value, email);
});

test('Portal\'s mailbox long-polls for the next message and serves its code in a field', async () => {
  const { UserPoolId, ClientId } = await pool({}, { AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] });
  const email = `${unique('poll')}@example.com`;
  // From a time before the sign-up: the poll may reach Portal before or after the message is sent.
  const since = new Date(Date.now() - 1000).toISOString();
  const polling = fetch(`${endpoint}/_portal/testing/mailbox?recipient=${encodeURIComponent(email)}&since=${since}&wait=20`).then((r) => r.json());
  await anonymous.send(new SignUpCommand({ ClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  const { Messages } = await polling;
  assert.equal(Messages.length, 1);
  assert.equal(Messages[0].Kind, 'sign-up');
  assert.equal(Messages[0].UserPoolId, UserPoolId);
  assert.match(Messages[0].Code, /^\d{6}$/);
  await anonymous.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: Messages[0].Code }));
});

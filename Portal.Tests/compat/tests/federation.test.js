// Identity providers and provider linking through the AWS SDK v3, as an app's tooling would use them against Cognito.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, CreateIdentityProviderCommand, DescribeIdentityProviderCommand, UpdateIdentityProviderCommand,
  DeleteIdentityProviderCommand, GetIdentityProviderByIdentifierCommand, AdminCreateUserCommand, AdminLinkProviderForUserCommand,
  AdminDisableProviderForUserCommand, AdminGetUserCommand, paginateListIdentityProviders,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, unique } from './portal.js';

const rejects = (promise, name, message) => assert.rejects(promise, (e) => {
  assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
  assert.equal(e.$metadata.httpStatusCode, 400);
  if (message) assert.match(e.message, message);
  return true;
});

const oidc = (issuer = 'https://idp.example.com') => ({
  client_id: 'corp-client', client_secret: 'corp-secret', attributes_request_method: 'GET', oidc_issuer: issuer,
  authorize_scopes: 'openid email', authorize_url: `${issuer}/authorize`, token_url: `${issuer}/token`,
  attributes_url: `${issuer}/userinfo`, jwks_uri: `${issuer}/jwks`,
});

const newPool = async () => (await admin.send(new CreateUserPoolCommand({ PoolName: unique('sdk-fed') }))).UserPool.Id;

test('CreateIdentityProvider, Describe, Update, GetByIdentifier, List and Delete', async () => {
  const pool = await newPool();
  const created = (await admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Google', ProviderType: 'Google',
    ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid email' }, AttributeMapping: { email: 'email' },
  }))).IdentityProvider;
  assert.equal(created.ProviderDetails.oidc_issuer, 'https://accounts.google.com');
  assert.equal(created.AttributeMapping.username, 'sub');
  assert.ok(created.CreationDate instanceof Date);

  await admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: oidc(), IdpIdentifiers: ['corp.example'],
  }));
  const byId = (await admin.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: 'corp.example' }))).IdentityProvider;
  assert.equal(byId.ProviderName, 'Corp');
  const updated = (await admin.send(new UpdateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Corp', ProviderDetails: { client_id: 'other' }, AttributeMapping: { email: 'mail' },
  }))).IdentityProvider;
  assert.equal(updated.ProviderDetails.client_id, 'other');
  assert.equal(updated.ProviderDetails.client_secret, 'corp-secret');

  const names = [];
  for await (const page of paginateListIdentityProviders({ client: admin, pageSize: 1 }, { UserPoolId: pool })) {
    names.push(...page.Providers.map((p) => p.ProviderName));
  }
  assert.deepEqual(names, ['Corp', 'Google']);

  await admin.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Corp' }));
  await rejects(admin.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Corp' })), 'ResourceNotFoundException');
});

test('Cognito refusals: missing details, duplicate provider and identifier', async () => {
  const pool = await newPool();
  await rejects(admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Facebook', ProviderType: 'Facebook', ProviderDetails: { client_id: 'x' },
  })), 'InvalidParameterException', /client_id, client_secret and authorize_scopes are all required idp details/);
  await admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: oidc(), IdpIdentifiers: ['corp'],
  }));
  await rejects(admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: oidc(),
  })), 'DuplicateProviderException');
  await rejects(admin.send(new CreateIdentityProviderCommand({
    UserPoolId: pool, ProviderName: 'Corp2', ProviderType: 'OIDC', ProviderDetails: oidc(), IdpIdentifiers: ['corp'],
  })), 'DuplicateProviderException');
});

test('AdminLinkProviderForUser lists the identity on the user; AdminDisableProviderForUser removes it', async () => {
  const pool = await newPool();
  await admin.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: oidc() }));
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'linda', MessageAction: 'SUPPRESS' }));
  const source = { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'corp-123' };
  await admin.send(new AdminLinkProviderForUserCommand({
    UserPoolId: pool, DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'linda' }, SourceUser: source,
  }));
  const user = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'linda' }));
  const identities = JSON.parse(user.UserAttributes.find((a) => a.Name === 'identities').Value);
  assert.equal(identities[0].userId, 'corp-123');
  assert.equal(identities[0].providerName, 'Corp');
  await rejects(admin.send(new AdminLinkProviderForUserCommand({
    UserPoolId: pool, DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'linda' }, SourceUser: source,
  })), 'AliasExistsException');
  await admin.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: source }));
  const after = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'linda' }));
  assert.equal(after.UserAttributes.find((a) => a.Name === 'identities'), undefined);
});

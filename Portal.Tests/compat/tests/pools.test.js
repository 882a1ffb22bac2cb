// User pools, app clients, domains, tags and resource servers through the AWS SDK v3, asserted as a Cognito user sees them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddCustomAttributesCommand, CreateResourceServerCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  CreateUserPoolDomainCommand, DeleteResourceServerCommand, DeleteUserPoolClientCommand, DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand, DescribeResourceServerCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand, ListResourceServersCommand, ListTagsForResourceCommand, ListUserPoolClientsCommand,
  ListUserPoolsCommand, TagResourceCommand, UntagResourceCommand, UpdateResourceServerCommand, UpdateUserPoolClientCommand,
  UpdateUserPoolCommand, UpdateUserPoolDomainCommand, AdminCreateUserCommand,
  paginateListUserPools, paginateListUserPoolClients, paginateListResourceServers,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, unique } from './portal.js';

const rejects = (promise, name, message) => assert.rejects(promise, (e) => {
  assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
  assert.equal(e.$metadata.httpStatusCode, 400);
  if (message) assert.match(e.message, message);
  return true;
});

const newPool = async (input = {}) =>
  (await admin.send(new CreateUserPoolCommand({ PoolName: unique('sdk-pool'), ...input }))).UserPool;
const describe = async (id) => (await admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool;

test('CreateUserPool and DescribeUserPool answer the pool with AWS ids, ARN and dates', async () => {
  const name = unique('sdk-pool');
  const pool = (await admin.send(new CreateUserPoolCommand({
    PoolName: name, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }],
    UserPoolTags: { stage: 'compat' },
  }))).UserPool;
  assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]{9}$/);
  assert.equal(pool.Name, name);
  assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
  assert.ok(pool.CreationDate instanceof Date);
  assert.deepEqual(pool.UsernameAttributes, ['email']);
  assert.equal(pool.MfaConfiguration, 'OFF');
  assert.equal(pool.DeletionProtection, 'INACTIVE');
  assert.equal(pool.EstimatedNumberOfUsers, 0);
  assert.ok(pool.SchemaAttributes.some((a) => a.Name === 'custom:tenant'));
  assert.deepEqual(pool.UserPoolTags, { stage: 'compat' });

  const described = await describe(pool.Id);
  assert.equal(described.Arn, pool.Arn);
  assert.equal(described.CreationDate.getTime(), pool.CreationDate.getTime());
});

test('CreateUserPool refuses what Cognito refuses', async () => {
  await rejects(admin.send(new CreateUserPoolCommand({})), 'InvalidParameterException', /poolName/);
  await rejects(newPool({ UsernameAttributes: ['email'], AliasAttributes: ['email'] }), 'InvalidParameterException', /Only one of the aliasAttributes or usernameAttributes/);
  await rejects(newPool({ MfaConfiguration: 'ON' }), 'InvalidParameterException', /SMS configuration/);
  await rejects(newPool({ Schema: [{ Name: 'tenant', AttributeDataType: 'String', Required: true }] }), 'InvalidParameterException', /Required custom attributes/);
  await rejects(newPool({ Schema: [{ Name: 'tenant' }] }), 'InvalidParameterException',
    /^Invalid AttributeDataType input, consider using the provided AttributeDataType enum\.$/);
  await rejects(newPool({ UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }), 'FeatureUnavailableInTierException');
});

test('DescribeUserPool of an unknown pool is ResourceNotFoundException', async () => {
  await rejects(describe('us-east-1_Missing00'), 'ResourceNotFoundException');
});

test('UpdateUserPool changes what it is given, keeps the rest and moves LastModifiedDate', async () => {
  const pool = await newPool({ AliasAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 11 } } });
  await new Promise((r) => setTimeout(r, 20));
  await admin.send(new UpdateUserPoolCommand({
    UserPoolId: pool.Id, PoolName: `${pool.Name}-2`, AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  }));
  const updated = await describe(pool.Id);
  assert.equal(updated.Name, `${pool.Name}-2`);
  assert.equal(updated.AdminCreateUserConfig.AllowAdminCreateUserOnly, true);
  assert.equal(updated.Policies.PasswordPolicy.MinimumLength, 11);
  assert.deepEqual(updated.AliasAttributes, ['email']);
  assert.ok(updated.LastModifiedDate > pool.LastModifiedDate);
  await rejects(admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL' })), 'InvalidParameterException');
  await rejects(admin.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_Missing00' })), 'ResourceNotFoundException');
});

test('DeleteUserPool is refused under deletion protection, then deletes everything', async () => {
  const pool = await newPool({ DeletionProtection: 'ACTIVE' });
  const client = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'app' }))).UserPoolClient;
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: 'someone', MessageAction: 'SUPPRESS' }));
  await rejects(admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })), 'InvalidParameterException', /deletion protection/);
  assert.equal((await describe(pool.Id)).EstimatedNumberOfUsers, 1);

  await admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
  await admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
  await rejects(describe(pool.Id), 'ResourceNotFoundException');
  await rejects(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })), 'ResourceNotFoundException');
});

test('ListUserPools pages with NextToken (and the SDK paginator) within MaxResults 1..60', async () => {
  const created = [];
  for (let i = 0; i < 3; i++) created.push((await newPool()).Id);
  const first = await admin.send(new ListUserPoolsCommand({ MaxResults: 1 }));
  assert.equal(first.UserPools.length, 1);
  assert.ok(first.NextToken);
  const ids = [];
  for await (const page of paginateListUserPools({ client: admin, pageSize: 2 }, { MaxResults: 2 })) {
    assert.ok(page.UserPools.length <= 2);
    ids.push(...page.UserPools.map((p) => p.Id));
  }
  assert.equal(new Set(ids).size, ids.length);
  for (const id of created) assert.ok(ids.includes(id));
  await rejects(admin.send(new ListUserPoolsCommand({ MaxResults: 0 })), 'InvalidParameterException', /maxResults/);
  await rejects(admin.send(new ListUserPoolsCommand({ MaxResults: 61 })), 'InvalidParameterException', /maxResults/);
});

test('AddCustomAttributes adds custom: attributes and refuses existing names', async () => {
  const pool = await newPool({ Schema: [{ Name: 'tenant', AttributeDataType: 'String' }] });
  await admin.send(new AddCustomAttributesCommand({
    UserPoolId: pool.Id, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '5' } }],
  }));
  const attrs = (await describe(pool.Id)).SchemaAttributes;
  assert.ok(attrs.some((a) => a.Name === 'custom:plan' && a.AttributeDataType === 'Number'));
  await rejects(admin.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'tenant', AttributeDataType: 'String' }] })),
    'InvalidParameterException', /^custom:tenant: Existing attribute already has name custom:tenant\.$/);
  await rejects(admin.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'nodatatype' }] })),
    'InvalidParameterException', /Invalid AttributeDataType input/);
  // A developer-only attribute is dev:custom:x, as Cognito names it.
  await admin.send(new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'internal', AttributeDataType: 'String', DeveloperOnlyAttribute: true }] }));
  assert.ok((await describe(pool.Id)).SchemaAttributes.some((a) => a.Name === 'dev:custom:internal' && a.DeveloperOnlyAttribute === true));
  await rejects(admin.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_Missing00', CustomAttributes: [{ Name: 'x', AttributeDataType: 'String' }] })),
    'ResourceNotFoundException');
});

test('app clients: create, describe, update (settings replaced, secret kept), list and delete', async () => {
  const pool = await newPool();
  const client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientName: 'web', GenerateSecret: true, RefreshTokenValidity: 7,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  assert.match(client.ClientId, /^[a-z0-9]{26}$/);
  assert.ok(client.ClientSecret);
  assert.equal(client.PreventUserExistenceErrors, 'LEGACY');   // Cognito's API default
  assert.equal(client.RefreshTokenValidity, 7);

  const described = (await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }))).UserPoolClient;
  assert.equal(described.ClientSecret, client.ClientSecret);

  const updated = (await admin.send(new UpdateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientId: client.ClientId, ClientName: 'web-2', AccessTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'minutes' },
  }))).UserPoolClient;
  assert.equal(updated.ClientName, 'web-2');
  assert.equal(updated.ClientSecret, client.ClientSecret);
  assert.equal(updated.AccessTokenValidity, 30);
  assert.equal(updated.RefreshTokenValidity, 30);
  assert.deepEqual(updated.ExplicitAuthFlows, ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);

  await admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'mobile' }));
  await admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'cli' }));
  const page = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 2 }));
  assert.equal(page.UserPoolClients.length, 2);
  assert.ok(page.NextToken);
  assert.deepEqual(Object.keys(page.UserPoolClients[0]).sort(), ['ClientId', 'ClientName', 'UserPoolId']);
  const names = [];
  for await (const p of paginateListUserPoolClients({ client: admin, pageSize: 2 }, { UserPoolId: pool.Id })) names.push(...p.UserPoolClients.map((c) => c.ClientName));
  assert.deepEqual(names.sort(), ['cli', 'mobile', 'web-2']);

  await admin.send(new DeleteUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }));
  await rejects(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })), 'ResourceNotFoundException');
  await rejects(admin.send(new DeleteUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })), 'ResourceNotFoundException');
  await rejects(admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 61 })), 'InvalidParameterException');
});

test('app client settings are checked as Cognito checks them', async () => {
  const pool = await newPool();
  const create = (input) => admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'c', ...input }));
  await rejects(create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] }), 'InvalidParameterException');
  await rejects(create({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }), 'InvalidParameterException', /Invalid range for token validity/);
  await rejects(create({ RefreshTokenValidity: 30, TokenValidityUnits: { RefreshToken: 'minutes' } }), 'InvalidParameterException', /token validity/);
  await rejects(create({ CallbackURLs: ['http://example.com/cb'] }), 'InvalidParameterException', /cannot use the HTTP protocol/);
  await rejects(create({ CallbackURLs: ['https://example.com/cb'], DefaultRedirectURI: 'https://example.com/x' }), 'InvalidParameterException');
  await rejects(create({ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: ['https://example.com/cb'] }), 'InvalidOAuthFlowException');
  await rejects(create({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['x/y'] }),
    'InvalidOAuthFlowException', /client secret/);
  await rejects(create({ GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['openid'] }),
    'InvalidOAuthFlowException', /openid is not supported with client_credentials flow/);
  await rejects(create({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['nope/read'], CallbackURLs: ['https://example.com/cb'] }),
    'ScopeDoesNotExistException', /Invalid scope requested: nope\/read/);
  await rejects(create({ ReadAttributes: ['custom:missing'] }), 'InvalidParameterException', /Invalid read attributes/);
  const ok = (await create({
    AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: ['https://example.com/cb', 'http://localhost:3000/cb'], DefaultRedirectURI: 'https://example.com/cb',
    AccessTokenValidity: 1, IdTokenValidity: 1, TokenValidityUnits: { AccessToken: 'days', IdToken: 'days' },
  })).UserPoolClient;
  assert.deepEqual(ok.AllowedOAuthFlows, ['code']);
  assert.equal(ok.TokenValidityUnits.AccessToken, 'days');
  const clients = (await admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id }))).UserPoolClients;
  assert.equal(clients.length, 1, 'refused creations add no client');
});

test('domains: create, describe, update, delete; unknown domains describe as empty', async () => {
  const pool = await newPool();
  const domain = unique('sdk-login').toLowerCase();
  const created = await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain }));
  assert.equal(created.ManagedLoginVersion, 1);
  const d = (await admin.send(new DescribeUserPoolDomainCommand({ Domain: domain }))).DomainDescription;
  assert.equal(d.UserPoolId, pool.Id);
  assert.equal(d.AWSAccountId, '000000000000');
  assert.equal(d.Domain, domain);
  assert.equal(d.Status, 'ACTIVE');
  assert.ok(d.Version);
  assert.equal((await describe(pool.Id)).Domain, domain);

  const other = await newPool();
  await rejects(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: other.Id, Domain: domain })), 'InvalidParameterException', /already associated/);
  await rejects(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: other.Id, Domain: 'aws-login' })), 'InvalidParameterException', /reserved word/);

  const updated = await admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain, ManagedLoginVersion: 2 }));
  assert.equal(updated.ManagedLoginVersion, 2);
  await rejects(admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: other.Id, Domain: domain, ManagedLoginVersion: 1 })),
    'InvalidParameterException', /No such domain or user pool exists/);

  await admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain }));
  assert.deepEqual((await admin.send(new DescribeUserPoolDomainCommand({ Domain: domain }))).DomainDescription, {});
  await rejects(admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain })), 'InvalidParameterException', /No such domain/);
});

test('tags: TagResource, UntagResource and ListTagsForResource on the pool ARN, shown as UserPoolTags', async () => {
  const pool = await newPool({ UserPoolTags: { a: '1' } });
  await admin.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { b: '2', a: 'one' } }));
  assert.deepEqual((await admin.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }))).Tags, { a: 'one', b: '2' });
  await admin.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ['a'] }));
  assert.deepEqual((await admin.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }))).Tags, { b: '2' });
  assert.deepEqual((await describe(pool.Id)).UserPoolTags, { b: '2' });
  const unknown = 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Missing00';
  await rejects(admin.send(new ListTagsForResourceCommand({ ResourceArn: unknown })), 'ResourceNotFoundException');
  await rejects(admin.send(new TagResourceCommand({ ResourceArn: unknown, Tags: { x: 'y' } })), 'ResourceNotFoundException');
  await rejects(admin.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { 'aws:x': 'y' } })), 'InvalidParameterException');
});

test('resource servers: create, describe, list, update, delete; client scopes follow them', async () => {
  const pool = await newPool();
  const rs = (await admin.send(new CreateResourceServerCommand({
    UserPoolId: pool.Id, Identifier: 'https://api.example.com', Name: 'api',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }],
  }))).ResourceServer;
  assert.deepEqual(rs.Scopes.map((s) => s.ScopeName), ['read', 'write']);
  assert.equal((await admin.send(new DescribeResourceServerCommand({ UserPoolId: pool.Id, Identifier: rs.Identifier }))).ResourceServer.Name, 'api');
  await rejects(admin.send(new CreateResourceServerCommand({ UserPoolId: pool.Id, Identifier: rs.Identifier, Name: 'again' })), 'InvalidParameterException');
  await rejects(admin.send(new CreateResourceServerCommand({ UserPoolId: pool.Id, Identifier: 'bad', Name: 'bad', Scopes: [{ ScopeName: 'a b', ScopeDescription: 'x' }] })),
    'InvalidParameterException', /scopeName/);

  const client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://api.example.com/read', 'https://api.example.com/write'],
  }))).UserPoolClient;
  assert.deepEqual(client.AllowedOAuthScopes, ['https://api.example.com/read', 'https://api.example.com/write']);

  const updated = (await admin.send(new UpdateResourceServerCommand({
    UserPoolId: pool.Id, Identifier: rs.Identifier, Name: 'api v2', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
  }))).ResourceServer;
  assert.equal(updated.Name, 'api v2');
  const after = (await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }))).UserPoolClient;
  assert.deepEqual(after.AllowedOAuthScopes, ['https://api.example.com/read']);

  await admin.send(new CreateResourceServerCommand({ UserPoolId: pool.Id, Identifier: 'billing', Name: 'billing' }));
  const identifiers = [];
  for await (const page of paginateListResourceServers({ client: admin, pageSize: 1 }, { UserPoolId: pool.Id, MaxResults: 1 }))
    identifiers.push(...page.ResourceServers.map((r) => r.Identifier));
  assert.deepEqual(identifiers, ['billing', 'https://api.example.com']);

  await admin.send(new DeleteResourceServerCommand({ UserPoolId: pool.Id, Identifier: rs.Identifier }));
  await rejects(admin.send(new DescribeResourceServerCommand({ UserPoolId: pool.Id, Identifier: rs.Identifier })), 'ResourceNotFoundException');
  assert.deepEqual((await admin.send(new ListResourceServersCommand({ UserPoolId: pool.Id, MaxResults: 10 }))).ResourceServers.map((r) => r.Identifier), ['billing']);
});

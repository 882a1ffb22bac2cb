// Users and groups through the AWS SDK v3, asserted as a Cognito user sees them: the admin user operations, ListUsers
// with its filter grammar and paging, groups and memberships, and the exceptions (name, status, message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDeleteUserAttributesCommand, AdminDeleteUserCommand,
  AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand, AdminSetUserPasswordCommand, AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand, CreateGroupCommand, CreateUserPoolCommand, DeleteGroupCommand, GetGroupCommand,
  ListGroupsCommand, ListUsersCommand, ListUsersInGroupCommand, UpdateGroupCommand,
  paginateListUsers, paginateListGroups, paginateListUsersInGroup, paginateAdminListGroupsForUser,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, unique } from './portal.js';

const PASSWORD = 'Passw0rd!x';

const rejects = (promise, name, message) => assert.rejects(promise, (e) => {
  assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
  assert.equal(e.$metadata.httpStatusCode, 400);
  if (message) assert.match(e.message, message);
  return true;
});

const newPool = async (input = {}) =>
  (await admin.send(new CreateUserPoolCommand({ PoolName: unique('sdk-users'), ...input }))).UserPool.Id;

const attrs = (list) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

const createUser = (UserPoolId, Username, attributes = {}, extra = {}) => admin.send(new AdminCreateUserCommand({
  UserPoolId, Username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS',
  UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  ...extra,
}));

const getUser = (UserPoolId, Username) => admin.send(new AdminGetUserCommand({ UserPoolId, Username }));

const collect = async (paginator, key) => {
  const items = [];
  let pages = 0;
  for await (const page of paginator) { items.push(...page[key]); pages += 1; }
  return { items, pages };
};

test('AdminCreateUser and AdminGetUser: a FORCE_CHANGE_PASSWORD user with a sub, dates and attributes', async () => {
  const pool = await newPool();
  const { User } = await createUser(pool, 'Alice', { email: 'alice@example.com', given_name: 'Alice' });
  assert.equal(User.Username, 'Alice');
  assert.equal(User.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.equal(User.Enabled, true);
  assert.ok(User.UserCreateDate instanceof Date);
  assert.match(attrs(User.Attributes).sub, /^[0-9a-f-]{36}$/);

  const got = await getUser(pool, 'alice');
  assert.equal(got.Username, 'Alice');
  assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.equal(got.Enabled, true);
  assert.ok(got.UserLastModifiedDate instanceof Date);
  assert.deepEqual(attrs(got.UserAttributes), attrs(User.Attributes));

  await rejects(createUser(pool, 'ALICE'), 'UsernameExistsException', /^User account already exists$/);
  await rejects(getUser(pool, 'nobody'), 'UserNotFoundException', /^User does not exist\.$/);
  await rejects(getUser('us-east-1_Nonexist0', 'nobody'), 'ResourceNotFoundException');
});

test('AdminCreateUser refuses schema violations and weak passwords, and then writes nothing', async () => {
  const pool = await newPool({ Schema: [{ Name: 'family_name', Required: true }] });
  await rejects(createUser(pool, 'u1', { family_name: 'X', 'custom:nope': '1' }), 'InvalidParameterException', /custom:nope/);
  await rejects(createUser(pool, 'u2', { given_name: 'X' }), 'InvalidParameterException', /family_name/);
  await rejects(createUser(pool, 'u3', { family_name: 'X', email: 'not-an-email' }), 'InvalidParameterException', /email/);
  await rejects(admin.send(new AdminCreateUserCommand({
    UserPoolId: pool, Username: 'u4', TemporaryPassword: 'short', UserAttributes: [{ Name: 'family_name', Value: 'X' }],
  })), 'InvalidPasswordException', /^Password did not conform with policy/);
  await rejects(getUser(pool, 'u4'), 'UserNotFoundException');
  assert.equal((await admin.send(new ListUsersCommand({ UserPoolId: pool }))).Users.length, 0);
});

test('AdminCreateUser in an email-username pool, with aliases, RESEND and ForceAliasCreation', async () => {
  const byEmail = await newPool({ UsernameAttributes: ['email'] });
  const { User } = await createUser(byEmail, 'kim@example.com');
  assert.equal(User.Username, attrs(User.Attributes).sub);
  assert.equal((await getUser(byEmail, 'kim@example.com')).Username, User.Username);
  await rejects(createUser(byEmail, 'kim@example.com'), 'UsernameExistsException', /email already exists/);
  await rejects(createUser(byEmail, 'kim'), 'InvalidParameterException', /Username should be an email/);

  const aliased = await newPool({ AliasAttributes: ['email'] });
  await createUser(aliased, 'mallory', { email: 'shared@example.com', email_verified: 'true' });
  assert.equal((await getUser(aliased, 'shared@example.com')).Username, 'mallory');
  await rejects(createUser(aliased, 'niaj', { email: 'shared@example.com', email_verified: 'true' }), 'AliasExistsException');
  await createUser(aliased, 'niaj', { email: 'shared@example.com', email_verified: 'true' }, { ForceAliasCreation: true });
  assert.equal((await getUser(aliased, 'shared@example.com')).Username, 'niaj');
  assert.equal(attrs((await getUser(aliased, 'mallory')).UserAttributes).email_verified, 'false');
  await rejects(createUser(aliased, 'peggy@example.com'), 'InvalidParameterException', /email format/);

  const resent = await admin.send(new AdminCreateUserCommand({
    UserPoolId: aliased, Username: 'niaj', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'],
  }));
  assert.equal(resent.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
  await rejects(admin.send(new AdminCreateUserCommand({ UserPoolId: aliased, Username: 'nobody', MessageAction: 'RESEND' })), 'UserNotFoundException');
  await rejects(admin.send(new AdminCreateUserCommand({
    UserPoolId: aliased, Username: 'nomail', DesiredDeliveryMediums: ['EMAIL'],
  })), 'InvalidParameterException');
});

test('AdminUpdateUserAttributes and AdminDeleteUserAttributes keep the schema and change all or nothing', async () => {
  const pool = await newPool({
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: false }, { Name: 'family_name', Required: true }],
  });
  await createUser(pool, 'rupert', { email: 'rupert@example.com', email_verified: 'true', family_name: 'R', 'custom:tenant': 'acme', nickname: 'Ru' });

  await admin.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: pool, Username: 'rupert',
    UserAttributes: [{ Name: 'email', Value: 'rupert@new.example.com' }, { Name: 'given_name', Value: 'Rupert' }],
  }));
  let a = attrs((await getUser(pool, 'rupert')).UserAttributes);
  assert.equal(a.email, 'rupert@new.example.com');
  assert.equal(a.email_verified, 'false');
  assert.equal(a.given_name, 'Rupert');

  await admin.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: pool, Username: 'rupert',
    UserAttributes: [{ Name: 'email', Value: 'rupert@third.example.com' }, { Name: 'email_verified', Value: 'true' }],
  }));
  assert.equal(attrs((await getUser(pool, 'rupert')).UserAttributes).email_verified, 'true');

  await rejects(admin.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: pool, Username: 'rupert',
    UserAttributes: [{ Name: 'given_name', Value: 'Changed' }, { Name: 'custom:tenant', Value: 'other' }],
  })), 'InvalidParameterException', /custom:tenant/);
  await rejects(admin.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: pool, Username: 'rupert', UserAttributes: [{ Name: 'given_name', Value: 'Changed' }, { Name: 'family_name', Value: '' }],
  })), 'InvalidParameterException', /family_name/);
  a = attrs((await getUser(pool, 'rupert')).UserAttributes);
  assert.equal(a.given_name, 'Rupert');
  assert.equal(a['custom:tenant'], 'acme');
  await rejects(admin.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: pool, Username: 'nobody', UserAttributes: [{ Name: 'given_name', Value: 'X' }],
  })), 'UserNotFoundException');

  await admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'rupert', UserAttributeNames: ['nickname', 'email'] }));
  a = attrs((await getUser(pool, 'rupert')).UserAttributes);
  assert.equal(a.nickname, undefined);
  assert.equal(a.email, undefined);
  assert.equal(a.email_verified, undefined);
  await rejects(admin.send(new AdminDeleteUserAttributesCommand({
    UserPoolId: pool, Username: 'rupert', UserAttributeNames: ['family_name'],
  })), 'InvalidParameterException', /family_name/);
  await rejects(admin.send(new AdminDeleteUserAttributesCommand({
    UserPoolId: pool, Username: 'nobody', UserAttributeNames: ['nickname'],
  })), 'UserNotFoundException');
});

test('AdminDisableUser, AdminEnableUser, AdminSetUserPassword, AdminUserGlobalSignOut and AdminDeleteUser', async () => {
  const pool = await newPool();
  await createUser(pool, 'victor');
  await admin.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'victor' }));
  assert.equal((await getUser(pool, 'victor')).Enabled, false);
  await admin.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: 'victor' }));
  assert.equal((await getUser(pool, 'victor')).Enabled, true);
  await rejects(admin.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'nobody' })), 'UserNotFoundException');
  await rejects(admin.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: 'nobody' })), 'UserNotFoundException');

  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'victor', Password: 'Perm-Passw0rd', Permanent: true }));
  assert.equal((await getUser(pool, 'victor')).UserStatus, 'CONFIRMED');
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'victor', Password: 'Temp-Passw0rd', Permanent: false }));
  assert.equal((await getUser(pool, 'victor')).UserStatus, 'FORCE_CHANGE_PASSWORD');
  await rejects(admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'victor', Password: 'nouppercase1!', Permanent: true })),
    'InvalidPasswordException', /uppercase/);
  await rejects(admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'nobody', Password: 'Perm-Passw0rd', Permanent: true })),
    'UserNotFoundException');

  await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'victor' }));
  await rejects(admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'nobody' })), 'UserNotFoundException');

  await admin.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'VICTOR' }));
  await rejects(getUser(pool, 'victor'), 'UserNotFoundException');
  await rejects(admin.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'victor' })), 'UserNotFoundException');
});

test('ListUsers filters every searchable attribute exactly and by prefix', async () => {
  const pool = await newPool();
  await createUser(pool, 'Alice.Smith', {
    email: 'alice@example.com', phone_number: '+15550000001', name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', preferred_username: 'ali',
  });
  await createUser(pool, 'alan', {
    email: 'alan@example.org', phone_number: '+15550000002', name: 'Alan Turing', given_name: 'Alan', family_name: 'Turing', preferred_username: 'al',
  });
  await createUser(pool, 'bob', { email: 'bob@example.com', family_name: 'Smithers', given_name: 'Bob' });
  await createUser(pool, 'carol', { family_name: 'O"Brien' });
  await createUser(pool, 'dave');
  await admin.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'dave' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'carol', Password: 'Perm-Passw0rd', Permanent: true }));
  const alanSub = attrs((await getUser(pool, 'alan')).UserAttributes).sub;

  const names = async (Filter) => {
    const out = await admin.send(new ListUsersCommand({ UserPoolId: pool, Filter }));
    return out.Users.map((u) => u.Username).sort();
  };
  const cases = [
    [undefined, ['Alice.Smith', 'alan', 'bob', 'carol', 'dave']],
    ['username = "alice.smith"', ['Alice.Smith']],
    ['username ^= "AL"', ['Alice.Smith', 'alan']],
    ['email = "bob@example.com"', ['bob']],
    ['email ^= "al"', ['Alice.Smith', 'alan']],
    ['phone_number = "+15550000002"', ['alan']],
    ['phone_number ^= "+1555"', ['Alice.Smith', 'alan']],
    ['name = "Alan Turing"', ['alan']],
    ['name ^= "Al"', ['Alice.Smith', 'alan']],
    ['given_name = "Bob"', ['bob']],
    ['given_name ^= "A"', ['Alice.Smith', 'alan']],
    ['family_name = "Smith"', ['Alice.Smith']],
    ['family_name ^= "Smith"', ['Alice.Smith', 'bob']],
    ['family_name = "O\\"Brien"', ['carol']],
    ['preferred_username = "al"', ['alan']],
    ['preferred_username ^= "al"', ['Alice.Smith', 'alan']],
    ['cognito:user_status = "CONFIRMED"', ['carol']],
    ['cognito:user_status = "force_change_password"', ['Alice.Smith', 'alan', 'bob', 'dave']],
    ['cognito:user_status ^= "FORCE"', ['Alice.Smith', 'alan', 'bob', 'dave']],
    ['status = "Disabled"', ['dave']],
    ['status = "Enabled"', ['Alice.Smith', 'alan', 'bob', 'carol']],
    ['status ^= "Dis"', ['dave']],
    [`sub = "${alanSub}"`, ['alan']],
    ['   given_name   ^=   "A"   ', ['Alice.Smith', 'alan']],
    ['given_name="Bob"', ['bob']],
  ];
  for (const [filter, expected] of cases) assert.deepEqual(await names(filter), [...expected].sort(), `filter ${filter}`);
  assert.ok((await names(`sub ^= "${alanSub.slice(0, 8)}"`)).includes('alan'));

  for (const bad of ['family_name = Smith', 'family_name "Smith"', 'family_name = "Smith', 'family_name = "a" b']) {
    await rejects(admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: bad })), 'InvalidParameterException', /^Error while parsing filter\.$/);
  }
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'custom:tenant = "x"' })),
    'InvalidParameterException', /^Invalid search attribute: custom:tenant$/);

  const only = await admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username = "bob"', AttributesToGet: ['email'] }));
  assert.deepEqual(only.Users[0].Attributes, [{ Name: 'email', Value: 'bob@example.com' }]);
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: pool, AttributesToGet: ['custom:nope'] })), 'InvalidParameterException');
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: 'us-east-1_Nonexist0' })), 'ResourceNotFoundException');
});

test('ListUsers pages with Limit and PaginationToken, with and without a filter', async () => {
  const pool = await newPool();
  const usernames = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
  for (const [i, u] of usernames.entries()) await createUser(pool, u, { family_name: i < 5 ? 'Pager' : 'Other', given_name: `G${6 - i}` });

  const all = await collect(paginateListUsers({ client: admin, pageSize: 2 }, { UserPoolId: pool }), 'Users');
  assert.deepEqual(all.items.map((u) => u.Username), usernames);
  assert.equal(all.pages, 4);

  const pagers = await collect(paginateListUsers({ client: admin, pageSize: 2 }, { UserPoolId: pool, Filter: 'family_name = "Pager"' }), 'Users');
  assert.deepEqual(pagers.items.map((u) => u.Username).sort(), usernames.slice(0, 5));
  assert.equal(pagers.pages, 3);

  const byGiven = await collect(paginateListUsers({ client: admin, pageSize: 3 }, { UserPoolId: pool, Filter: 'given_name ^= "G"' }), 'Users');
  assert.deepEqual(byGiven.items.map((u) => u.Username), [...usernames].reverse());

  const first = await admin.send(new ListUsersCommand({ UserPoolId: pool, Limit: 1, Filter: 'family_name = "Pager"' }));
  assert.ok(first.PaginationToken);
  const other = await newPool();
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: pool, PaginationToken: first.PaginationToken })), 'InvalidParameterException');
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: other, Filter: 'family_name = "Pager"', PaginationToken: first.PaginationToken })),
    'InvalidParameterException');
  await rejects(admin.send(new ListUsersCommand({ UserPoolId: pool, Limit: 61 })), 'InvalidParameterException');
});

test('Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup and ListGroups paging', async () => {
  const pool = await newPool();
  const role = 'arn:aws:iam::000000000000:role/editors';
  const { Group } = await admin.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'editors', Description: 'They edit', Precedence: 3, RoleArn: role }));
  assert.equal(Group.GroupName, 'editors');
  assert.equal(Group.UserPoolId, pool);
  assert.equal(Group.Precedence, 3);
  assert.equal(Group.RoleArn, role);
  assert.ok(Group.CreationDate instanceof Date);
  await rejects(admin.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'editors' })), 'GroupExistsException', /^A group with the name already exists\.$/);

  const got = (await admin.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'editors' }))).Group;
  assert.equal(got.Description, 'They edit');
  const updated = (await admin.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'editors', Description: 'More', Precedence: 1 }))).Group;
  assert.equal(updated.Description, 'More');
  assert.equal(updated.Precedence, 1);
  assert.equal(updated.RoleArn, role);
  await rejects(admin.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'ghosts' })), 'ResourceNotFoundException', /^Group not found\.$/);
  await rejects(admin.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'ghosts', Description: 'x' })), 'ResourceNotFoundException');

  for (const name of ['d', 'b', 'a', 'c']) await admin.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: name }));
  const listed = await collect(paginateListGroups({ client: admin, pageSize: 2 }, { UserPoolId: pool }), 'Groups');
  assert.deepEqual(listed.items.map((g) => g.GroupName), ['a', 'b', 'c', 'd', 'editors']);
  assert.equal(listed.pages, 3);
  assert.equal((await admin.send(new ListGroupsCommand({ UserPoolId: pool }))).Groups.length, 5);

  await admin.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'editors' }));
  await rejects(admin.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'editors' })), 'ResourceNotFoundException');
});

test('Memberships: AdminAddUserToGroup, ListUsersInGroup, AdminListGroupsForUser, AdminRemoveUserFromGroup', async () => {
  const pool = await newPool();
  for (const g of ['g3', 'g1', 'g2']) await admin.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: g }));
  const members = ['m1', 'm2', 'm3', 'm4', 'm5'];
  for (const m of members) {
    await createUser(pool, m, { email: `${m}@example.com` });
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: m, GroupName: 'g1' }));
  }
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'M1', GroupName: 'g1' }));
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'm1', GroupName: 'g2' }));
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'm1', GroupName: 'g3' }));

  const inGroup = await collect(paginateListUsersInGroup({ client: admin, pageSize: 2 }, { UserPoolId: pool, GroupName: 'g1' }), 'Users');
  assert.deepEqual(inGroup.items.map((u) => u.Username).sort(), members);
  assert.equal(inGroup.pages, 3);
  assert.equal(attrs(inGroup.items.find((u) => u.Username === 'm2').Attributes).email, 'm2@example.com');

  const groups = await collect(paginateAdminListGroupsForUser({ client: admin, pageSize: 2 }, { UserPoolId: pool, Username: 'm1' }), 'Groups');
  assert.deepEqual(groups.items.map((g) => g.GroupName), ['g1', 'g2', 'g3']);
  assert.equal(groups.pages, 2);

  await admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: 'm1', GroupName: 'g1' }));
  const after = await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'm1' }));
  assert.deepEqual(after.Groups.map((g) => g.GroupName), ['g2', 'g3']);
  assert.equal((await admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'g1' }))).Users.length, 4);

  await rejects(admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'nobody', GroupName: 'g1' })), 'UserNotFoundException');
  await rejects(admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'm1', GroupName: 'ghosts' })), 'ResourceNotFoundException');
  await rejects(admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: 'nobody', GroupName: 'g1' })), 'UserNotFoundException');
  await rejects(admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: 'm1', GroupName: 'ghosts' })), 'ResourceNotFoundException');
  await rejects(admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'nobody' })), 'UserNotFoundException');
  await rejects(admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'ghosts' })), 'ResourceNotFoundException');

  await admin.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'm2' }));
  assert.equal((await admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'g1' }))).Users.length, 3);
});

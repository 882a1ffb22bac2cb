// The IAM differential corpus: a deterministic (seeded) generator of request/policy cases covering Portal's policy
// engine feature by feature, plus AWS's published Cognito examples. Each case: { id, feature, policies (identity policy
// documents), boundary?, session? (documents), action, resource, context: [{ name, values, type }] } where type is IAM's
// ContextKeyType (string, stringList, numeric, ip, date, boolean, binary...).

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const account = '123456789012';
export const poolId = 'us-east-1:0a1b2c3d-0000-4000-8000-000000000001';
const sub = 'us-east-1:9f8e7d6c-1111-4222-8333-444455556666';
const otherSub = 'us-east-1:11111111-2222-4333-8444-555566667777';
const doc = (...Statement) => ({ Version: '2012-10-17', Statement });

export function corpus(seed = 20261204) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const some = (xs, max = 3) => {
    const n = 1 + Math.floor(rnd() * Math.min(max, xs.length));
    const copy = [...xs];
    const out = [];
    for (let i = 0; i < n; i++) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]);
    return out;
  };
  const cases = [];
  const counters = {};
  const add = (feature, c) => {
    counters[feature] = (counters[feature] ?? 0) + 1;
    cases.push({ id: `${feature}-${counters[feature]}`, feature, context: [], ...c });
  };

  // --- Action / NotAction: case-insensitive, * and ? wildcards --------------------------------------------------------
  const actions = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 'dynamodb:GetItem', 'dynamodb:PutItem',
    'dynamodb:Query', 'execute-api:Invoke', 'cognito-sync:ListRecords', 'sqs:SendMessage'];
  const actionPatterns = ['*', 's3:*', 's3:Get*', 's3:?etObject', 'S3:getobject', 's3:GETOBJECT', 'dynamodb:*Item', 'dynamodb:Get*',
    'execute-api:*', 's3:*Object', 'S3:List*', 'cognito-sync:*', 'sqs:Send?essage', 's3:Put*', 'dynamodb:query'];
  for (let i = 0; i < 40; i++) {
    add('action', { policies: [doc({ Effect: 'Allow', Action: some(actionPatterns), Resource: '*' })], action: pick(actions), resource: 'arn:aws:s3:::bucket/key' });
  }
  for (let i = 0; i < 20; i++) {
    add('notaction', { policies: [doc({ Effect: pick(['Allow', 'Allow', 'Deny']), NotAction: some(actionPatterns, 2), Resource: '*' },
      ...(rnd() < 0.5 ? [{ Effect: 'Allow', Action: '*', Resource: '*' }] : []))], action: pick(actions), resource: 'arn:aws:s3:::bucket/key' });
  }

  // --- Resource / NotResource: case-sensitive, * and ? wildcards, per ARN segment -------------------------------------
  const resources = ['arn:aws:s3:::bucket/key', 'arn:aws:s3:::bucket/Key', 'arn:aws:s3:::bucket/dir/sub/file.txt', 'arn:aws:s3:::bucket',
    'arn:aws:s3:::Bucket/key', 'arn:aws:s3:::other/key', `arn:aws:dynamodb:us-east-1:${account}:table/Notes`,
    `arn:aws:dynamodb:eu-west-1:${account}:table/notes`, `arn:aws:execute-api:us-east-1:${account}:a1b2c3/prod/GET/pets`];
  const resourcePatterns = ['*', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key', 'arn:aws:s3:::bucket/k?y', 'arn:aws:s3:::BUCKET/*',
    'arn:aws:s3:::bucket/dir/*', 'arn:aws:s3:::bucket', 'arn:aws:s3:::*', 'arn:aws:s3:::bucket*', `arn:aws:dynamodb:*:${account}:table/Notes`,
    `arn:aws:dynamodb:us-east-1:*:table/*`, 'arn:aws:dynamodb:*:*:table/notes', `arn:aws:execute-api:us-east-1:${account}:a1b2c3/*/GET/*`,
    `arn:aws:execute-api:*:*:a1b2c3/prod/*`, 'arn:aws:s3:::bucket/*/file.txt', 'arn:aws:s3:::bucket/dir/???/*'];
  for (let i = 0; i < 45; i++) {
    add('resource', { policies: [doc({ Effect: 'Allow', Action: '*', Resource: some(resourcePatterns) })], action: pick(actions), resource: pick(resources) });
  }
  for (let i = 0; i < 15; i++) {
    add('notresource', { policies: [doc({ Effect: pick(['Allow', 'Deny']), Action: '*', NotResource: some(resourcePatterns, 2) },
      { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/*' })], action: pick(actions), resource: pick(resources) });
  }

  // --- Default deny, explicit deny wins -----------------------------------------------------------------------------
  for (let i = 0; i < 20; i++) {
    const statements = [];
    const n = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < n; j++) statements.push({ Effect: pick(['Allow', 'Deny']), Action: some(actionPatterns, 2), Resource: some(resourcePatterns, 2) });
    const policies = rnd() < 0.5 ? [doc(...statements)] : statements.map((s) => doc(s));
    add('effect', { policies, action: pick(actions), resource: pick(resources) });
  }

  // --- Condition operators ----------------------------------------------------------------------------------------------
  const families = [
    { ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
      key: 'aws:PrincipalTag/team', type: 'string', policy: ['dev', 'Dev', 'prod', 'd*', 'p?od', '*', 'qa'], request: ['dev', 'DEV', 'prod', 'pr0d', 'qa', 'dev-x'] },
    { ops: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
      key: 'aws:MultiFactorAuthAge', type: 'numeric', policy: ['3600', '100', '0', '1.5', '-1'], request: ['50', '3600', '7200', '1.5', '0', '100'] },
    { ops: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
      key: 'aws:CurrentTime', type: 'date', policy: ['2026-01-01T00:00:00Z', '2026-12-04T12:00:00Z', '2027-06-01T00:00:00Z', '2026-12-04T12:00:00+01:00'],
      request: ['2026-12-04T12:00:00Z', '2025-05-05T05:05:05Z', '2027-06-01T00:00:00Z', '2026-12-04T11:00:00Z'] },
    { ops: ['Bool'], key: 'aws:SecureTransport', type: 'boolean', policy: ['true', 'false'], request: ['true', 'false'] },
    { ops: ['Bool'], key: 'aws:MultiFactorAuthPresent', type: 'boolean', policy: ['true', 'false'], request: ['true', 'false'] },
    { ops: ['BinaryEquals'], key: 'aws:PrincipalTag/blob', type: 'binary', policy: ['QmluYXJ5VmFsdWU=', 'b3RoZXI='], request: ['QmluYXJ5VmFsdWU=', 'b3RoZXI=', 'eHl6'] },
    { ops: ['IpAddress', 'NotIpAddress'], key: 'aws:SourceIp', type: 'ip',
      policy: ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7', '203.0.113.7/32', '2001:db8::/32', '0.0.0.0/0'],
      request: ['10.1.2.3', '192.168.2.1', '192.168.1.200', '203.0.113.7', '2001:db8::1', '2001:db9::1'] },
    { ops: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'], key: 'aws:PrincipalArn', type: 'string',
      policy: [`arn:aws:iam::${account}:role/*`, `arn:aws:iam::${account}:role/Admin`, 'arn:aws:iam::*:role/Cognito_*', `arn:aws:iam::${account}:role/Ad?in`],
      request: [`arn:aws:iam::${account}:role/Admin`, 'arn:aws:iam::210987654321:role/Cognito_Auth', `arn:aws:iam::${account}:role/admin`, `arn:aws:iam::${account}:user/Admin`] },
  ];
  for (const f of families) {
    for (const op of f.ops) {
      const rounds = f.ops.length === 1 ? 12 : 8;
      for (let i = 0; i < rounds; i++) {
        const ifExists = rnd() < 0.3;
        const present = rnd() < 0.85;
        const values = some(f.policy, 2);
        const effect = rnd() < 0.8 ? 'Allow' : 'Deny';
        const statements = [{ Effect: effect, Action: 's3:GetObject', Resource: '*', Condition: { [op + (ifExists ? 'IfExists' : '')]: { [f.key]: values.length === 1 ? values[0] : values } } }];
        if (effect === 'Deny') statements.push({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
        add(`condition-${op}`, {
          policies: [doc(...statements)], action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key',
          context: present ? [{ name: f.key, values: [pick(f.request)], type: f.type }] : [],
        });
      }
    }
  }
  for (let i = 0; i < 12; i++) {
    const present = rnd() < 0.5;
    add('condition-Null', {
      policies: [doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'aws:PrincipalTag/team': pick(['true', 'false']) } } })],
      action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context: present ? [{ name: 'aws:PrincipalTag/team', values: ['dev'], type: 'string' }] : [],
    });
  }

  // --- Multiple values are OR, multiple keys and operators are AND --------------------------------------------------
  for (let i = 0; i < 16; i++) {
    const context = [];
    if (rnd() < 0.8) context.push({ name: 'aws:PrincipalTag/team', values: [pick(['dev', 'prod', 'qa'])], type: 'string' });
    if (rnd() < 0.8) context.push({ name: 'aws:SourceIp', values: [pick(['10.0.0.1', '172.16.0.1'])], type: 'ip' });
    if (rnd() < 0.8) context.push({ name: 'aws:SecureTransport', values: [pick(['true', 'false'])], type: 'boolean' });
    add('and-or', {
      policies: [doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: {
        StringEquals: { 'aws:PrincipalTag/team': ['dev', 'prod'] }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'true' },
      } })],
      action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context,
    });
  }

  // --- ForAnyValue / ForAllValues, empty and missing sets ------------------------------------------------------------
  const setOps = ['ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringLike',
    'ForAnyValue:StringNotEquals', 'ForAllValues:StringNotEquals', 'ForAllValues:StringEqualsIfExists', 'ForAnyValue:StringEqualsIfExists'];
  const tagSets = [[], ['env'], ['env', 'team'], ['team', 'cost'], ['owner'], ['env', 'env']];
  for (const op of setOps) {
    for (let i = 0; i < 6; i++) {
      const which = rnd();
      const context = which < 0.15 ? [] : [{ name: 'aws:TagKeys', values: pick(tagSets), type: 'stringList' }];
      add(`set-${op.replace(':', '-')}`, {
        policies: [doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'aws:TagKeys': some(['env', 'team', 'e*', 'cost']) } } })],
        action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/key', context,
      });
    }
  }
  // A Deny with ForAllValues and an empty set (AWS's documented pitfall: ForAllValues matches when there are no values).
  for (const values of [[], ['env'], ['owner']]) {
    add('set-deny', {
      policies: [doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } })],
      action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/key', context: [{ name: 'aws:TagKeys', values, type: 'stringList' }],
    });
  }

  // --- Policy variables ------------------------------------------------------------------------------------------------
  const variableContexts = [
    [{ name: 'aws:username', values: ['alice'], type: 'string' }, { name: 'aws:userid', values: ['AIDAEXAMPLE:alice'], type: 'string' }],
    [{ name: 'aws:username', values: ['bob'], type: 'string' }],
    [{ name: 'aws:PrincipalTag/team', values: ['dev'], type: 'string' }],
    [{ name: 'aws:SourceIp', values: ['10.1.2.3'], type: 'ip' }],
    [{ name: 'cognito-identity.amazonaws.com:sub', values: [sub], type: 'string' }, { name: 'cognito-identity.amazonaws.com:aud', values: [poolId], type: 'string' }],
    [{ name: 'aws:username', values: ['a*'], type: 'string' }],
    [],
  ];
  const variableResources = ['arn:aws:s3:::bucket/home/alice/notes.txt', 'arn:aws:s3:::bucket/home/bob/x', 'arn:aws:s3:::bucket/teams/dev/x',
    `arn:aws:s3:::bucket/private/${sub}/photo.png`, `arn:aws:s3:::bucket/private/${otherSub}/photo.png`, 'arn:aws:s3:::bucket/home/a*/x',
    'arn:aws:s3:::bucket/home/anna/x', 'arn:aws:s3:::bucket/home/guest/x', 'arn:aws:s3:::bucket/literal/*/x', 'arn:aws:s3:::bucket/ip/10.1.2.3'];
  const variablePatterns = ['arn:aws:s3:::bucket/home/${aws:username}/*', 'arn:aws:s3:::bucket/teams/${aws:PrincipalTag/team}/*',
    'arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*', "arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*",
    'arn:aws:s3:::bucket/literal/${*}/x', 'arn:aws:s3:::bucket/ip/${aws:SourceIp}', 'arn:aws:s3:::bucket/home/${aws:userid}/*'];
  for (let i = 0; i < 40; i++) {
    add('variables-resource', {
      policies: [doc({ Effect: 'Allow', Action: 's3:*', Resource: pick(variablePatterns) })],
      action: 's3:GetObject', resource: pick(variableResources), context: pick(variableContexts),
    });
  }
  for (let i = 0; i < 16; i++) {
    const ctx = [...pick(variableContexts), { name: 'aws:PrincipalTag/owner', values: [pick(['alice', 'bob', 'dev'])], type: 'string' }];
    add('variables-condition', {
      policies: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { [pick(['StringEquals', 'StringLike', 'StringNotEquals'])]: {
        'aws:PrincipalTag/owner': pick(['${aws:username}', '${aws:PrincipalTag/team}', "${aws:username, 'bob'}", '${aws:username}*']),
      } } })],
      action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context: ctx,
    });
  }

  // --- AWS's published Cognito examples ----------------------------------------------------------------------------------
  // Identity-pool per-user S3 prefix (Cognito developer guide, "IAM roles" / Amplify Storage's access levels).
  const bucket = 'amplify-bucket';
  const s3PerUser = doc(
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [
      `arn:aws:s3:::${bucket}/public/*`, `arn:aws:s3:::${bucket}/protected/\${cognito-identity.amazonaws.com:sub}/*`,
      `arn:aws:s3:::${bucket}/private/\${cognito-identity.amazonaws.com:sub}/*`] },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/protected/*` },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': [
      'public/', 'public/*', 'protected/', 'protected/*', 'private/${cognito-identity.amazonaws.com:sub}/', 'private/${cognito-identity.amazonaws.com:sub}/*'] } } },
  );
  const cognitoCtx = (who) => [{ name: 'cognito-identity.amazonaws.com:sub', values: [who], type: 'string' }, { name: 'cognito-identity.amazonaws.com:aud', values: [poolId], type: 'string' }];
  for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
    for (const key of ['public/a.txt', `private/${sub}/a.txt`, `private/${otherSub}/a.txt`, `protected/${sub}/a.txt`, `protected/${otherSub}/a.txt`, 'other/a.txt']) {
      add('cognito-s3', { policies: [s3PerUser], action, resource: `arn:aws:s3:::${bucket}/${key}`, context: cognitoCtx(sub) });
    }
  }
  for (const prefix of ['public/', 'public/photos/', `private/${sub}/`, `private/${sub}/2026/`, `private/${otherSub}/`, 'private/', 'protected/x/', '', null]) {
    add('cognito-listbucket', {
      policies: [s3PerUser], action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`,
      context: [...cognitoCtx(sub), ...(prefix === null ? [] : [{ name: 's3:prefix', values: [prefix], type: 'string' }])],
    });
  }
  add('cognito-s3', { policies: [s3PerUser], action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/private/${sub}/a.txt`, context: [] });
  // DynamoDB fine-grained access: partition keys must be the identity (ForAllValues on dynamodb:LeadingKeys).
  const dynamo = doc({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    Resource: [`arn:aws:dynamodb:us-east-1:${account}:table/UserData`],
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } } });
  for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:Scan']) {
    for (const keys of [[sub], [otherSub], [sub, otherSub], [], null]) {
      add('cognito-dynamodb', {
        policies: [dynamo], action, resource: `arn:aws:dynamodb:us-east-1:${account}:table/UserData`,
        context: [...cognitoCtx(sub), ...(keys === null ? [] : [{ name: 'dynamodb:LeadingKeys', values: keys, type: 'stringList' }])],
      });
    }
  }
  // Guests: the unauthenticated role's policy intersected with Cognito's scope-down session policy.
  const scopeDown = doc({ Effect: 'Allow', Action: ['appsync:*', 'cognito-identity:*', 'cognito-sync:*', 'dynamodb:*', 's3:*', 'sns:*', 'sqs:*', 'lambda:*'], Resource: '*' });
  const guestRole = [
    doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${bucket}/public/*` }),
    doc({ Effect: 'Allow', Action: ['iam:ListRoles', 'ec2:DescribeInstances', 'cognito-sync:*', 'mobileanalytics:PutEvents'], Resource: '*' }),
  ];
  for (const [action, resource] of [['s3:GetObject', `arn:aws:s3:::${bucket}/public/a.txt`], ['s3:GetObject', `arn:aws:s3:::${bucket}/private/x/a.txt`],
    ['s3:PutObject', `arn:aws:s3:::${bucket}/public/a.txt`], ['iam:ListRoles', '*'], ['ec2:DescribeInstances', '*'], ['cognito-sync:ListRecords', '*'],
    ['mobileanalytics:PutEvents', '*'], ['sqs:SendMessage', '*']]) {
    add('cognito-guest', { policies: guestRole, session: scopeDown, action, resource, context: [] });
  }

  // --- Session policies and permissions boundaries ----------------------------------------------------------------------
  const layerPolicies = [
    doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    doc({ Effect: 'Allow', Action: ['s3:GetObject', 'dynamodb:*'], Resource: '*' }),
    doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }),
    doc({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }),
    doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }),
  ];
  for (let i = 0; i < 16; i++) {
    add('session', { policies: [pick(layerPolicies)], session: pick(layerPolicies), action: pick(actions), resource: pick(resources) });
  }
  for (let i = 0; i < 16; i++) {
    add('boundary', { policies: [pick(layerPolicies)], boundary: [pick(layerPolicies)], action: pick(actions), resource: pick(resources) });
  }
  return cases;
}

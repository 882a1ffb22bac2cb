import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListUserPoolsCommand, DescribeUserPoolCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { admin, endpoint, region } from './portal.js';

test('SDK v3 lists the bootstrapped pools with a SigV4-signed request', async () => {
  const out = await admin.send(new ListUserPoolsCommand({ MaxResults: 10 }));
  const names = out.UserPools.map((p) => p.Name);
  assert.ok(names.includes('portal-admin'), `pools: ${names}`);
  assert.ok(names.includes('demo'), `pools: ${names}`);
  assert.ok(out.UserPools.every((p) => /^us-east-1_[0-9A-Za-z]{9}$/.test(p.Id)));
  assert.ok(out.UserPools[0].CreationDate instanceof Date);
});

test('SDK v3 sees AWS errors as typed exceptions', async () => {
  await assert.rejects(
    admin.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_Nonexist0' })),
    (e) => e.name === 'ResourceNotFoundException' && e.$metadata.httpStatusCode === 400,
  );
});

test('a wrong secret is refused with InvalidSignatureException', async () => {
  const wrong = new CognitoIdentityProviderClient({
    endpoint, region, maxAttempts: 1,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIATESTPORTAL000001', secretAccessKey: 'wrong' },
  });
  await assert.rejects(wrong.send(new ListUserPoolsCommand({ MaxResults: 10 })), (e) => e.name === 'InvalidSignatureException');
});

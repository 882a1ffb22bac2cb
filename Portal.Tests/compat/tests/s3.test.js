// The gateway's S3 route with the real @aws-sdk/client-s3 (forcePathStyle) and credentials from
// @aws-sdk/credential-providers' fromCognitoIdentityPool, as an Amplify-style app uses them: each user reads and writes
// only under private/{identityId}/, guests read public/ only, refusals are S3's AccessDenied. The backend is an s3rver
// started here; the route to it is configured through Portal's admin API (PortalAdmin.PutGatewayRoute), as an operator
// would in the portal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import {
  S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, DeleteObjectCommand, CopyObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CognitoIdentityClient, CreateIdentityPoolCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import sha256js from '@aws-crypto/sha256-js';
import { anonymous, credentials, endpoint, password, pool, region, unique, user } from './portal.js';

const { Sha256 } = sha256js;
const Bucket = 'compat-storage';
const identity = new CognitoIdentityClient({ endpoint, region, credentials, maxAttempts: 1 });
let storage;
let directory;

/** A signed POST to Portal (Query protocol for IAM, AWS JSON for the admin API), as the SDKs send it. */
async function signed({ service, body, headers }) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const request = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, ...headers }, body,
  });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: request.headers }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const iam = (params) => signed({
  service: 'iam',
  body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
});

const portalAdmin = (operation, input) => signed({
  service: 'cognito-idp',
  body: JSON.stringify(input),
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `PortalAdmin.${operation}` },
});

async function role(IdentityPoolId, amr, policy) {
  const RoleName = unique('storage');
  const trust = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': IdentityPoolId }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr } },
    }],
  };
  const created = await iam({ Action: 'CreateRole', RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) });
  assert.equal(created.status, 200, created.text);
  const put = await iam({ Action: 'PutRolePolicy', RoleName, PolicyName: 'storage', PolicyDocument: JSON.stringify(policy) });
  assert.equal(put.status, 200, put.text);
  return created.text.match(/<Arn>([^<]+)<\/Arn>/)[1];
}

const sub = '${cognito-identity.amazonaws.com:sub}';
const userPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`arn:aws:s3:::${Bucket}/public/*`, `arn:aws:s3:::${Bucket}/private/${sub}/*`] },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}`, Condition: { StringLike: { 's3:prefix': ['public/', 'public/*', `private/${sub}/`, `private/${sub}/*`] } } },
  ],
};
const guestPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/public/*` },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}`, Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } } },
  ],
};

let app;
let IdentityPoolId;

before(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-compat-s3-'));
  storage = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: Bucket }] });
  const { address: host, port } = await storage.run();
  const put = await portalAdmin('PutGatewayRoute', {
    Route: {
      Id: 'compat-s3', Kind: 'S3', Backend: `http://${host}:${port}`,
      Settings: { BackendAccessKeyId: 'S3RVER', BackendSecretAccessKey: 'S3RVER', PolicyCacheSeconds: '0' },
    },
  });
  assert.equal(put.status, 200, put.text);

  app = await pool();
  const created = await identity.send(new CreateIdentityPoolCommand({
    IdentityPoolName: unique('storage').replace(/-/g, '_'), AllowUnauthenticatedIdentities: true,
    CognitoIdentityProviders: [{ ProviderName: `cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`, ClientId: app.ClientId }],
  }));
  IdentityPoolId = created.IdentityPoolId;
  await identity.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId,
    Roles: { authenticated: await role(IdentityPoolId, 'authenticated', userPolicy), unauthenticated: await role(IdentityPoolId, 'unauthenticated', guestPolicy) },
  }));
});

after(async () => {
  await storage?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** A signed-in user's S3 client: fromCognitoIdentityPool with the user's ID token, forcePathStyle at Portal's endpoint. */
async function signedIn() {
  const Username = unique('s3user');
  await user(app.UserPoolId, Username);
  const auth = await anonymous.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: app.ClientId, AuthParameters: { USERNAME: Username, PASSWORD: password },
  }));
  const provider = fromCognitoIdentityPool({
    identityPoolId: IdentityPoolId, clientConfig: { endpoint, region },
    logins: { [`cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`]: auth.AuthenticationResult.IdToken },
  });
  const creds = await provider();
  return { identityId: creds.identityId, s3: new S3Client({ endpoint, region, forcePathStyle: true, credentials: provider, maxAttempts: 1 }) };
}

function guest() {
  const provider = fromCognitoIdentityPool({ identityPoolId: IdentityPoolId, clientConfig: { endpoint, region } });
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: provider, maxAttempts: 1 });
}

async function denied(promise) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata.httpStatusCode, 403);
    return true;
  });
}

test('a user writes, reads, lists and deletes under private/{identityId}/ with client-s3 and fromCognitoIdentityPool', async () => {
  const { identityId, s3 } = await signedIn();
  const Key = `private/${identityId}/hello.txt`;
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'hello from node' }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  assert.equal(await got.Body.transformToString(), 'hello from node');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `private/${identityId}/` }));
  assert.deepEqual(listed.Contents.map((o) => o.Key), [Key]);
  await s3.send(new CopyObjectCommand({ Bucket, Key: `private/${identityId}/copy.txt`, CopySource: `${Bucket}/${Key}` }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key })), (e) => e.name === 'NoSuchKey');
});

test("another user's private/ is AccessDenied; a guest reads public/ only", async () => {
  const owner = await signedIn();
  const other = await signedIn();
  const Key = `private/${owner.identityId}/diary.txt`;
  await owner.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'mine' }));
  await owner.s3.send(new PutObjectCommand({ Bucket, Key: 'public/notice.txt', Body: 'for everyone' }));
  await denied(other.s3.send(new GetObjectCommand({ Bucket, Key })));
  await denied(other.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'overwritten' })));
  await denied(other.s3.send(new ListObjectsV2Command({ Bucket, Prefix: `private/${owner.identityId}/` })));

  const visitor = guest();
  const notice = await visitor.send(new GetObjectCommand({ Bucket, Key: 'public/notice.txt' }));
  assert.equal(await notice.Body.transformToString(), 'for everyone');
  const listed = await visitor.send(new ListObjectsV2Command({ Bucket, Prefix: 'public/' }));
  assert.ok(listed.Contents.some((o) => o.Key === 'public/notice.txt'));
  await denied(visitor.send(new PutObjectCommand({ Bucket, Key: 'public/graffiti.txt', Body: 'x' })));
  await denied(visitor.send(new GetObjectCommand({ Bucket, Key })));
  const still = await owner.s3.send(new GetObjectCommand({ Bucket, Key }));
  assert.equal(await still.Body.transformToString(), 'mine');
});

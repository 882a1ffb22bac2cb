// Identity pools' set-up for the compat suites (a helper module, not a test file): the SDK v3 client, Query-protocol
// calls to IAM and STS signed with given credentials, IAM roles with Cognito's standard trust policy, and an identity
// pool with an authenticated and a guest role.
import assert from 'node:assert/strict';
import http from 'node:http';
import { CognitoIdentityClient, CreateIdentityPoolCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { SignatureV4 } from '@smithy/signature-v4';
import sha256js from '@aws-crypto/sha256-js';
import { credentials, endpoint, region, unique } from './portal.js';

const { Sha256 } = sha256js;
export const identity = new CognitoIdentityClient({ endpoint, region, credentials, maxAttempts: 1 });

/** A Query-protocol call (IAM, STS) signed with the given credentials, as the SDKs' clients send it. */
export async function query(service, params, creds) {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString();
  const signer = new SignatureV4({ service, region, credentials: creds, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: signed.headers }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An IAM role with Cognito's standard trust policy for the pool and amr. */
export async function role(IdentityPoolId, amr) {
  const RoleName = unique('cognito');
  const trust = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': IdentityPoolId },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
      },
    }],
  };
  const created = await query('iam', { Action: 'CreateRole', RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) }, credentials);
  assert.equal(created.status, 200, created.text);
  return { RoleName, Arn: /<Arn>([^<]+)<\/Arn>/.exec(created.text)[1] };
}

/** An identity pool with guests allowed, trusting the app's user pool client (when given), with its two roles set. */
export async function identityPool(app, { classic = false } = {}) {
  const created = await identity.send(new CreateIdentityPoolCommand({
    IdentityPoolName: unique('ids').replace(/-/g, '_'),
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: classic,
    CognitoIdentityProviders: app ? [{ ProviderName: `cognito-idp.${region}.amazonaws.com/${app.UserPoolId}`, ClientId: app.ClientId }] : undefined,
  }));
  const authenticated = await role(created.IdentityPoolId, 'authenticated');
  const guest = await role(created.IdentityPoolId, 'unauthenticated');
  await identity.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: created.IdentityPoolId, Roles: { authenticated: authenticated.Arn, unauthenticated: guest.Arn },
  }));
  return { IdentityPoolId: created.IdentityPoolId, authenticated, guest };
}

/** A PortalAdmin operation (AWS JSON, signed with Portal's admin key), e.g. PutGatewayRoute. */
export async function portalAdmin(operation, input) {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'cognito-idp', region, credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `PortalAdmin.${operation}` }, body,
  });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: signed.headers }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An inline policy on a role (IAM PutRolePolicy). */
export async function rolePolicy(RoleName, PolicyName, document) {
  const put = await query('iam', { Action: 'PutRolePolicy', RoleName, PolicyName, PolicyDocument: JSON.stringify(document) }, credentials);
  assert.equal(put.status, 200, put.text);
}

/** Cognito Sync's documented per-identity policy: cognito-sync:* on the identity's own datasets only. */
export const syncIdentityPolicy = () => ({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Action: ['cognito-sync:*'],
    Resource: [`arn:aws:cognito-sync:${region}:000000000000:identitypool/\${cognito-identity.amazonaws.com:aud}/identity/\${cognito-identity.amazonaws.com:sub}/*`],
  }],
});

/** Amplify's documented storage policies for a bucket: signed-in users read and write public/, their own protected/
 * and private/ (keyed by ${cognito-identity.amazonaws.com:sub}, the identity id), read everyone's protected/, and list
 * those prefixes; guests read and list public/ only. */
export function amplifyStoragePolicies(bucket) {
  const sub = '${cognito-identity.amazonaws.com:sub}';
  return {
    authenticated: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: [`arn:aws:s3:::${bucket}/public/*`, `arn:aws:s3:::${bucket}/protected/${sub}/*`, `arn:aws:s3:::${bucket}/private/${sub}/*`] },
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`arn:aws:s3:::${bucket}/uploads/*`] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/protected/*`] },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`],
          Condition: { StringLike: { 's3:prefix': ['public/', 'public/*', 'protected/', 'protected/*', `private/${sub}/`, `private/${sub}/*`] } } },
      ],
    },
    guest: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/public/*`] },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`],
          Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } } },
      ],
    },
  };
}

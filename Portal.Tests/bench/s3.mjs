// The S3 route benchmark driver, started by s3.sh with a running Portal (PORTAL_ENDPOINT, PORTAL_PID) and an s3rver
// (S3RVER_ENDPOINT). Sets up, through Portal's APIs, an S3 route to s3rver and an identity pool whose guest role may
// read and write private/${cognito-identity.amazonaws.com:sub}/; takes a guest's credentials (GetId,
// GetCredentialsForIdentity) and stores a 1 KiB object. Then the same GetObject, signed (SigV4, @smithy/signature-v4),
// through Portal with the identity's credentials and directly to s3rver with its own key: latency p50/p99 of sequential
// requests, requests/s with 1 and N workers, and Portal's CPU per request (utime+stime from /proc over the run).
// The baseline the S3 route's added CPU is measured against is a pass-through route (as jwt.mjs's): an Alb route with
// on-unauthenticated-request allow and no decision log in front of the same s3rver, whose unsigned GetObject of the same
// object (s3rver serves anonymous requests; the copy sits in the bucket "open", which the route's prefix names) Portal
// matches, counts and forwards with YARP, verifying and re-signing nothing.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync as exec } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SignatureV4 } from '@smithy/signature-v4';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('--requests', 1000));
const WARMUP = Number(arg('--warmup', 3000));
const SECONDS = Number(arg('--seconds', 15));
const CONCURRENCY = Number(arg('--concurrency', 8));
const PORTAL = process.env.PORTAL_ENDPOINT;
const PORTAL_PID = Number(process.env.PORTAL_PID);
const S3RVER = process.env.S3RVER_ENDPOINT;
const CLK_TCK = Number(exec('getconf', ['CLK_TCK']).toString().trim()) || 100;
const region = 'us-east-1';
const Bucket = 'bench-storage';
const admin = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
const log = (...a) => console.error('  ·', ...a);

class Sha256 {
  constructor(secret) { this.hash = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.hash.update(typeof data === 'string' ? Buffer.from(data) : data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
}

async function signedFetch(base, { service, credentials, method = 'POST', path = '/', headers = {}, body, query }) {
  const url = new URL(base);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' });
  const request = await signer.sign({
    method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query,
    headers: { host: url.host, ...(service === 's3' ? { 'x-amz-content-sha256': body ? createHash('sha256').update(body).digest('hex') : 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } : {}), ...headers },
    body,
  });
  const qs = query ? '?' + new URLSearchParams(query).toString() : '';
  return fetch(`${base}${path}${qs}`, { method, headers: request.headers, body });
}

async function json(target, input, signed = true) {
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const body = JSON.stringify(input);
  const response = signed
    ? await signedFetch(PORTAL, { service: 'cognito-idp', credentials: admin, headers, body })
    : await fetch(`${PORTAL}/`, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text}`);
  return JSON.parse(text || '{}');
}

async function iam(params) {
  const body = new URLSearchParams({ Version: '2010-05-08', ...params }).toString();
  const response = await signedFetch(PORTAL, { service: 'iam', credentials: admin, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${params.Action}: ${response.status} ${text}`);
  return text;
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(label, get) {
  for (let i = 0; i < 20; i++) await get();
  const times = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await get();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const sequentialRate = 1000 * times.length / times.reduce((a, b) => a + b, 0);
  // N workers until REQUESTS*2 requests or SECONDS, Portal's CPU over the run.
  const cpu0 = cpuTicks(PORTAL_PID);
  const t0 = performance.now();
  let done = 0;
  const deadline = t0 + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (done < REQUESTS * 2 && performance.now() < deadline) {
      await get();
      done++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const cpuMs = ((cpuTicks(PORTAL_PID) - cpu0) * 1000) / CLK_TCK;
  log(`${label}: p50 ${pct(times, 50).toFixed(2)} ms, ${(done / elapsed).toFixed(0)} req/s with ${CONCURRENCY}`);
  return { label, p50: pct(times, 50), p99: pct(times, 99), sequentialRate, concurrentRate: done / elapsed, portalCpuPerRequest: cpuMs / done };
}

// Set-up through Portal's own APIs.
await json('PortalAdmin.PutGatewayRoute', {
  Route: { Id: 'bench-s3', Kind: 'S3', Backend: S3RVER, Settings: { BackendAccessKeyId: 'S3RVER', BackendSecretAccessKey: 'S3RVER' } },
});
const pool = await json('AWSCognitoIdentityService.CreateIdentityPool', { IdentityPoolName: 'bench_s3', AllowUnauthenticatedIdentities: true });
const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': pool.IdentityPoolId } } }],
};
const roleXml = await iam({ Action: 'CreateRole', RoleName: 'bench-s3-guest', AssumeRolePolicyDocument: JSON.stringify(trust) });
const policy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${Bucket}/private/\${cognito-identity.amazonaws.com:sub}/*` },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}`, Condition: { StringLike: { 's3:prefix': 'private/${cognito-identity.amazonaws.com:sub}/*' } } },
  ],
};
await iam({ Action: 'PutRolePolicy', RoleName: 'bench-s3-guest', PolicyName: 'storage', PolicyDocument: JSON.stringify(policy) });
await json('AWSCognitoIdentityService.SetIdentityPoolRoles', { IdentityPoolId: pool.IdentityPoolId, Roles: { unauthenticated: roleXml.match(/<Arn>([^<]+)<\/Arn>/)[1] } });
const { IdentityId } = await json('AWSCognitoIdentityService.GetId', { IdentityPoolId: pool.IdentityPoolId }, false);
const { Credentials } = await json('AWSCognitoIdentityService.GetCredentialsForIdentity', { IdentityId }, false);
const identity = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken };
const key = `/${Bucket}/private/${encodeURIComponent(IdentityId)}/bench.bin`;
const object = randomBytes(1024);
const put = await signedFetch(PORTAL, { service: 's3', credentials: identity, method: 'PUT', path: key, body: object });
if (put.status !== 200) throw new Error(`PutObject through Portal: ${put.status} ${await put.text()}`);

async function get(base, credentials) {
  const response = await signedFetch(base, { service: 's3', credentials, method: 'GET', path: key });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || body.length !== 1024) throw new Error(`GetObject: ${response.status}`);
}

// The pass-through: the same object in the bucket "open", behind an Alb route (allow, no session, no decision log).
const { UserPool } = await json('AWSCognitoIdentityProviderService.CreateUserPool', { PoolName: 'bench-s3-open' });
const { UserPoolClient } = await json('AWSCognitoIdentityProviderService.CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'open' });
await json('PortalAdmin.PutGatewayRoute', {
  Route: { Id: 'bench-open', Kind: 'Alb', PathPrefix: '/open', Backend: S3RVER,
    Settings: { UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, OnUnauthenticatedRequest: 'allow', LogDecisions: 'false' } },
});
const openKey = key.replace(`/${Bucket}/`, '/open/');
const stored = await signedFetch(S3RVER, { service: 's3', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, method: 'PUT', path: openKey, body: object });
if (stored.status !== 200) throw new Error(`PutObject to s3rver's bucket open: ${stored.status} ${await stored.text()}`);
async function passThrough() {
  const response = await fetch(`${PORTAL}${openKey}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || body.length !== 1024) throw new Error(`GetObject through the pass-through route: ${response.status}`);
}

// .NET compiles hot methods again (tiered compilation) on background threads during the first thousands of requests:
// both Portal routes are warmed up first, so neither figure carries that CPU.
log(`warming up (${WARMUP} requests on each Portal route)`);
for (let i = 0; i < WARMUP; i++) {
  await passThrough();
  await get(PORTAL, identity);
}
const direct = await measure('s3rver directly', () => get(S3RVER, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }));
const open = await measure('through the pass-through route (Alb, allow, no session)', passThrough);
const routed = await measure('through the S3 route', () => get(PORTAL, identity));

const cpus = os.cpus();
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Machine: ${os.cpus().length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${load}; ${REQUESTS} sequential requests per latency figure, ${CONCURRENCY} workers for throughput.`);
console.log('');
console.log('| GetObject 1 KiB | p50 ms | p99 ms | req/s (1 worker) | req/s (' + CONCURRENCY + ' workers) | Portal CPU per request |');
console.log('|---|---|---|---|---|---|');
for (const r of [direct, open, routed])
  console.log(`| ${r.label} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.sequentialRate.toFixed(0)} | ${r.concurrentRate.toFixed(0)} | ${r === direct ? '—' : r.portalCpuPerRequest.toFixed(3) + ' ms'} |`);
console.log(`| S3 route − s3rver directly (the whole gateway) | ${(routed.p50 - direct.p50).toFixed(2)} | ${(routed.p99 - direct.p99).toFixed(2)} | | | ${routed.portalCpuPerRequest.toFixed(3)} ms |`);
console.log(`| **S3 route − pass-through (added by authorizing)** | ${(routed.p50 - open.p50).toFixed(2)} | ${(routed.p99 - open.p99).toFixed(2)} | | | **${(routed.portalCpuPerRequest - open.portalCpuPerRequest).toFixed(3)} ms** |`);

// The JWT route benchmark driver, started by jwt.sh with a running Portal (PORTAL_ENDPOINT, PORTAL_PID) and a small
// backend (BACKEND_ENDPOINT). Sets up, through Portal's APIs, a user pool, an app client and a user, signs the user in
// (USER_PASSWORD_AUTH) and puts a JwtApi route in front of the backend. Then the same GET with the access token in
// Authorization, through Portal's JWT route and to the backend alone: latency p50/p99 of sequential requests, requests/s
// with 1 and N workers, and Portal's CPU per authorized request (utime+stime from /proc over the N-worker run).
import { createHash, createHmac } from 'node:crypto';
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
const SECONDS = Number(arg('--seconds', 15));
const CONCURRENCY = Number(arg('--concurrency', 8));
const WARMUP = Number(arg('--warmup', 3000));
const PORTAL = process.env.PORTAL_ENDPOINT;
const PORTAL_PID = Number(process.env.PORTAL_PID);
const BACKEND = process.env.BACKEND_ENDPOINT;
const CLK_TCK = Number(exec('getconf', ['CLK_TCK']).toString().trim()) || 100;
const region = 'us-east-1';
const admin = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
const log = (...a) => console.error('  ·', ...a);

class Sha256 {
  constructor(secret) { this.hash = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.hash.update(typeof data === 'string' ? Buffer.from(data) : data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
}

/** An AWS JSON 1.1 call to Portal: signed with the bench's admin key, or unsigned as apps call the public operations. */
async function json(target, input, signed = true) {
  const url = new URL(PORTAL);
  const body = JSON.stringify(input);
  let headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  if (signed) {
    const signer = new SignatureV4({ service: 'cognito-idp', region, credentials: admin, sha256: Sha256 });
    headers = (await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers, body })).headers;
  }
  const response = await fetch(`${PORTAL}/`, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text}`);
  return JSON.parse(text || '{}');
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
const { UserPool } = await json('AWSCognitoIdentityProviderService.CreateUserPool', { PoolName: 'bench-jwt' });
const { UserPoolClient } = await json('AWSCognitoIdentityProviderService.CreateUserPoolClient', {
  UserPoolId: UserPool.Id, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
});
const Username = 'bench-user';
const Password = 'Bench-Passw0rd!';
await json('AWSCognitoIdentityProviderService.AdminCreateUser', { UserPoolId: UserPool.Id, Username, MessageAction: 'SUPPRESS' });
await json('AWSCognitoIdentityProviderService.AdminSetUserPassword', { UserPoolId: UserPool.Id, Username, Password, Permanent: true });
const signedIn = await json('AWSCognitoIdentityProviderService.InitiateAuth', {
  ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: Username, PASSWORD: Password },
}, false);
const authorization = `Bearer ${signedIn.AuthenticationResult.AccessToken}`;
await json('PortalAdmin.PutGatewayRoute', {
  Route: { Id: 'bench-jwt', Kind: 'JwtApi', PathPrefix: '/api', Backend: BACKEND, Settings: { UserPoolId: UserPool.Id, Audience: UserPoolClient.ClientId } },
});
// The pass-through to compare with: an Alb route with on-unauthenticated-request allow, reached without a session cookie,
// and LogDecisions=false. Portal matches it, counts it on /metrics and forwards it with YARP; nothing is verified, no
// header is added, nothing is written to the decision log. The JWT route's CPU minus this one's is what authorizing a
// token adds (verifying it, the claims' headers, logging the decision).
await json('PortalAdmin.PutGatewayRoute', {
  Route: { Id: 'bench-open', Kind: 'Alb', PathPrefix: '/open', Backend: BACKEND,
    Settings: { UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, OnUnauthenticatedRequest: 'allow', LogDecisions: 'false' } },
});

async function get(base) {
  const response = await fetch(`${base}/hello`, { headers: { authorization } });
  const body = await response.json();
  if (response.status !== 200 || body.ok !== true) throw new Error(`GET ${base}/hello: ${response.status} ${JSON.stringify(body)}`);
  if (base === `${PORTAL}/api` && !body.sub) throw new Error('the backend did not receive the caller through the JWT route');
}

// .NET compiles hot methods again (tiered compilation) on background threads during the first thousands of requests:
// both Portal routes are warmed up first, so neither figure carries that CPU.
for (let i = 0; i < WARMUP; i++) {
  await get(`${PORTAL}/open`);
  await get(`${PORTAL}/api`);
}
const direct = await measure('backend alone', () => get(BACKEND));
const open = await measure('through the pass-through route (Alb, allow, no session)', () => get(`${PORTAL}/open`));
const routed = await measure('through the JWT route', () => get(`${PORTAL}/api`));

const cpus = os.cpus();
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Machine: ${os.cpus().length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${load}; ${REQUESTS} sequential requests per latency figure, ${CONCURRENCY} workers for throughput.`);
console.log('');
console.log('| GET with an access token | p50 ms | p99 ms | req/s (1 worker) | req/s (' + CONCURRENCY + ' workers) | Portal CPU per request |');
console.log('|---|---|---|---|---|---|');
for (const r of [direct, open, routed])
  console.log(`| ${r.label} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.sequentialRate.toFixed(0)} | ${r.concurrentRate.toFixed(0)} | ${r === direct ? '—' : r.portalCpuPerRequest.toFixed(3) + ' ms'} |`);
console.log(`| JWT route − backend alone (the whole gateway) | ${(routed.p50 - direct.p50).toFixed(2)} | ${(routed.p99 - direct.p99).toFixed(2)} | | | ${routed.portalCpuPerRequest.toFixed(3)} ms |`);
console.log(`| **JWT route − pass-through (added by authorizing)** | ${(routed.p50 - open.p50).toFixed(2)} | ${(routed.p99 - open.p99).toFixed(2)} | | | **${(routed.portalCpuPerRequest - open.portalCpuPerRequest).toFixed(3)} ms** |`);

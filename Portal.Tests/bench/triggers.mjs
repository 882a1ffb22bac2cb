// The trigger benchmark driver, started by triggers.sh with a running Portal (PORTAL_ENDPOINT, PORTAL_PID).
// Three pools, the same sign-in (USER_PASSWORD_AUTH through the AWS SDK v3): no trigger, an inline JavaScript pre token
// generation trigger, and the same trigger as a webhook served here (HMAC checked on every call). For each: sign-ins
// per second with 1 and with N concurrent workers, p50 latency, and Portal's CPU per sign-in (utime+stime of its
// process from /proc, divided by the sign-ins). Each sign-in is checked: the trigger's claim must be in the ID token.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { execFileSync as exec } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, CreateUserPoolClientCommand, AdminCreateUserCommand,
  AdminSetUserPasswordCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const OPS = Number(arg('--ops', 400));
const SECONDS = Number(arg('--seconds', 20));
const CONCURRENCY = Number(arg('--concurrency', 8));
const PORTAL = process.env.PORTAL_ENDPOINT;
const PORTAL_PID = Number(process.env.PORTAL_PID);
const CLK_TCK = Number(exec('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PASSWORD = 'Bench-Passw0rd!1';
const SECRET = 'bench-webhook-secret-0001';
const region = 'us-east-1';
const log = (...a) => console.error('  ·', ...a);

const admin = new CognitoIdentityProviderClient({
  endpoint: PORTAL, region, maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});
const anonymous = new CognitoIdentityProviderClient({
  endpoint: PORTAL, region, maxAttempts: 1,
  credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' }, signer: { sign: async (request) => request },
});

/** Portal's own operations (PutTriggerFunction) through the same JSON 1.1 protocol, signed by the SDK's middleware. */
async function portalSend(target, body) {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const url = new URL(PORTAL);
  const signer = new SignatureV4({ service: 'cognito-idp', region, sha256: Sha256,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } });
  const request = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `PortalAdmin.${target}` },
    body: JSON.stringify(body),
  });
  const response = await fetch(`${PORTAL}/`, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** The hash the signer asks for, from node:crypto. */
class Sha256 {
  constructor(secret) { this.hash = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.hash.update(data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
}

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / CLK_TCK;
}
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];

async function throughput(workers, run) {
  for (let w = 0; w < workers; w++) await run(w);
  let next = 0;
  const times = [];
  const cpu0 = cpuMs(PORTAL_PID);
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < OPS && performance.now() < deadline) {
      next++;
      const t = performance.now();
      await run(w);
      times.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return { ops: times.length, perSecond: times.length / elapsed, p50: percentile(times, 50), cpu: (cpuMs(PORTAL_PID) - cpu0) / times.length };
}

// ---- the webhook: the same handler as the inline code, behind HMAC verification -------------------------------
let webhookCalls = 0;
const webhook = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${req.headers['x-portal-timestamp']}.${body}`).digest('hex');
    const given = String(req.headers['x-portal-signature'] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad signature"}');
      return;
    }
    webhookCalls++;
    const event = JSON.parse(body);
    event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 'gold' } } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
  });
});
await new Promise((resolve) => webhook.listen(0, '127.0.0.1', resolve));
const webhookUrl = `http://127.0.0.1:${webhook.address().port}/pre-token`;

const INLINE = `exports.handler = async (event) => {
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tier: "gold" } } };
  return event;
};`;

async function pool(name, trigger) {
  const created = (await admin.send(new CreateUserPoolCommand({ PoolName: `bench-trg-${name}-${Date.now().toString(36)}` }))).UserPool;
  const client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: created.Id, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  if (trigger) await portalSend('PutTriggerFunction', { UserPoolId: created.Id, Trigger: 'PreTokenGeneration', ...trigger });
  const users = [];
  for (let w = 0; w < CONCURRENCY; w++) {
    const username = `${name}-${w}`;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: created.Id, Username: username, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: created.Id, Username: username, Password: PASSWORD, Permanent: true }));
    users.push(username);
  }
  return { name, poolId: created.Id, clientId: client.ClientId, users, expectClaim: Boolean(trigger) };
}

function signIn(p) {
  return async (w) => {
    const r = await anonymous.send(new InitiateAuthCommand({
      ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: p.users[w], PASSWORD },
    }));
    const id = JSON.parse(Buffer.from(r.AuthenticationResult.IdToken.split('.')[1], 'base64url').toString('utf8'));
    if (p.expectClaim && id.tier !== 'gold') throw new Error(`${p.name}: the trigger's claim is missing`);
  };
}

const pools = [
  await pool('none', null),
  await pool('inline', { Kind: 'INLINE', Code: INLINE }),
  await pool('webhook', { Kind: 'WEBHOOK', Url: webhookUrl, Secret: SECRET }),
];
log(`pools ready: ${pools.map((p) => `${p.name}=${p.poolId}`).join(', ')}`);

const rows = [];
for (const p of pools) {
  log(`${p.name}: 1 worker`);
  const one = await throughput(1, signIn(p));
  log(`${p.name}: ${CONCURRENCY} workers`);
  const many = await throughput(CONCURRENCY, signIn(p));
  rows.push({ p, one, many });
}
webhook.close();

/** The trigger's own time, as Portal logged it (DurationMs of the invocations: the handler's run and the call). */
async function loggedDuration(p) {
  const { Invocations } = await portalSend('ListTriggerInvocations', { UserPoolId: p.poolId, Limit: 100 });
  const d = Invocations.map((i) => i.DurationMs).sort((a, b) => a - b);
  return d.length ? { p50: percentile(d, 50), p95: percentile(d, 95), n: d.length } : null;
}
for (const row of rows) row.logged = row.p.expectClaim ? await loggedDuration(row.p) : null;

const base = rows[0];
const f = (n, d = 1) => n.toFixed(d);
const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Trigger overhead on USER_PASSWORD_AUTH sign-in — ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load ${load}, `
  + `up to ${OPS} sign-ins or ${SECONDS} s per figure; pre token generation adds claim "tier" to the ID token.\n`);
console.log('| pre token generation | sign-ins/s (1 worker) | p50 ms (1 worker) | sign-ins/s (' + CONCURRENCY + ' workers) | Portal CPU ms / sign-in (1 / ' + CONCURRENCY + ' workers) | CPU vs none | trigger time logged, p50 / p95 ms |');
console.log('|---|---|---|---|---|---|---|');
const signed = (n) => `${n >= 0 ? '+' : ''}${f(n, 2)}`;
for (const { p, one, many, logged } of rows) {
  const added = p === base.p ? '—' : `${signed(one.cpu - base.one.cpu)} / ${signed(many.cpu - base.many.cpu)} ms`;
  const own = logged ? `${f(logged.p50, 2)} / ${f(logged.p95, 2)} (last ${logged.n})` : '—';
  console.log(`| ${p.name} | ${f(one.perSecond)} | ${f(one.p50)} | ${f(many.perSecond)} | ${f(one.cpu, 2)} / ${f(many.cpu, 2)} | ${added} | ${own} |`);
}
console.log(`\nwebhook calls verified: ${webhookCalls}`);

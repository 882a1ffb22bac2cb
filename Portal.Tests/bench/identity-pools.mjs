// The identity-pool benchmark's driver, started by identity-pools.sh with a running Portal (PORTAL_*) and the Seed
// helper built (SEED_DLL). It starts moto itself, measures GetId and GetCredentialsForIdentity against both over plain
// AWS JSON 1.1 (fetch, as the SDKs send it; SigV4 written out below for the admin calls, so it needs no npm packages),
// and prints one table. Not a test: it checks only that each answer is what it should be, so no figure counts failures.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('--identities', 1_000_000));
const MOTO_N = Number(arg('--moto-identities', 20_000));
const REQUESTS = Number(arg('--requests', 1000));
// Calls before a figure: .NET compiles hot methods again (tiered JIT) on background threads during the first thousands
// of calls, and that CPU would count against the first figures.
const WARMUP = Number(arg('--warmup', 3000));
const OPS = Number(arg('--ops', 1000));
const SECONDS = Number(arg('--seconds', 20));
const CONCURRENCY = Number(arg('--concurrency', 8));
const env = (name) => process.env[name] ?? fail(`${name} is not set (identity-pools.sh sets it)`);
const PORTAL = env('PORTAL_ENDPOINT');
const PORTAL_PID = Number(env('PORTAL_PID'));
const PORTAL_DATA = env('PORTAL_DATA');
const SEED_DLL = env('SEED_DLL');
const MOTO_PORT = Number(env('MOTO_PORT'));
const MOTO = `http://127.0.0.1:${MOTO_PORT}`;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const KEY = { id: process.env.AWS_ACCESS_KEY_ID ?? 'testing', secret: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing' };
const region = 'us-east-1';
const PASSWORD = 'Bench-Passw0rd!1';

function fail(message) {
  throw new Error(message);
}
const log = (...a) => console.error('  ·', ...a);

// ---- the wire ---------------------------------------------------------------------------------------------------
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** SigV4 headers for a POST / with this body (the only request shape used here). */
function sign(endpoint, service, body, headers) {
  const url = new URL(endpoint);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const all = { ...headers, host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': sha256(body) };
  const names = Object.keys(all).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const canonical = ['POST', '/', '', ...names.map((h) => `${h}:${lower[h]}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${KEY.secret}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return { ...all, authorization: `AWS4-HMAC-SHA256 Credential=${KEY.id}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

const services = { AWSCognitoIdentityProviderService: 'cognito-idp', AWSCognitoIdentityService: 'cognito-identity' };

/** One AWS JSON 1.1 call; signed unless `unsigned`. Throws the AWS error type and message. */
async function call(endpoint, target, input, { unsigned = false } = {}) {
  const body = JSON.stringify(input);
  let headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  if (!unsigned) headers = sign(endpoint, services[target.split('.')[0]], body, headers);
  let response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(endpoint + '/', { method: 'POST', headers, body });
      break;
    } catch (e) {
      // Kept-alive connections the server closed while the seeding ran: each failure drops one; try again.
      if (attempt >= 16) throw e;
    }
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** One IAM Query call (form body), signed. */
async function iam(endpoint, params) {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const headers = sign(endpoint, 'iam', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  const response = await fetch(endpoint + '/', { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

const idp = (op) => `AWSCognitoIdentityProviderService.${op}`;
const identity = (op) => `AWSCognitoIdentityService.${op}`;

// ---- measuring --------------------------------------------------------------------------------------------------
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / CLK_TCK;
}
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];

async function latency(pid, n, run, { warmup = WARMUP } = {}) {
  for (let i = 0; i < warmup; i++) await run(i);
  const times = [];
  const cpu0 = cpuMs(pid);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  const cpu = (cpuMs(pid) - cpu0) / n;
  times.sort((a, b) => a - b);
  return { n, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), cpu };
}

async function throughput(pid, workers, run, { ops = OPS, seconds = SECONDS } = {}) {
  for (let w = 0; w < workers; w++) await run(w, -1 - w);
  let next = 0;
  const times = [];
  const cpu0 = cpuMs(pid);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < ops && performance.now() < deadline) {
      const i = next++;
      const t = performance.now();
      await run(w, i);
      times.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return { ops: times.length, perSecond: times.length / elapsed, p50: percentile(times, 50), cpu: (cpuMs(pid) - cpu0) / times.length };
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) ?? [, os.cpus()[0]?.model ?? 'unknown'])[1].trim();
  const memKb = Number(readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m)[1]);
  let moto = '';
  try { moto = execFileSync('python3', ['-c', 'import moto;print(moto.__version__)']).toString().trim(); } catch { /* unknown */ }
  return {
    nproc: execFileSync('nproc').toString().trim(), model, memGiB: memKb / 1024 / 1024, node: process.version,
    load: os.loadavg().map((l) => l.toFixed(1)).join(' '), moto,
  };
}

function seed(mode, ...args) {
  const out = execFileSync('dotnet', [SEED_DLL, mode, ...args], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

// ---- the apps' calls, checked --------------------------------------------------------------------------------------
function checkCredentials(answer, identityId) {
  const c = answer.Credentials;
  if (answer.IdentityId !== identityId || !c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration)
    fail(`GetCredentialsForIdentity answered ${JSON.stringify(answer).slice(0, 200)}`);
  return answer;
}
async function getId(endpoint, poolId, logins, expected) {
  const answer = await call(endpoint, identity('GetId'), logins ? { IdentityPoolId: poolId, Logins: logins } : { IdentityPoolId: poolId }, { unsigned: true });
  if (!/^us-east-1:[0-9a-f-]{36}$/.test(answer.IdentityId ?? '') || (expected && answer.IdentityId !== expected))
    fail(`GetId answered ${JSON.stringify(answer)}`);
  return answer.IdentityId;
}
const credentials = async (endpoint, identityId, logins) =>
  checkCredentials(await call(endpoint, identity('GetCredentialsForIdentity'), logins ? { IdentityId: identityId, Logins: logins } : { IdentityId: identityId },
    { unsigned: true }), identityId);

// ---- Portal -------------------------------------------------------------------------------------------------------
const trust = (poolId, amr) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': poolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
    },
  }],
});

async function preparePortal() {
  const userPool = (await call(PORTAL, idp('CreateUserPool'), { PoolName: `idbench-${Date.now().toString(36)}` })).UserPool.Id;
  const clientId = (await call(PORTAL, idp('CreateUserPoolClient'), {
    UserPoolId: userPool, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  const provider = `cognito-idp.${region}.amazonaws.com/${userPool}`;
  const pool = (await call(PORTAL, identity('CreateIdentityPool'), {
    IdentityPoolName: 'bench', AllowUnauthenticatedIdentities: true, CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
  })).IdentityPoolId;
  const roles = {};
  for (const amr of ['authenticated', 'unauthenticated']) {
    const name = `bench-${amr}-${Date.now().toString(36)}`;
    await iam(PORTAL, { Action: 'CreateRole', RoleName: name, AssumeRolePolicyDocument: trust(pool, amr) });
    await iam(PORTAL, {
      Action: 'PutRolePolicy', RoleName: name, PolicyName: 'app',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    });
    roles[amr] = `arn:aws:iam::000000000000:role/${name}`;
  }
  await call(PORTAL, identity('SetIdentityPoolRoles'), { IdentityPoolId: pool, Roles: roles });

  // One signed-in user per worker, made and signed in through the API as an app's users are.
  const users = [];
  for (let w = 0; w < CONCURRENCY; w++) {
    const username = `bench-user-${w}`;
    await call(PORTAL, idp('AdminCreateUser'), { UserPoolId: userPool, Username: username, MessageAction: 'SUPPRESS' });
    await call(PORTAL, idp('AdminSetUserPassword'), { UserPoolId: userPool, Username: username, Password: PASSWORD, Permanent: true });
    const auth = await call(PORTAL, idp('InitiateAuth'), {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD },
    }, { unsigned: true });
    const logins = { [provider]: auth.AuthenticationResult.IdToken };
    users.push({ logins, identityId: await getId(PORTAL, pool, logins) });
  }
  const guest = await getId(PORTAL, pool);
  log(`seeding ${N.toLocaleString('en')} identities into ${pool}`);
  const seeded = seed('identities', '--data', PORTAL_DATA, '--identity-pool', pool, '--provider', provider, '--identities', String(N));
  return { pool, users, guest, seeded };
}

// ---- moto ---------------------------------------------------------------------------------------------------------
async function startMoto() {
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(MOTO_PORT)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d) => { errors = (errors + d).slice(-4000); });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${MOTO}/moto-api/`)).status < 500) return child;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  fail(`moto did not start: ${errors}`);
}

async function prepareMoto(portalUsers) {
  const pool = (await call(MOTO, identity('CreateIdentityPool'), { IdentityPoolName: 'bench', AllowUnauthenticatedIdentities: true })).IdentityPoolId;
  log(`moto: ${MOTO_N.toLocaleString('en')} identities through GetId (8 at a time)`);
  const t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < MOTO_N) await getId(MOTO, pool);
  }));
  // moto checks no token: the same logins Portal verified, so the requests are the same size.
  const users = [];
  for (const u of portalUsers) users.push({ logins: u.logins, identityId: await getId(MOTO, pool, u.logins) });
  return { pool, users, guest: await getId(MOTO, pool), seconds: (performance.now() - t) / 1000 };
}

// ---- the workloads --------------------------------------------------------------------------------------------------
async function measure(endpoint, pid, target) {
  const { pool, users, guest } = target;
  const r = {};
  r.getIdSignedIn = await latency(pid, REQUESTS, (i) => getId(endpoint, pool, users[i % users.length].logins, endpoint === MOTO ? undefined : users[i % users.length].identityId));
  r.credentialsSignedIn = await latency(pid, REQUESTS, (i) => { const u = users[i % users.length]; return credentials(endpoint, u.identityId, u.logins); });
  r.credentialsGuest = await latency(pid, REQUESTS, () => credentials(endpoint, guest));
  r.getIdGuest = await latency(pid, REQUESTS, () => getId(endpoint, pool));
  const pair = async (w) => {
    const u = users[w % users.length];
    const id = await getId(endpoint, pool, u.logins);
    await credentials(endpoint, id, u.logins);
  };
  r.pair1 = await throughput(pid, 1, pair);
  r.pair8 = await throughput(pid, CONCURRENCY, pair);
  r.guestPair8 = await throughput(pid, CONCURRENCY, async () => credentials(endpoint, await getId(endpoint, pool)));
  return r;
}

// ---- the table ------------------------------------------------------------------------------------------------------
const ms = (v) => (v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const lat = (x) => `${ms(x.p50)} / ${ms(x.p95)} / ${ms(x.p99)}`;
const tput = (x) => `${x.perSecond.toFixed(0)} /s (p50 ${ms(x.p50)} ms)`;

function table(m, portal, moto, extra) {
  const rows = [
    ['GetId, signed in (existing identity; verifies the ID token): p50 / p95 / p99 ms', lat(portal.getIdSignedIn), lat(moto.getIdSignedIn)],
    ['… server CPU per call', `${ms(portal.getIdSignedIn.cpu)} ms`, `${ms(moto.getIdSignedIn.cpu)} ms`],
    ['GetCredentialsForIdentity, signed in (verifies the ID token, mints for the role): p50 / p95 / p99 ms', lat(portal.credentialsSignedIn), lat(moto.credentialsSignedIn)],
    ['… server CPU per call', `${ms(portal.credentialsSignedIn.cpu)} ms`, `${ms(moto.credentialsSignedIn.cpu)} ms`],
    ['… beyond the token\'s signature check (CPU per call − one RS256 verify)', `${ms(portal.credentialsSignedIn.cpu - extra.verify.cpuMs)} ms`, 'moto checks no token'],
    ['GetCredentialsForIdentity, guest (no token; scope-down policy): p50 / p95 / p99 ms', lat(portal.credentialsGuest), lat(moto.credentialsGuest)],
    ['… server CPU per call', `${ms(portal.credentialsGuest.cpu)} ms`, `${ms(moto.credentialsGuest.cpu)} ms`],
    ['GetId, guest (a new identity each call): p50 / p95 / p99 ms', lat(portal.getIdGuest), lat(moto.getIdGuest)],
    ['… server CPU per call', `${ms(portal.getIdGuest.cpu)} ms`, `${ms(moto.getIdGuest.cpu)} ms`],
    ['GetId + GetCredentialsForIdentity signed in, 1 client', tput(portal.pair1), tput(moto.pair1)],
    [`GetId + GetCredentialsForIdentity signed in, ${CONCURRENCY} concurrent clients`, tput(portal.pair8), tput(moto.pair8)],
    ['… server CPU per pair', `${ms(portal.pair8.cpu)} ms`, `${ms(moto.pair8.cpu)} ms`],
    [`guest GetId + GetCredentialsForIdentity, ${CONCURRENCY} concurrent clients`, tput(portal.guestPair8), tput(moto.guestPair8)],
  ];
  return [
    `machine: ${m.nproc} × ${m.model}, ${m.memGiB.toFixed(1)} GiB RAM; Node ${m.node}; moto ${m.moto}; load average at start ${m.load}`,
    `identities: Portal ${extra.identities.toLocaleString('en')} seeded (+ those made during the run), seeded in ${extra.seedSeconds.toFixed(0)} s, `
      + `store ${extra.storeMiB.toFixed(0)} MiB; moto ${MOTO_N.toLocaleString('en')} made through GetId in ${extra.motoSeconds.toFixed(0)} s (kept in memory)`,
    `one RS256 signature check (RSA 2048, in .NET on this machine): ${ms(extra.verify.cpuMs)} ms CPU`,
    `latency: ${REQUESTS} sequential calls after ${WARMUP} warm-ups; throughput: up to ${OPS} operations or ${SECONDS} s; client, Portal and moto share the machine`,
    '',
    '| figure | Portal | moto |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

// ---- main -------------------------------------------------------------------------------------------------------------
const m = machine();
log('preparing Portal');
const portalTarget = await preparePortal();
const storeMiB = ['portal.db', 'portal.db-wal'].map((f) => `${PORTAL_DATA}/${f}`).filter(existsSync).reduce((s, f) => s + statSync(f).size, 0) / 1024 / 1024;
log('RS256 verify cost');
const verify = seed('verify-cost');
log('measuring Portal');
const portal = await measure(PORTAL, PORTAL_PID, portalTarget);
log(`starting moto on ${MOTO}`);
const motoProcess = await startMoto();
let moto, motoTarget;
try {
  motoTarget = await prepareMoto(portalTarget.users);
  log('measuring moto');
  moto = await measure(MOTO, motoProcess.pid, motoTarget);
} finally {
  motoProcess.kill();
}
console.log(table(m, portal, moto, {
  identities: N, seedSeconds: portalTarget.seeded.seconds, storeMiB, motoSeconds: motoTarget.seconds, verify,
}));

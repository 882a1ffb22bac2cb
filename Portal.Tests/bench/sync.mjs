// Cognito Sync's benchmark driver, started by sync.sh with a running Portal (PORTAL_*). It makes an identity pool with
// developer identities and the documented per-identity role policy, seeds the store with N datasets in SQL (python3's
// sqlite3, into PORTAL_DB while Portal runs: identities and their datasets, one record each), then drives 8 devices at
// once, each with its own identity's temporary credentials, over REST-JSON signed with SigV4 for cognito-sync (written
// out below, so it needs no npm packages). Not a test: it checks that each answer is what it should be, nothing more.
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const DATASETS = Number(arg('--datasets', 1_000_000));
const CALLS = Number(arg('--calls', 2000));
// Calls before a figure: .NET compiles hot methods again (tiered JIT) during the first thousands of calls.
const WARMUP = Number(arg('--warmup', 1500));
const CONCURRENCY = Number(arg('--concurrency', 8));
// The paced run: each device's calls per second (1 patch, 100 patches, incremental pull), capped so that the total stays
// at a quarter of the throughput the closed loop measured: the devices then wait for Portal, not for each other.
const RATES = { one: Number(arg('--rate-one', 8)), hundred: Number(arg('--rate-hundred', 2.5)), pull: Number(arg('--rate-pull', 20)) };
const PACED_SHARE = 0.25;
// A paced figure lasts at most about this long (fewer calls when the machine is slow), at least 200 calls.
const PACED_SECONDS = 40;
const env = (name) => process.env[name] ?? fail(`${name} is not set (sync.sh sets it)`);
const PORTAL = env('PORTAL_ENDPOINT');
const PORTAL_PID = Number(env('PORTAL_PID'));
const PORTAL_DB = env('PORTAL_DB');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const KEY = { id: process.env.AWS_ACCESS_KEY_ID ?? 'testing', secret: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', token: undefined };
const region = 'us-east-1';

function fail(message) {
  throw new Error(message);
}
const log = (...a) => console.error('  ·', ...a);

// ---- the wire ---------------------------------------------------------------------------------------------------
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 headers for a request; `path` as sent (labels encoded once); a REST service's canonical path is encoded again. */
function sign(key, service, method, path, query, body, headers) {
  const url = new URL(PORTAL);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const all = { ...headers, host: url.host, 'x-amz-date': amzDate, ...(key.token ? { 'x-amz-security-token': key.token } : {}) };
  const names = Object.keys(all).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const canonicalPath = service === 'cognito-sync' ? path.split('/').map(enc).join('/') : path;
  const canonicalQuery = Object.keys(query).sort().map((k) => `${enc(k)}=${enc(String(query[k]))}`).join('&');
  const canonical = [method, canonicalPath, canonicalQuery, ...names.map((h) => `${h}:${lower[h]}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secret}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return { ...all, authorization: `AWS4-HMAC-SHA256 Credential=${key.id}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

async function send(url, init) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      // Kept-alive connections the server closed while the seeding ran: each failure drops one; try again.
      if (attempt >= 16) throw e;
    }
  }
}

/** One AWS JSON 1.1 call of cognito-identity; signed with the developer key unless `unsigned`. */
async function identity(op, input, { unsigned = false } = {}) {
  const body = JSON.stringify(input);
  let headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${op}` };
  if (!unsigned) headers = sign(KEY, 'cognito-identity', 'POST', '/', {}, body, headers);
  const response = await send(PORTAL + '/', { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${op}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function iam(params) {
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const headers = sign(KEY, 'iam', 'POST', '/', {}, body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  const response = await send(PORTAL + '/', { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** One Cognito Sync REST-JSON call signed with the device's credentials; answers the parsed body and the status. */
async function sync(device, method, path, query = {}, input = undefined) {
  const body = input === undefined ? '' : JSON.stringify(input);
  const headers = sign(device.key, 'cognito-sync', method, path, query, body, input === undefined ? {} : { 'content-type': 'application/json' });
  const qs = Object.keys(query).length ? '?' + Object.entries(query).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&') : '';
  const response = await send(PORTAL + path + qs, { method, headers, body: input === undefined ? undefined : body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

// ---- measuring --------------------------------------------------------------------------------------------------
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / CLK_TCK;
}
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];

/** `calls` calls shared by `workers` devices at once (run(device, i)), after a warm-up: CPU per call and latencies. */
async function concurrent(workers, calls, run) {
  let next = 0;
  const times = [];
  const cpu0 = cpuMs(PORTAL_PID);
  const start = performance.now();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < calls) {
      const i = next++;
      const t = performance.now();
      await run(w, i);
      times.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  const cpu = (cpuMs(PORTAL_PID) - cpu0) / times.length;
  times.sort((a, b) => a - b);
  return { n: times.length, perSecond: times.length / elapsed, p50: percentile(times, 50), p95: percentile(times, 95), cpu };
}

/** The paced run: `workers` devices at once, each making calls at `rate` per second on average (independent, random
 * gaps, as devices that sync on their own schedules), `calls` in all. A call's latency counts from when the device
 * meant to start it, so a call held up behind the device's previous one counts its wait too. */
async function paced(workers, calls, rate, run) {
  const times = [];
  const perDevice = Math.ceil(calls / workers);
  const start = performance.now();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    let due = start + Math.random() * 1000 / rate;
    for (let k = 0; k < perDevice; k++) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await run(w, w * perDevice + k);
      times.push(performance.now() - due);
      due += -Math.log(1 - Math.random()) * 1000 / rate;
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return { n: times.length, perSecond: times.length / elapsed, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

// ---- set-up -----------------------------------------------------------------------------------------------------
async function setUp() {
  const developer = `login.bench.${Date.now().toString(36)}`;
  const pool = await identity('CreateIdentityPool', { IdentityPoolName: 'sync_bench', AllowUnauthenticatedIdentities: false, DeveloperProviderName: developer });
  const poolId = pool.IdentityPoolId;
  const trust = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': poolId }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
    }],
  };
  const created = await iam({ Action: 'CreateRole', RoleName: 'sync-bench', AssumeRolePolicyDocument: JSON.stringify(trust) });
  const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(created)[1];
  const policy = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: ['cognito-sync:*'],
      Resource: [`arn:aws:cognito-sync:${region}:000000000000:identitypool/\${cognito-identity.amazonaws.com:aud}/identity/\${cognito-identity.amazonaws.com:sub}/*`],
    }],
  };
  await iam({ Action: 'PutRolePolicy', RoleName: 'sync-bench', PolicyName: 'sync', PolicyDocument: JSON.stringify(policy) });
  await identity('SetIdentityPoolRoles', { IdentityPoolId: poolId, Roles: { authenticated: roleArn } });
  const devices = [];
  for (let d = 0; d < CONCURRENCY; d++) {
    const token = await identity('GetOpenIdTokenForDeveloperIdentity', { IdentityPoolId: poolId, Logins: { [developer]: `device-${d}` } });
    const answer = await identity('GetCredentialsForIdentity', { IdentityId: token.IdentityId, Logins: { 'cognito-identity.amazonaws.com': token.Token } }, { unsigned: true });
    const c = answer.Credentials;
    devices.push({ poolId, identityId: token.IdentityId, key: { id: c.AccessKeyId, secret: c.SecretKey, token: c.SessionToken }, counts: {} });
  }
  return { poolId, devices };
}

/** N datasets in SQL: identities of the pool with 20 datasets each (Cognito's limit), one record in each. */
function seed(poolId) {
  const identities = Math.ceil(DATASETS / 20);
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=60)
pool, n, identities = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
now = db.execute('SELECT "CreatedAt" FROM "Identities" WHERE "IdentityPoolId" = ? LIMIT 1', (pool,)).fetchone()[0]
db.execute('BEGIN')
db.execute('''WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < ? - 1)
  INSERT INTO "Identities" ("Id", "IdentityPoolId", "CreatedAt", "LastModifiedAt", "Disabled")
  SELECT 'us-east-1:00000000-seed-4000-8000-' || printf('%012d', x), ?, ?, ?, 0 FROM c''', (identities, pool, now, now))
db.execute('''WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < ? - 1)
  INSERT INTO "SyncDatasets" ("IdentityId", "Name", "IdentityPoolId", "CreatedAt", "LastModifiedAt", "LastModifiedBy", "SyncCount", "DataStorage", "NumRecords", "SyncSessions")
  SELECT 'us-east-1:00000000-seed-4000-8000-' || printf('%012d', x / 20), 'dataset' || (x % 20), ?, ?, ?, 'seed', 1, 12, 1, 1 FROM c''', (n, pool, now, now))
db.execute('''INSERT INTO "SyncRecords" ("IdentityId", "DatasetName", "Key", "Value", "SyncCount", "LastModifiedAt", "LastModifiedBy", "DeviceLastModifiedAt")
  SELECT "IdentityId", "Name", 'setting', 'value', 1, ?, 'seed', ? FROM "SyncDatasets" WHERE "LastModifiedBy" = 'seed' ''', (now, now))
db.commit()
print(db.execute('SELECT COUNT(*) FROM "SyncDatasets"').fetchone()[0], db.execute('SELECT COUNT(*) FROM "SyncRecords"').fetchone()[0])
`;
  const t = performance.now();
  const out = execFileSync('python3', ['-c', script, PORTAL_DB, poolId, String(DATASETS), String(identities)]).toString().trim();
  log(`seeded ${identities} identities: datasets and records now ${out.replace(' ', ' and ')} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}

// ---- the calls --------------------------------------------------------------------------------------------------
const datasetPath = (d, name) => `/identitypools/${enc(d.poolId)}/identities/${enc(d.identityId)}/datasets/${enc(name)}`;

async function session(d, name) {
  const listed = await sync(d, 'GET', datasetPath(d, name) + '/records', { lastSyncCount: 0, maxResults: 1024 });
  d.counts[name] = Object.fromEntries((listed.Records ?? []).map((r) => [r.Key, r.SyncCount]));
  d.datasetCount ??= {};
  d.datasetCount[name] = listed.DatasetSyncCount;
  return listed.SyncSessionToken;
}

/** UpdateRecords of `patches` records of the device's dataset, each at the count it last saw (never a conflict). */
async function update(d, name, token, keys, i) {
  const counts = d.counts[name];
  const answer = await sync(d, 'POST', datasetPath(d, name), {}, {
    SyncSessionToken: token, DeviceId: 'bench',
    RecordPatches: keys.map((k) => ({ Op: 'replace', Key: k, Value: `value ${i} of ${k}`, SyncCount: counts[k] ?? 0, DeviceLastModifiedDate: Date.now() / 1000 })),
  });
  if (answer.Records.length !== keys.length) fail(`UpdateRecords answered ${answer.Records.length} records`);
  for (const r of answer.Records) counts[r.Key] = r.SyncCount;
  d.datasetCount[name] = answer.Records[0].SyncCount;
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) ?? [, os.cpus()[0]?.model ?? 'unknown'])[1].trim();
  return { nproc: execFileSync('nproc').toString().trim(), model, node: process.version, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
}

const { poolId, devices } = await setUp();
seed(poolId);
const m = machine();

const one = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const hundred = Array.from({ length: 100 }, (_, k) => `setting-${String(k).padStart(3, '0')}`);
const tokens = {};
for (const d of devices) {
  tokens[d.identityId] = { small: await session(d, 'small'), large: await session(d, 'large') };
}
const updateOne = (w, i) => update(devices[w], 'small', tokens[devices[w].identityId].small, [one[Math.abs(i) % one.length]], i);
const updateHundred = (w, i) => update(devices[w], 'large', tokens[devices[w].identityId].large, hundred, i);
// A device pulling what changed since its last sync: the last change of its dataset (one record).
const pull = async (w) => {
  const d = devices[w];
  const listed = await sync(d, 'GET', datasetPath(d, 'small') + '/records', { lastSyncCount: d.datasetCount.small - 1 });
  if (listed.Count !== 1) fail(`incremental ListRecords answered ${listed.Count} records`);
};

log(`warm-up: ${WARMUP} calls of each`);
await concurrent(CONCURRENCY, WARMUP, updateOne);
await concurrent(CONCURRENCY, Math.ceil(WARMUP / 10), updateHundred);
await concurrent(CONCURRENCY, WARMUP, pull);

const rows = [];
const figures = [
  ['UpdateRecords, 1 patch', updateOne, CALLS, RATES.one],
  ['UpdateRecords, 100 patches', updateHundred, Math.ceil(CALLS / 4), RATES.hundred],
  ['ListRecords, incremental (1 record)', pull, CALLS, RATES.pull],
];
for (const [name, run, n] of figures) {
  log(name);
  rows.push([name, await concurrent(CONCURRENCY, n, run)]);
}

// The closed loop above measures saturation (a device's latency there is the calls in flight over the throughput);
// the paced run measures what a device waits when Portal is not saturated.
const pacedRows = [];
for (const [[name, run, n, wanted], [, closed]] of figures.map((f, i) => [f, rows[i]])) {
  const rate = Math.min(wanted, PACED_SHARE * closed.perSecond / CONCURRENCY);
  const calls = Math.min(n, Math.max(200, Math.round(rate * CONCURRENCY * PACED_SECONDS)));
  log(`${name}, paced: ${CONCURRENCY} devices × ${rate.toFixed(2)} calls/s, ${calls} calls`);
  pacedRows.push([name, rate, closed.perSecond, await paced(CONCURRENCY, calls, rate, run)]);
}

const f = (x, d = 2) => x.toFixed(d);
console.log([
  `Cognito Sync on SQLite, ${DATASETS.toLocaleString('en')} datasets stored; ${CONCURRENCY} devices at once, each its own identity's credentials`,
  `machine: ${m.nproc} × ${m.model}; Node ${m.node}; load average at start ${m.load}`,
  '',
  `Closed loop (throughput and CPU): the ${CONCURRENCY} devices call again as soon as answered, so Portal is saturated and a`,
  'latency here is the calls in flight over the throughput, not what a device waits.',
  '',
  '| call | calls | server CPU per call | p50 | p95 | calls/s |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(([name, r]) => `| ${name} | ${r.n} | ${f(r.cpu)} ms | ${f(r.p50)} ms | ${f(r.p95)} ms | ${f(r.perSecond, 0)} |`),
  '',
  `Paced (latency): the ${CONCURRENCY} devices sync concurrently, each at the stated rate (random gaps), the total at most`,
  `${PACED_SHARE * 100}% of the closed loop's throughput; latency counts from when the device meant to call.`,
  '',
  '| call | calls | per device | total (share of throughput) | p50 | p95 | p99 |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...pacedRows.map(([name, rate, capacity, r]) =>
    `| ${name} | ${r.n} | ${f(rate)}/s | ${f(r.perSecond, 1)}/s (${f(100 * r.perSecond / capacity, 0)}% of ${f(capacity, 0)}/s) | ${f(r.p50)} ms | ${f(r.p95)} ms | ${f(r.p99)} ms |`),
  `load average at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
].join('\n'));

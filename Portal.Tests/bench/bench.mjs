// The benchmark driver, started by run.sh with a running Portal (PORTAL_*) and the Seed helper built (SEED_DLL).
// It starts cognito-local itself (it has to restart it once, after writing its seeded users), measures the same
// workloads against both with real AWS clients, and prints one table. Not a test: it asserts only that each
// request did what it should, so a figure never counts failures as work.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, statSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand,
  AdminCreateUserCommand, AdminSetUserPasswordCommand, ListUsersCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;

// ---- settings ------------------------------------------------------------------------------------------------
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('--users', 1_000_000));
const LOCAL_N = Number(arg('--local-users', 10_000));
const REQUESTS = Number(arg('--requests', 200));       // latency samples per figure
const OPS = Number(arg('--ops', 200));                 // operations per throughput figure (at most)
const SECONDS = Number(arg('--seconds', 20));          // ... or this long, whichever comes first
const CONCURRENCY = Number(arg('--concurrency', 8));
const env = (name) => process.env[name] ?? fail(`${name} is not set (run.sh sets it)`);
const PORTAL = env('PORTAL_ENDPOINT');
const PORTAL_PID = Number(env('PORTAL_PID'));
const PORTAL_DATA = env('PORTAL_DATA');
const SEED_DLL = env('SEED_DLL');
const LOCAL_PORT = Number(env('LOCAL_PORT'));
const LOCAL_DIR = env('LOCAL_DIR');
const LOCAL = `http://127.0.0.1:${LOCAL_PORT}`;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PASSWORD = 'Bench-Passw0rd!1';
const REDIRECT_URI = 'http://localhost:8765/callback';
const region = 'us-east-1';

function fail(message) {
  throw new Error(message);
}
const log = (...a) => console.error('  ·', ...a);

const sdk = (endpoint, credentials) => new CognitoIdentityProviderClient({ endpoint, region, credentials, maxAttempts: 1 });
const signed = (endpoint) => sdk(endpoint, {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
});
const unsigned = (endpoint) => new CognitoIdentityProviderClient({
  endpoint, region, maxAttempts: 1,
  credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
  signer: { sign: async (request) => request },
});

// ---- measuring -----------------------------------------------------------------------------------------------
/** utime + stime of a process, in ms. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / CLK_TCK; // fields 14 and 15 of proc(5)
}
const clientCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];

/** n sequential requests after a few warm-ups: latency percentiles and the server's CPU per request. */
async function latency(pid, n, run, { warmup = 5 } = {}) {
  for (let i = 0; i < Math.min(warmup, n); i++) await run(i);
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

/** Up to `ops` operations (or `seconds`, whichever ends first) by `workers` concurrent loops: ops/s, latency, CPU. */
async function throughput(pid, workers, run, { ops = OPS, seconds = SECONDS, warmup = 2 } = {}) {
  for (let w = 0; w < Math.min(warmup, workers); w++) await run(w, -1 - w);
  let next = 0;
  const times = [];
  const cpu0 = cpuMs(pid), client0 = clientCpuMs();
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
  const done = times.length;
  times.sort((a, b) => a - b);
  return {
    ops: done, seconds: elapsed, perSecond: done / elapsed, p50: percentile(times, 50),
    cpu: (cpuMs(pid) - cpu0) / done, clientCpu: (clientCpuMs() - client0) / done,
  };
}

/** Portal's own view of a route's time: the sum and count of http.server.request.duration (OpenTelemetry, /metrics). */
async function serverTime(endpoint, method, route) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  let sum = 0, count = 0;
  for (const line of text.split('\n')) {
    if (!line.includes(`http_route="${route}"`) || !line.includes(`http_request_method="${method}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('http_server_request_duration_seconds_sum')) sum += value;
    else if (line.startsWith('http_server_request_duration_seconds_count')) count += value;
  }
  return { sum, count };
}

// ---- the machine ----------------------------------------------------------------------------------------------
function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) ?? [, os.cpus()[0]?.model ?? 'unknown'])[1].trim();
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const memKb = Number(meminfo.match(/^MemTotal:\s+(\d+)/m)[1]);
  const nproc = execFileSync('nproc').toString().trim();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  let dotnet = '';
  try { dotnet = execFileSync('dotnet', ['--version']).toString().trim(); } catch { /* reported as unknown */ }
  return { nproc, model, memGiB: memKb / 1024 / 1024, kernel: os.release(), node: process.version, dotnet, load };
}

// ---- Portal ---------------------------------------------------------------------------------------------------
async function preparePortal() {
  const admin = signed(PORTAL);
  const pool = (await admin.send(new CreateUserPoolCommand({
    PoolName: `bench-${Date.now().toString(36)}`,
    UsernameConfiguration: { CaseSensitive: false },
    Schema: [{ Name: 'email', AttributeDataType: 'String', Mutable: true }],
  }))).UserPool;
  const client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientName: 'bench-app',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [REDIRECT_URI], SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient;
  const domain = `bench-${randomBytes(4).toString('hex')}`;
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain }));

  log(`Portal: seeding ${N.toLocaleString('en')} users into ${pool.Id} (direct SQLite inserts)...`);
  const seeded = JSON.parse(execFileSync('dotnet', [SEED_DLL, 'seed', '--data', PORTAL_DATA, '--pool', pool.Id, '--users', String(N)],
    { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 }).toString().trim().split('\n').pop());
  log(`Portal: ${seeded.users.toLocaleString('en')} users in ${seeded.seconds.toFixed(1)} s`);
  const signInUsers = await createSignInUsers(admin, pool.Id, 'portal');
  return { name: 'Portal', endpoint: PORTAL, pid: PORTAL_PID, admin, poolId: pool.Id, clientId: client.ClientId, domain, seeded, signInUsers };
}

/** One user per concurrent worker, made through the API with a permanent password, for the sign-in figures. */
async function createSignInUsers(admin, poolId, prefix) {
  const users = [];
  for (let w = 0; w < CONCURRENCY; w++) {
    const username = `${prefix}-signin-${w}`;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    users.push(username);
  }
  return users;
}

// ---- cognito-local --------------------------------------------------------------------------------------------
let local = null; // the running cognito-local child process

function startLocal() {
  const bin = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules', 'cognito-local', 'lib', 'bin', 'start.js');
  // Its documented settings: PORT and HOST (loopback only); it keeps its data in .cognito/ under its working folder.
  local = spawn(process.execPath, [bin], {
    cwd: LOCAL_DIR, env: { ...process.env, PORT: String(LOCAL_PORT), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'ignore'],
  });
  writeFileSync(path.join(LOCAL_DIR, 'cognito-local.pid'), String(local.pid));
  return waitFor(`${LOCAL}/`, 60);
}

async function stopLocal() {
  if (!local || local.exitCode !== null) return;
  const exited = new Promise((resolve) => local.once('exit', resolve));
  local.kill('SIGTERM');
  await exited;
}
process.on('exit', () => { if (local && local.exitCode === null) local.kill('SIGTERM'); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' }, body: '{"MaxResults":1}' });
      return;
    } catch { await new Promise((r) => setTimeout(r, 250)); }
  }
  fail(`${url} did not answer in ${seconds} s`);
}

async function prepareLocal() {
  mkdirSync(path.join(LOCAL_DIR, '.cognito'), { recursive: true });
  // Its default pool signs in by email; the benchmark pool has usernames, as Portal's.
  writeFileSync(path.join(LOCAL_DIR, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  await startLocal();
  const admin = signed(LOCAL);
  const pool = (await admin.send(new CreateUserPoolCommand({ PoolName: 'bench', UsernameAttributes: [] }))).UserPool;
  const client = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientName: 'bench-app',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [REDIRECT_URI], SupportedIdentityProviders: ['COGNITO'],
  }))).UserPoolClient;
  // One user through its API as the template of what its AdminCreateUser stores.
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: pool.Id, Username: 'template', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'template@example.com' }],
  }));

  // cognito-local rewrites its whole JSON file on every change, so seeding through its API slows down with every
  // user (O(n²)): the users are written into its file while it is stopped, in the shape its AdminCreateUser writes.
  log(`cognito-local: writing ${LOCAL_N.toLocaleString('en')} users into its JSON store...`);
  await stopLocal();
  const file = path.join(LOCAL_DIR, '.cognito', 'db', `${pool.Id}.json`);
  const store = JSON.parse(readFileSync(file, 'utf8'));
  const template = store.Users.template;
  delete store.Users.template;
  const people = JSON.parse(execFileSync('dotnet', [SEED_DLL, 'people', '--users', String(LOCAL_N)], { maxBuffer: 256 << 20 }).toString());
  const t = performance.now();
  for (const p of people) {
    store.Users[p.username] = {
      ...template, Username: p.username, UserStatus: 'CONFIRMED', Password: undefined,
      Attributes: [
        { Name: 'email', Value: p.email }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: p.name },
        { Name: 'given_name', Value: p.givenName }, { Name: 'family_name', Value: p.familyName }, { Name: 'sub', Value: p.sub },
      ],
      UserCreateDate: p.createdAt, UserLastModifiedDate: p.createdAt,
    };
  }
  writeFileSync(file, JSON.stringify(store, null, 2));
  const seeded = { users: people.length, seconds: (performance.now() - t) / 1000, samples: people.filter((_, i) => i % Math.max(1, Math.floor(people.length / 200)) === 0).slice(0, 200).map((p) => p.username) };
  await startLocal();
  const signInUsers = await createSignInUsers(admin, pool.Id, 'local');
  return { name: 'cognito-local', endpoint: LOCAL, pid: local.pid, admin, poolId: pool.Id, clientId: client.ClientId, seeded, signInUsers, file };
}

// ---- the workloads ------------------------------------------------------------------------------------------------
async function listUsers(target) {
  const { admin, poolId, pid } = target;
  const out = {};
  let firstPageSize = 0;
  out.firstPage = await latency(pid, REQUESTS, async () => {
    const r = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }));
    firstPageSize = r.Users.length;
  });
  out.firstPageSize = firstPageSize;
  // Paging: every request asks for the page after the previous one (when the first page says there is one).
  const first = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }));
  out.pagingSupported = !!first.PaginationToken;
  if (!out.pagingSupported) return { ...out, ...(await filtered(target)) };
  let token;
  let paged = 0;
  out.paging = await latency(pid, REQUESTS, async () => {
    const r = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60, PaginationToken: token }));
    if (r.Users.length !== 60 || !r.PaginationToken) fail(`${target.name}: paging ended early`);
    token = r.PaginationToken;
    paged += r.Users.length;
  });
  out.pagedUsers = paged;
  return { ...out, ...(await filtered(target)) };
}

async function filtered(target) {
  const { admin, poolId, pid, seeded } = target;
  const out = {};
  let prefixCount = 0;
  out.prefix = await latency(pid, REQUESTS, async () => {
    const r = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60, Filter: 'email ^= "ab"' }));
    if (r.Users.length === 0) fail(`${target.name}: email ^= "ab" found nobody`);
    if (!r.Users.every((u) => u.Attributes.find((a) => a.Name === 'email')?.Value.startsWith('ab'))) fail(`${target.name}: email ^= "ab" is wrong`);
    prefixCount = r.Users.length;
  });
  out.prefixCount = prefixCount;
  out.exact = await latency(pid, REQUESTS, async (i) => {
    const username = seeded.samples[Math.abs(i) % seeded.samples.length];
    const r = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60, Filter: `username = "${username}"` }));
    if (r.Users.length !== 1 || r.Users[0].Username !== username) fail(`${target.name}: username = "${username}" found ${r.Users.length}`);
  });
  return out;
}

async function adminCreateUser(target) {
  const { admin, poolId, pid } = target;
  const run = Date.now().toString(36);
  let created = 0, attempt = 0;
  const create = async () => {
    const username = `created-${run}-${attempt++}`;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Passw0rd!1',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Bench User' }],
    }));
    created++;
  };
  return {
    sequential: await throughput(pid, 1, create),
    concurrent: await throughput(pid, CONCURRENCY, create),
    created: () => created,
  };
}

async function passwordAuth(target) {
  const client = unsigned(target.endpoint);
  const login = async (w) => {
    const r = await client.send(new InitiateAuthCommand({
      ClientId: target.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: target.signInUsers[w], PASSWORD: PASSWORD },
    }));
    if (!r.AuthenticationResult?.AccessToken) fail(`${target.name}: USER_PASSWORD_AUTH gave no tokens`);
    return r.AuthenticationResult;
  };
  const out = {
    sequential: await throughput(target.pid, 1, login),
    concurrent: await throughput(target.pid, CONCURRENCY, login),
  };
  // A refresh token per worker, then REFRESH_TOKEN_AUTH with it.
  const refreshTokens = [];
  for (let w = 0; w < CONCURRENCY; w++) refreshTokens.push((await login(w)).RefreshToken);
  const refresh = async (w) => {
    const r = await client.send(new InitiateAuthCommand({
      ClientId: target.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshTokens[w] },
    }));
    if (!r.AuthenticationResult?.AccessToken) fail(`${target.name}: REFRESH_TOKEN_AUTH gave no tokens`);
  };
  out.refreshSequential = await throughput(target.pid, 1, refresh);
  out.refreshConcurrent = await throughput(target.pid, CONCURRENCY, refresh);
  return out;
}

async function srpAuth(target) {
  const pool = new CognitoUserPool({ UserPoolId: target.poolId, ClientId: target.clientId, endpoint: target.endpoint });
  const login = (w) => new Promise((resolve, reject) => {
    const user = new CognitoUser({ Username: target.signInUsers[w], Pool: pool });
    user.authenticateUser(new AuthenticationDetails({ Username: target.signInUsers[w], Password: PASSWORD }), {
      onSuccess: (session) => session.getAccessToken().getJwtToken() ? resolve() : reject(new Error('no access token')),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('newPasswordRequired')),
    });
  });
  try {
    await login(0);
  } catch (e) {
    return { unsupported: e.message };
  }
  return {
    sequential: await throughput(target.pid, 1, login),
    concurrent: await throughput(target.pid, CONCURRENCY, login),
  };
}

// ---- hosted UI ------------------------------------------------------------------------------------------------
const base64url = (buffer) => buffer.toString('base64url');
function pkce() {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

/** The sign-in page's URL: Portal's hosted UI at /{domain}/login, cognito-local's form at /oauth2/authorize. */
function loginUrl(target, challenge, state) {
  const query = new URLSearchParams({
    client_id: target.clientId, response_type: 'code', scope: 'openid email profile', redirect_uri: REDIRECT_URI,
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  return target.domain ? `${target.endpoint}/${target.domain}/login?${query}` : `${target.endpoint}/oauth2/authorize?${query}`;
}

async function hostedUi(target) {
  const { challenge } = pkce();
  const url = loginUrl(target, challenge, 'bench-state');
  let bytes = 0, headerBytes = 0, encoding = null;
  const metrics = target.domain ? () => serverTime(target.endpoint, 'GET', '/{domain}/login') : async () => null;
  const get = async () => {
    const r = await fetch(url, { redirect: 'manual' });
    if (r.status !== 200) fail(`${target.name}: GET login answered ${r.status}`);
    bytes = (await r.arrayBuffer()).byteLength;
    encoding = r.headers.get('content-encoding');
    headerBytes = [...r.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  };
  // The Prometheus exporter caches a scrape for a moment (300 ms by default): wait that out around the run.
  const settle = () => new Promise((resolve) => setTimeout(resolve, target.domain ? 1100 : 0));
  for (let i = 0; i < 5; i++) await get();
  await settle();
  const before = await metrics();
  const page = await latency(target.pid, REQUESTS, get, { warmup: 0 });
  await settle();
  const after = await metrics();
  const serverMs = before && after && after.count > before.count ? (after.sum - before.sum) * 1000 / (after.count - before.count) : null;
  // What a browser fetches besides the HTML (stylesheets, scripts, images on the same server), once.
  const html = await (await fetch(url)).text();
  let assetBytes = 0;
  const assets = [...html.matchAll(/(?:href|src)="([^"]+\.(?:css|js|png|svg|jpg|ico|woff2?)(?:\?[^"]*)?)"/g)].map((m) => new URL(m[1].replace(/&amp;/g, '&'), url));
  for (const a of new Set(assets.map(String))) {
    if (!a.startsWith(target.endpoint)) continue;
    const r = await fetch(a);
    if (r.ok) assetBytes += (await r.arrayBuffer()).byteLength;
  }

  const roundTrip = async (w) => {
    const { verifier, challenge: c } = pkce();
    const state = base64url(randomBytes(8));
    const u = loginUrl(target, c, state);
    let r = await fetch(u, { redirect: 'manual' });
    if (r.status !== 200) fail(`${target.name}: GET login answered ${r.status}`);
    const cookies = r.headers.getSetCookie().map((c2) => c2.split(';')[0]).join('; ');
    const form = await r.text();
    const fields = { username: target.signInUsers[w], password: PASSWORD };
    const antiforgery = form.match(/name="__RequestVerificationToken" value="([^"]+)"/);
    if (antiforgery) fields.__RequestVerificationToken = antiforgery[1];
    // cognito-local's form posts its OAuth parameters as hidden fields to /oauth2/authorize.
    for (const m of form.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      if (!(m[1] in fields)) fields[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    const action = (form.match(/<form[^>]*action="([^"]*)"/) ?? [, ''])[1].replace(/&amp;/g, '&');
    r = await fetch(action ? new URL(action, u) : u, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields),
    });
    if (r.status !== 302 && r.status !== 303) fail(`${target.name}: POST login answered ${r.status}: ${(await r.text()).slice(0, 300)}`);
    const callback = new URL(r.headers.get('location'), u);
    const code = callback.searchParams.get('code');
    if (!code || callback.searchParams.get('state') !== state) fail(`${target.name}: no code in ${callback}`);
    const tokenUrl = target.domain ? `${target.endpoint}/${target.domain}/oauth2/token` : `${target.endpoint}/oauth2/token`;
    r = await fetch(tokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: target.clientId, code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    if (r.status !== 200) fail(`${target.name}: token endpoint answered ${r.status}: ${await r.text()}`);
    if (!(await r.json()).access_token) fail(`${target.name}: no access token`);
  };
  return {
    page, serverMs, bytes, encoding, headerBytes, assetBytes, assetCount: new Set(assets.map(String)).size,
    sequential: await throughput(target.pid, 1, roundTrip),
    concurrent: await throughput(target.pid, CONCURRENCY, roundTrip),
  };
}

// ---- the table --------------------------------------------------------------------------------------------------
const f = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? '—'
  : x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(digits));
const pct = (l) => `${f(l.p50)} / ${f(l.p95)} / ${f(l.p99)} ms`;
const cpu = (m) => `${f(m.cpu)} ms`;
/** Server CPU per operation, and the rate the server's CPU alone would allow on every core of this machine. */
const ceiling = (m) => `${f(m.cpu)} ms (CPU-bound ceiling ≈ ${f(os.availableParallelism() * 1000 / m.cpu)}/s)`;
const rate = (t) => `${f(t.perSecond)}/s (p50 ${f(t.p50)} ms)`;
const kb = (b, encoding) => `${(b / 1024).toFixed(1)} KiB${encoding ? ` (sent ${encoding})` : ''}`;
const size = (bytes) => bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(2)} GiB` : `${(bytes / (1 << 20)).toFixed(1)} MiB`;

function table(m, p, l, hash) {
  const rows = [];
  const row = (figure, portal, local2 = '—') => rows.push([figure, portal, local2]);
  const section = (title) => rows.push([`**${title}**`, '', '']);
  const fileSize = (folder) => readdirSync(folder).filter((x) => x.startsWith('portal.db')).reduce((n, x) => n + statSync(path.join(folder, x)).size, 0);

  section('Users at scale');
  row('users in the pool', `${p.seeded.users.toLocaleString('en')} (+ ${(p.created).toLocaleString('en')} created through the API)`, `${l.seeded.users.toLocaleString('en')} (+ ${l.created.toLocaleString('en')})`);
  row('seeding (not through the API)', `${f(p.seeded.seconds)} s, ${f(p.seeded.rowsPerSecond)} rows/s`, `${f(l.seeded.seconds)} s (JSON file)`);
  row('store on disk after the run', size(fileSize(PORTAL_DATA)), size(statSync(l.file).size));
  row('ListUsers first page (Limit 60) p50 / p95 / p99', pct(p.list.firstPage), pct(l.list.firstPage));
  const returned = (n) => `${n.toLocaleString('en')} users${n > 60 ? ' (Limit ignored)' : ''}`;
  row('  users returned · server CPU/request', `${returned(p.list.firstPageSize)} · ${cpu(p.list.firstPage)}`, `${returned(l.list.firstPageSize)} · ${cpu(l.list.firstPage)}`);
  row(`ListUsers paging, ${REQUESTS} pages in a row p50 / p95 / p99`, pct(p.list.paging), l.list.pagingSupported ? pct(l.list.paging) : 'no PaginationToken (one page holds everyone)');
  row('ListUsers email ^= "ab" (Limit 60) p50 / p95 / p99', pct(p.list.prefix), pct(l.list.prefix));
  row('  users returned · server CPU/request', `${returned(p.list.prefixCount)} · ${cpu(p.list.prefix)}`, `${returned(l.list.prefixCount)} · ${cpu(l.list.prefix)}`);
  row('ListUsers username = "…" p50 / p95 / p99', pct(p.list.exact), pct(l.list.exact));
  row('  server CPU/request', cpu(p.list.exact), cpu(l.list.exact));
  row('AdminCreateUser sequential', rate(p.create.sequential), rate(l.create.sequential));
  row(`AdminCreateUser ${CONCURRENCY} concurrent`, rate(p.create.concurrent), rate(l.create.concurrent));
  row('  server CPU/user created', ceiling(p.create.concurrent), ceiling(l.create.concurrent));

  section('Sign-in');
  row('Argon2id hash, one (7 MiB, t=5, p=1; Portal\'s PasswordHasher)', `${f(hash.hash.wallMs)} ms wall, ${f(hash.hash.cpuMs)} ms CPU`, 'stores plain-text passwords');
  row('Argon2id verify, one · SRP verifier, one', `${f(hash.verify.cpuMs)} ms CPU · ${f(hash.srp.cpuMs)} ms CPU`, '—');
  row('USER_PASSWORD_AUTH sequential', rate(p.password.sequential), rate(l.password.sequential));
  row(`USER_PASSWORD_AUTH ${CONCURRENCY} concurrent`, rate(p.password.concurrent), rate(l.password.concurrent));
  row('  server CPU/login', ceiling(p.password.concurrent), ceiling(l.password.concurrent));
  const srpLocal = l.srp.unsupported ? 'not supported (InitiateAuth answers UnsupportedError)' : null;
  row('USER_SRP_AUTH sequential (amazon-cognito-identity-js)', rate(p.srp.sequential), srpLocal ?? rate(l.srp.sequential));
  row(`USER_SRP_AUTH ${CONCURRENCY} concurrent`, rate(p.srp.concurrent), srpLocal ? '—' : rate(l.srp.concurrent));
  row('  server CPU/login · client (Node) CPU/login', `${ceiling(p.srp.concurrent)} · ${f(p.srp.concurrent.clientCpu)} ms`, srpLocal ? '—' : `${ceiling(l.srp.concurrent)} · ${f(l.srp.concurrent.clientCpu)} ms`);
  row('REFRESH_TOKEN_AUTH sequential', rate(p.password.refreshSequential), rate(l.password.refreshSequential));
  row(`REFRESH_TOKEN_AUTH ${CONCURRENCY} concurrent`, rate(p.password.refreshConcurrent), rate(l.password.refreshConcurrent));
  row('  server CPU/refresh', ceiling(p.password.refreshConcurrent), ceiling(l.password.refreshConcurrent));

  section('Hosted UI');
  row('GET sign-in page p50 / p95 / p99', `${pct(p.ui.page)} (/{domain}/login)`, `${pct(l.ui.page)} (/oauth2/authorize)`);
  row('  server CPU/page · server-side time (Portal /metrics, mean)', `${cpu(p.ui.page)} · ${f(p.ui.serverMs)} ms`, `${cpu(l.ui.page)} · —`);
  row('  bytes: HTML · headers · same-server assets', `${kb(p.ui.bytes, p.ui.encoding)} · ${kb(p.ui.headerBytes)} · ${kb(p.ui.assetBytes)} (${p.ui.assetCount} files)`,
    `${kb(l.ui.bytes, l.ui.encoding)} · ${kb(l.ui.headerBytes)} · ${kb(l.ui.assetBytes)} (${l.ui.assetCount} files)`);
  row('authorization code + PKCE round trip, sequential', rate(p.ui.sequential), rate(l.ui.sequential));
  row(`authorization code + PKCE round trip, ${CONCURRENCY} concurrent`, rate(p.ui.concurrent), rate(l.ui.concurrent));
  row('  server CPU/round trip', ceiling(p.ui.concurrent), ceiling(l.ui.concurrent));

  const head = ['figure', 'Portal (SQLite)', 'cognito-local 5.3.0'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [
    `Portal benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `machine: ${m.nproc} × ${m.model}, ${m.memGiB.toFixed(1)} GiB RAM, Linux ${m.kernel}; Node ${m.node}, .NET SDK ${m.dotnet}; load average at start ${m.load}`,
    `N = ${p.seeded.users.toLocaleString('en')} users in Portal's pool, ${l.seeded.users.toLocaleString('en')} in cognito-local's; ${REQUESTS} requests per latency figure; ` +
      `throughput figures: up to ${OPS} operations or ${SECONDS} s each; client, Portal and cognito-local share the machine`,
    '',
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ];
  return out.join('\n');
}

// ---- main -------------------------------------------------------------------------------------------------------
async function main() {
  const m = machine();
  log(`machine: ${m.nproc} × ${m.model}, load ${m.load}`);
  log('Argon2id cost (Seed hash-cost)...');
  const hash = JSON.parse(execFileSync('dotnet', [SEED_DLL, 'hash-cost', '--count', '20']).toString());

  const p = await preparePortal();
  const l = await prepareLocal();
  for (const t of [p, l]) {
    log(`${t.name}: ListUsers...`);
    t.list = await listUsers(t);
    log(`${t.name}: AdminCreateUser...`);
    t.create = await adminCreateUser(t);
    t.created = t.create.created() + t.signInUsers.length;
    log(`${t.name}: USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH...`);
    t.password = await passwordAuth(t);
    log(`${t.name}: USER_SRP_AUTH...`);
    t.srp = await srpAuth(t);
    log(`${t.name}: hosted UI...`);
    t.ui = await hostedUi(t);
  }
  await stopLocal();
  console.log(table(m, p, l, hash));
}

main().then(() => process.exit(0), async (e) => {
  console.error(e);
  await stopLocal();
  process.exit(1);
});

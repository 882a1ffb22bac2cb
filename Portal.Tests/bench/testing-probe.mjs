// Testing mode's per-request probe (not a timed test): the five requests of the starter kit's minting test (seed a user,
// mint a session, GET /oauth2/authorize → 302, GET /login → 302 with the code, reset the pool) without chromium, and
// Portal's CPU for them from /proc/PID/task/*/schedstat (the first field: ns each thread ran, summed), which does not
// depend on what else shares the cores. Then each request kind alone in a loop, and Portal's idle CPU per second.
// PORTAL_URL, PORTAL_PID (the server's process), ITERATIONS (200), WARMUP (300), IDLE_SECONDS (30), KINDS (all).
// The template pool is made through the Cognito API with the kit's key (AKIAPLAYWRIGHTKIT001), as global-setup.ts does.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const url = process.env.PORTAL_URL;
const pid = Number(process.env.PORTAL_PID);
const iterations = Number(process.env.ITERATIONS ?? 200);
const warmup = Number(process.env.WARMUP ?? 300);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 30);
const kinds = (process.env.KINDS ?? 'flow,seed,mint,authorize,login,reset,reset-empty,healthz,idle').split(',');

// Portal's CPU in ns: the process's utime + stime (ticks, which keep the time of threads that ended) and the live threads'
// schedstat sums per thread id (ns exact, but a thread-pool thread that retires between two readings takes its time with it).
const tick = 1e9 / 100;
function cpuNs() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const threads = new Map();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try { threads.set(task, BigInt(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])); } catch { /* thread ended */ }
  }
  return { ticks: (Number(stat[11]) + Number(stat[12])) * tick, threads };
}
// Both figures of the time between two readings: ticks, and the schedstat deltas of the threads alive at the end.
function cpuSince(before) {
  const now = cpuNs();
  let exact = 0n;
  for (const [task, ns] of now.threads) exact += ns - (before.threads.get(task) ?? 0n);
  return { ticks: now.ticks - before.ticks, exact: Number(exact) };
}

async function call(method, route, body) {
  const response = await fetch(url + route, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const cognito = new CognitoIdentityProviderClient({
  endpoint: url, region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAPLAYWRIGHTKIT001', secretAccessKey: 'playwright/starter/kit/secret/key/000000' },
});
const created = await cognito.send(new CreateUserPoolCommand({
  PoolName: 'probe-template', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'],
  Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false } },
}));
const templateId = created.UserPool.Id;
const callback = 'http://localhost:3998/callback';
await cognito.send(new CreateUserPoolClientCommand({
  UserPoolId: templateId, ClientName: 'web', GenerateSecret: false,
  AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'],
  CallbackURLs: [callback], SupportedIdentityProviders: ['COGNITO'],
  ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
}));
await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: templateId, Domain: `probe-${Math.random().toString(36).slice(2, 10)}` }));
const clone = await call('POST', `/_portal/testing/pools/${templateId}/clone`, { TtlSeconds: 3600, DomainSuffix: 'probe' });
const pool = { poolId: clone.UserPoolId, clientId: clone.Clients[0].ClientId, domain: clone.Domain };

const verifier = randomBytes(32).toString('base64url');
const authorize = `${url}/${pool.domain}/oauth2/authorize?${new URLSearchParams({
  client_id: pool.clientId, response_type: 'code', scope: 'openid email profile', redirect_uri: callback, state: 'kit',
  code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
})}`;
let n = 0;
const email = () => `probe-${process.pid}-${n++}@example.com`;
const seed = (username) => call('POST', `/_portal/testing/pools/${pool.poolId}/users`,
  { Users: [{ Username: username, Password: 'Bench-Passw0rd', Attributes: { email: username, email_verified: 'true' } }] });
const mint = async (username) => (await call('POST', `/_portal/testing/pools/${pool.poolId}/sessions`, { Username: username, ClientId: pool.clientId })).SsoCookie;
async function get(target, cookie, expect) {
  const response = await fetch(target, { redirect: 'manual', headers: { cookie } });
  await response.arrayBuffer();
  if (response.status !== 302 || !response.headers.get('location').includes(expect)) throw new Error(`${target}: ${response.status} ${response.headers.get('location')}`);
  return new URL(response.headers.get('location'), target).toString();
}
const reset = () => call('POST', `/_portal/testing/pools/${pool.poolId}/reset`);

async function flow() {
  const username = email();
  await seed(username);
  const sso = await mint(username);
  const cookie = `${sso.Name}=${sso.Value}`;
  const login = await get(authorize, cookie, '/login');
  await get(login, cookie, 'code=');
  await reset();
}

async function measure(name, count, setup, step) {
  const state = await setup();
  for (let i = 0; i < Math.min(50, count); i++) await step(state, i);   // this kind's own warm-up
  const before = cpuNs(), started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await step(state, i);
  const cpu = cpuSince(before), wall = Number(process.hrtime.bigint() - started) / 1e6 / count;
  console.log(`${name.padEnd(34)} ${(cpu.exact / 1e6 / count).toFixed(2).padStart(8)} ms Portal CPU each (schedstat; ticks ${(cpu.ticks / 1e6 / count).toFixed(2)})   ${wall.toFixed(2).padStart(8)} ms wall each   (${count} times)`);
}

for (let i = 0; i < warmup; i++) await flow();
const signedIn = async () => {
  await reset();
  const username = email();
  await seed(username);
  const sso = await mint(username);
  return { username, cookie: `${sso.Name}=${sso.Value}` };
};
for (const kind of kinds) {
  switch (kind) {
    case 'flow': await measure('five requests of a minting test', iterations, async () => null, () => flow()); break;
    case 'seed': await measure('seed one user', iterations, reset, () => seed(email())); break;
    case 'mint': await measure('mint a session', iterations, signedIn, s => mint(s.username)); break;
    case 'authorize': await measure('GET /oauth2/authorize (SSO cookie)', iterations, signedIn, s => get(authorize, s.cookie, '/login')); break;
    case 'login': {
      const s = await signedIn();
      const login = await get(authorize, s.cookie, '/login');
      await measure('GET /login (SSO cookie) → code', iterations, async () => s, () => get(login, s.cookie, 'code='));
      break;
    }
    case 'reset': await measure('seed + reset (minus seed above)', iterations, async () => null, async () => { await seed(email()); await reset(); }); break;
    case 'reset-empty': await measure('reset of an empty pool', iterations, reset, () => reset()); break;
    case 'healthz': await measure('GET /healthz', iterations, async () => null, async () => { const r = await fetch(`${url}/healthz`); await r.arrayBuffer(); }); break;
    case 'idle': {
      // Past the JIT's background recompilation of what the warm-up ran.
      await new Promise(resolve => setTimeout(resolve, 10000));
      const before = cpuNs();
      await new Promise(resolve => setTimeout(resolve, idleSeconds * 1000));
      const cpu = cpuSince(before);
      console.log(`${'idle'.padEnd(34)} ${(cpu.exact / 1e6 / idleSeconds).toFixed(2).padStart(8)} ms Portal CPU per s (schedstat; ticks ${(cpu.ticks / 1e6 / idleSeconds).toFixed(2)}; ${idleSeconds} s)`);
      break;
    }
  }
}

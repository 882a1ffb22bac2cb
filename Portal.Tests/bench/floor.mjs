// Driver of floor.sh: password sign-ins (USER_PASSWORD_AUTH on the Cognito wire), CONCURRENCY at once on keep-alive
// connections, against FLOOR_ENDPOINT (the floor app, no hash) and PORTAL_ENDPOINT (Portal, full Argon2id hash); server
// CPU per sign-in from /proc/<pid>/stat over ROUNDS windows of SECONDS after WARMUP seconds, and for Portal the CPU its
// hashes took in the same window (its /metrics: each hash's own thread CPU), so Portal's figure reads "hash + X".
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, CreateUserPoolClientCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const env = (name, fallback) => process.env[name] ?? fallback;
const CONCURRENCY = Number(env('CONCURRENCY', 8)), SECONDS = Number(env('SECONDS', 10)), WARMUP = Number(env('WARMUP', 15));
const ROUNDS = Number(env('ROUNDS', 3));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
// utime + stime of /proc/<pid>/stat (fields 14 and 15 of proc(5)), in ms.
const cpuMs = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 1000 / CLK_TCK; };

function initiateAuth(agent, endpoint, clientId, username, password) {
  return new Promise((resolve, reject) => {
    const request = http.request(endpoint + '/', {
      method: 'POST', agent,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    }, (response) => {
      let body = '';
      response.on('data', (d) => body += d);
      response.on('end', () => response.statusCode === 200 && body.includes('IdToken') ? resolve() : reject(new Error(`${response.statusCode} ${body}`)));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  });
}

async function hashMetrics(endpoint) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const sum = (name) => text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes('cost="full"'))
    .reduce((s, l) => s + Number(l.trim().split(' ')[1]), 0);
  return { hashes: sum('portal_password_hashes_total'), seconds: sum('portal_password_hash_cpu_time_seconds_total') };
}

async function measure(name, endpoint, pid, clientId, users, password, hashes) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const loop = async (ms, w, counter) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { await initiateAuth(agent, endpoint, clientId, users[w % users.length], password); counter.n++; }
  };
  const run = (ms, counter) => Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(ms, w, counter)));
  await run(WARMUP * 1000, { n: 0 });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const counter = { n: 0 };
    const before = hashes && await hashMetrics(endpoint);
    const c0 = cpuMs(pid);
    const t0 = performance.now();
    await run(SECONDS * 1000, counter);
    const cpu = (cpuMs(pid) - c0) / counter.n;
    const wall = (performance.now() - t0) / 1000;
    const after = hashes && await hashMetrics(endpoint);
    const hash = hashes ? (after.seconds - before.seconds) * 1000 / (after.hashes - before.hashes) : 0;
    rounds.push({ cpu, hash, outside: cpu - hash, perSecond: counter.n / wall });
  }
  agent.destroy();
  rounds.sort((a, b) => a.outside - b.outside);
  const median = rounds[Math.floor(rounds.length / 2)];
  console.log(JSON.stringify({ name, ...median, rounds: rounds.map((r) => Number(r.outside.toFixed(3))) }));
}

const portal = env('PORTAL_ENDPOINT');
const admin = new CognitoIdentityProviderClient({ endpoint: portal, region: 'us-east-1' });
const pool = (await admin.send(new CreateUserPoolCommand({ PoolName: `floor-${Date.now().toString(36)}` }))).UserPool.Id;
const client = (await admin.send(new CreateUserPoolClientCommand({
  UserPoolId: pool, ClientName: 'floor', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
}))).UserPoolClient.ClientId;
const users = Array.from({ length: CONCURRENCY }, (_, i) => `user${i}`);
for (const u of users) {
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: u, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${u}@example.com` }, { Name: 'email_verified', Value: 'true' }] }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: u, Password: 'Floor-Passw0rd!', Permanent: true }));
}
await measure('floor', env('FLOOR_ENDPOINT'), env('FLOOR_PID'), 'floor', users, 'any', false);
await measure('Portal', portal, env('PORTAL_PID'), client, users, 'Floor-Passw0rd!', true);

// The threat-protection benchmark driver, started by threat.sh with a running Portal (PORTAL_ENDPOINT, PORTAL_PID). Sets
// up four user pools through Portal's API (threat protection off; AUDIT with no risk configuration, which records each
// sign-in's auth event and nothing more; compromised credentials only; full adaptive authentication), a user in each,
// then signs them in round-robin: each round signs in `--per-round` times in each pool
// (the order of the pools turning from round to round) and reads Portal's CPU time around each pool's share. The clock is
// the process's CPU-time clock (clock_gettime on the pid's CPUCLOCK, in nanoseconds, every thread, living or ended,
// through python3), not /proc's 10 ms ticks. The added CPU of a pool is the median over rounds of its CPU per sign-in
// less "off"'s in the same round (paired, so the machine's drift cancels), with a distribution-free 95% confidence
// interval of that median; the same against "events only" says what the corpus check and risk scoring add beyond
// recording the auth event, which every pool with threat protection does. By default rounds go on until both intervals are within ±`--target` ms (0.1), at least
// `--min-rounds` and at most `--max-rounds`; `--rounds N` runs exactly N.
import { createHash, createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import os from 'node:os';
import { SignatureV4 } from '@smithy/signature-v4';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const FIXED_ROUNDS = arg('--rounds', null) === null ? null : Number(arg('--rounds'));
const PER_ROUND = Number(arg('--per-round', 30));
const TARGET = Number(arg('--target', 0.1));
const MIN_ROUNDS = Number(arg('--min-rounds', 30));
const MAX_ROUNDS = Number(arg('--max-rounds', 400));
const WARMUP = Number(arg('--warmup', 200));
const PORTAL = process.env.PORTAL_ENDPOINT;
const PORTAL_PID = Number(process.env.PORTAL_PID);
const region = 'us-east-1';
const admin = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
const password = 'Bench-Passw0rd-Not-Breached-42!';

class Sha256 {
  constructor(secret) { this.hash = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data) { this.hash.update(typeof data === 'string' ? Buffer.from(data) : data); }
  async digest() { return new Uint8Array(this.hash.digest()); }
}

async function json(target, input, signed = true) {
  const url = new URL(PORTAL);
  const body = JSON.stringify(input);
  let headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` };
  if (signed) {
    const signer = new SignatureV4({ service: 'cognito-idp', region, credentials: admin, sha256: Sha256 });
    headers = (await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers, body })).headers;
  }
  const response = await fetch(`${PORTAL}/`, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: ${response.status} ${text}`);
  return JSON.parse(text || '{}');
}

// Portal's CPU time in ns: Linux's CPU-time clock of another process is clockid ((~pid) << 3) | 2 (CPUCLOCK_SCHED,
// process-wide), which python3's time.clock_gettime_ns reads; one python3 answers every read, a line per read.
const clock = spawn('python3', ['-u', '-c',
  `import sys, time\nclk = ((~${PORTAL_PID}) << 3) | 2\nfor _ in sys.stdin: print(time.clock_gettime_ns(clk), flush=True)`],
  { stdio: ['pipe', 'pipe', 'inherit'] });
const clockLines = readline.createInterface({ input: clock.stdout })[Symbol.asyncIterator]();
async function cpuNs() {
  clock.stdin.write('\n');
  const { value, done } = await clockLines.next();
  if (done) throw new Error('the CPU clock reader (python3) ended');
  return Number(value);
}

async function setup(label, mode, risk) {
  const { UserPool } = await json('CreateUserPool', {
    PoolName: `bench-${label.replaceAll(' ', '-')}-${Date.now()}`, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode },
  });
  const { UserPoolClient } = await json('CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  if (risk) await json('SetRiskConfiguration', { UserPoolId: UserPool.Id, ...risk });
  await json('AdminCreateUser', { UserPoolId: UserPool.Id, Username: 'bench', MessageAction: 'SUPPRESS' });
  await json('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: 'bench', Password: password, Permanent: true });
  return { label, clientId: UserPoolClient.ClientId, samples: [] };
}

const noAction = { EventAction: 'NO_ACTION', Notify: false };
const compromised = { CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'NO_ACTION' } } };
const pools = [
  await setup('off', 'OFF', null),
  await setup('events only', 'AUDIT', null),
  await setup('compromised credentials only', 'AUDIT', compromised),
  await setup('full adaptive', 'ENFORCED', {
    ...compromised,
    AccountTakeoverRiskConfiguration: { Actions: { LowAction: noAction, MediumAction: noAction, HighAction: noAction } },
    RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['10.0.0.0/8'] },
  }),
];

// Devices and addresses vary, so the adaptive pool's history has new devices and networks to look through.
let n = 0;
const signIn = (pool) => {
  const i = n++;
  return json('InitiateAuth', {
    ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bench', PASSWORD: password },
    UserContextData: { IpAddress: `198.51.${100 + (i % 20)}.${i % 250}`, EncodedData: Buffer.from(`device-${i % 7}`).toString('base64') },
  }, false);
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// A distribution-free 95% confidence interval of the median: the order statistics n/2 ∓ 0.98·√n (the sign test's).
const medianInterval = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = 0.98 * Math.sqrt(s.length);
  return [s[Math.max(0, Math.floor(s.length / 2 - k))], s[Math.min(s.length - 1, Math.ceil(s.length / 2 + k) - 1)]];
};
const added = (p, base = pools[0]) => p.samples.map((x, r) => x - base.samples[r]);
const halfWidth = (p, base = pools[0]) => { const [lo, hi] = medianInterval(added(p, base)); return (hi - lo) / 2; };
// Each pool against "off", and the two with risk configurations against "events only" too.
const pairs = [...pools.slice(1).map((p) => [p, pools[0]]), ...pools.slice(2).map((p) => [p, pools[1]])];

// Warm-up: the JIT's tiering of every path, the caches, SQLite's pages.
for (let i = 0; i < WARMUP; i++) for (const pool of pools) await signIn(pool);
const started = Date.now();
let rounds = 0;
for (; ;) {
  for (let k = 0; k < pools.length; k++) {
    const pool = pools[(rounds + k) % pools.length];
    const before = await cpuNs();
    for (let i = 0; i < PER_ROUND; i++) await signIn(pool);
    pool.samples.push((await cpuNs() - before) / 1e6 / PER_ROUND);
  }
  rounds++;
  if (FIXED_ROUNDS !== null) { if (rounds >= FIXED_ROUNDS) break; continue; }
  if (rounds >= MAX_ROUNDS) break;
  if (rounds >= MIN_ROUNDS && pairs.every(([p, b]) => halfWidth(p, b) <= TARGET)) break;
  if (rounds % 10 === 0) process.stderr.write(`== ${rounds} rounds: ±${pairs.map(([p, b]) => halfWidth(p, b).toFixed(3)).join(' / ±')} ms\n`);
}
clock.stdin.end();

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load ${load}; ${rounds} rounds × ${PER_ROUND} sign-ins per pool `
  + `(after ${WARMUP} per pool to warm up), ${((Date.now() - started) / 1000).toFixed(0)} s; CPU clock in ns.`);
const difference = (p, b) => {
  const [lo, hi] = medianInterval(added(p, b));
  const m = median(added(p, b));
  return `${m >= 0 ? '+' : ''}${m.toFixed(3)} ms | ${lo.toFixed(3)} to ${hi.toFixed(3)} ms (±${halfWidth(p, b).toFixed(3)})`;
};
console.log('| pool | Portal CPU per sign-in (median of rounds) | min | max | added over "off" (median of paired rounds) | 95% interval | added over "events only" | 95% interval |');
console.log('|---|---|---|---|---|---|---|---|');
for (const p of pools) {
  const i = pools.indexOf(p);
  console.log(`| ${p.label} | ${median(p.samples).toFixed(3)} ms | ${Math.min(...p.samples).toFixed(3)} ms | ${Math.max(...p.samples).toFixed(3)} ms | `
    + (i === 0 ? '— | — |' : `${difference(p, pools[0])} |`) + (i < 2 ? ' — | — |' : ` ${difference(p, pools[1])} |`));
}
if (FIXED_ROUNDS === null && pairs.some(([p, b]) => halfWidth(p, b) > TARGET))
  console.log(`Not resolved to ±${TARGET} ms within ${MAX_ROUNDS} rounds: the machine is too noisy for this target.`);

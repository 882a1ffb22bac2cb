// The threat-protection benchmark driver, started by threat.sh with a running Portal (PORTAL_ENDPOINT, PORTAL_PID). Sets
// up three user pools through Portal's API (threat protection off; compromised credentials only; full adaptive
// authentication), a user in each, then signs them in round-robin, rounds × per-round sign-ins per pool, and reads
// Portal's CPU (utime+stime from /proc) around each pool's share of every round. Prints CPU per sign-in per pool (median
// over rounds) and what each level of threat protection adds over "off".
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync as exec } from 'node:child_process';
import os from 'node:os';
import { SignatureV4 } from '@smithy/signature-v4';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg('--rounds', 15));
const PER_ROUND = Number(arg('--per-round', 40));
const PORTAL = process.env.PORTAL_ENDPOINT;
const PORTAL_PID = Number(process.env.PORTAL_PID);
const CLK_TCK = Number(exec('getconf', ['CLK_TCK']).toString().trim()) || 100;
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

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function setup(label, mode, risk) {
  const { UserPool } = await json('CreateUserPool', {
    PoolName: `bench-${label}-${Date.now()}`, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode },
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
  await setup('compromised credentials only', 'AUDIT', compromised),
  await setup('full adaptive', 'ENFORCED', {
    ...compromised,
    AccountTakeoverRiskConfiguration: { Actions: { LowAction: noAction, MediumAction: noAction, HighAction: noAction } },
    RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['10.0.0.0/8'] },
  }),
];

// Devices and addresses vary, so the adaptive pool's history has new devices and networks to look through.
const signIn = (pool, i) => json('InitiateAuth', {
  ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bench', PASSWORD: password },
  UserContextData: { IpAddress: `198.51.${100 + (i % 20)}.${i % 250}`, EncodedData: Buffer.from(`device-${i % 7}`).toString('base64') },
}, false);

for (const pool of pools) for (let i = 0; i < 20; i++) await signIn(pool, i); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const pool of pools) {
    const before = cpuTicks(PORTAL_PID);
    for (let i = 0; i < PER_ROUND; i++) await signIn(pool, round * PER_ROUND + i);
    pool.samples.push(((cpuTicks(PORTAL_PID) - before) * 1000) / CLK_TCK / PER_ROUND);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load ${load}; ${ROUNDS} rounds × ${PER_ROUND} sign-ins per pool, CPU tick ${1000 / CLK_TCK} ms.`);
console.log('| pool | Portal CPU per sign-in (median of rounds) | min | max | added over "off" |');
console.log('|---|---|---|---|---|');
const off = median(pools[0].samples);
for (const p of pools) {
  const m = median(p.samples);
  console.log(`| ${p.label} | ${m.toFixed(3)} ms | ${Math.min(...p.samples).toFixed(3)} ms | ${Math.max(...p.samples).toFixed(3)} ms | ${p === pools[0] ? '—' : `${(m - off).toFixed(3)} ms`} |`);
}

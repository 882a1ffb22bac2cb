// Builds the offline breached-password corpus Portal ships (breached-passwords.bin beside this script) from the
// common-password list of the npm package @zxcvbn-ts/language-common (MIT), which ranks passwords seen in public
// breach dumps. Run with node 20 from anywhere: `node Portal.Server/ThreatProtection/build-corpus.mjs`.
// The file holds the first 8 bytes of each password's SHA-1, sorted, big-endian: no password in clear, 8 bytes each.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = '@zxcvbn-ts/language-common@4.1.3';
const work = mkdtempSync(join(tmpdir(), 'corpus-'));
try {
  const tgz = execFileSync('npm', ['pack', pkg, '--silent'], { cwd: work }).toString().trim().split('\n').pop();
  execFileSync('tar', ['xzf', tgz], { cwd: work });
  const passwords = JSON.parse(readFileSync(join(work, 'package', 'src', 'passwords.json'), 'utf8'));
  const prefixes = new Set();
  for (const p of passwords) prefixes.add(createHash('sha1').update(p, 'utf8').digest().subarray(0, 8).toString('hex'));
  const sorted = [...prefixes].sort();
  const out = Buffer.alloc(sorted.length * 8);
  sorted.forEach((h, i) => Buffer.from(h, 'hex').copy(out, i * 8));
  const target = join(dirname(fileURLToPath(import.meta.url)), 'breached-passwords.bin');
  writeFileSync(target, out);
  console.log(`${passwords.length} passwords from ${pkg}, ${sorted.length} distinct hashes, ${out.length} bytes → ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Writes the IAM differential corpus (tests/iam/corpus.js) to the committed fixture the .NET tests read
// (Portal.Tests/Gateway/Fixtures/iam-corpus.json: { account, poolId, cases }), so the simulator-versus-gateway test runs
// the same cases as the differential test. Run after changing corpus.js:  node tests/iam/write-corpus.js
// (iam-differential.test.js fails while the fixture differs from the generator's output).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { account, corpus, poolId } from './corpus.js';

export const fixture = fileURLToPath(new URL('../../../Gateway/Fixtures/iam-corpus.json', import.meta.url));
export const corpusJson = () => JSON.stringify({ account, poolId, cases: corpus() }, null, 1) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(fixture, corpusJson());
  console.log(`wrote ${fixture}`);
}

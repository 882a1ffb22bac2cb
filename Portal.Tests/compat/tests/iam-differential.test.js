// IAM policy evaluation checked differentially: every case of the seeded corpus (tests/iam/corpus.js) is evaluated by
// Portal through IAM's SimulateCustomPolicy on the wire (the AWS SDK's IAM client, Query protocol) and by the independent
// open-source simulator @cloud-copilot/iam-simulate; any disagreement not explained in tests/iam/exceptions.json fails.
// Session policies (Cognito's guest scope-down) go to SimulateCustomPolicy as its permissions-boundary input, which AWS
// combines the same way (an intersection with the identity policies, a Deny in either wins); iam-simulate gets them as
// the session policy.
import { IAMClient, SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { account, corpus } from './iam/corpus.js';
import { reference } from './iam/simulate-reference.js';
import { corpusJson, fixture } from './iam/write-corpus.js';
import { credentials, endpoint, region } from './portal.js';

const iam = new IAMClient({ endpoint, region, credentials, maxAttempts: 1 });
const exceptions = JSON.parse(readFileSync(new URL('./iam/exceptions.json', import.meta.url), 'utf8'));
const decisions = { allowed: 'Allowed', explicitDeny: 'ExplicitlyDenied', implicitDeny: 'ImplicitlyDenied' };

async function portal(c) {
  const boundary = c.session ? [c.session] : c.boundary;
  const result = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: c.policies.map((p) => JSON.stringify(p, null, 2)),
    PermissionsBoundaryPolicyInputList: boundary?.map((p) => JSON.stringify(p)),
    ActionNames: [c.action],
    ResourceArns: [c.resource],
    ContextEntries: c.context.map((e) => ({ ContextKeyName: e.name, ContextKeyValues: e.values, ContextKeyType: e.type })),
  }));
  assert.equal(result.EvaluationResults.length, 1);
  return result.EvaluationResults[0];
}

test('the .NET tests\' copy of the corpus (Portal.Tests/Gateway/Fixtures/iam-corpus.json) is the generator\'s output', () => {
  assert.equal(readFileSync(fixture, 'utf8'), corpusJson(), 'run node tests/iam/write-corpus.js and commit the fixture');
});

test('the IAM differential corpus: Portal (SimulateCustomPolicy) and iam-simulate agree, or the difference is explained', async () => {
  const cases = corpus();
  assert.ok(cases.length >= 300, `the corpus has ${cases.length} cases`);
  for (const id of Object.keys(exceptions)) {
    assert.ok(cases.some((c) => c.id === id), `exception ${id} names a case of the corpus`);
    assert.ok(exceptions[id].reason?.length > 20, `exception ${id} says why`);
  }
  let agree = 0, explained = 0;
  const disagreements = [];
  const features = new Set();
  for (const c of cases) {
    features.add(c.feature);
    const ours = await portal(c);
    const theirs = reference(c, account);
    const decision = decisions[ours.EvalDecision];
    // The deciding statement is reported with its position in the document Portal was given.
    if (decision !== 'ImplicitlyDenied') assert.ok(ours.MatchedStatements.length > 0 && ours.MatchedStatements[0].StartPosition.Line >= 1, `${c.id}: matched statements`);
    if (decision === theirs) {
      agree++;
      if (exceptions[c.id]) disagreements.push(`${c.id}: listed as an exception but both answer ${decision}; remove it`);
    } else if (exceptions[c.id]?.portal === decision && exceptions[c.id]?.reference === theirs) explained++;
    else disagreements.push(`${c.id}: Portal ${decision}, iam-simulate ${theirs}\n  ${JSON.stringify({ ...c, id: undefined })}`);
  }
  console.log(`IAM differential: ${cases.length} cases over ${features.size} features, ${agree} agree, ${explained} disagree with an explanation, ${disagreements.length} unexplained`);
  assert.deepEqual(disagreements, []);
});

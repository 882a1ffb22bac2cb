// The reference for the IAM differential: @cloud-copilot/iam-simulate (AGPL, a test-only devDependency, never part of
// Portal) evaluating a corpus case. Its core engine is called directly (as its runUnsafeSimulation does, without the
// input validation that ignores context keys it does not know for an action, e.g. cognito-identity.amazonaws.com:sub on
// s3:GetObject, which AWS does put in a web-identity session's context), so that session policies count too.
import { loadPolicy } from '@cloud-copilot/iam-policy';

const engine = await import(new URL('../../node_modules/@cloud-copilot/iam-simulate/dist/esm/core_engine/CoreSimulatorEngine.js', import.meta.url));
const { DiscoveryContextKeyConstraints } = await import(new URL('../../node_modules/@cloud-copilot/iam-simulate/dist/esm/context_keys/discoveryContextKeyConstraints.js', import.meta.url));
const { AwsRequestImpl } = await import(new URL('../../node_modules/@cloud-copilot/iam-simulate/dist/esm/request/request.js', import.meta.url));
const { RequestContextImpl } = await import(new URL('../../node_modules/@cloud-copilot/iam-simulate/dist/esm/requestContext.js', import.meta.url));

const principal = 'arn:aws:sts::123456789012:assumed-role/Cognito_AppAuth_Role/CognitoIdentityCredentials';

/** 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' for the case. */
export function reference(c, account) {
  const variables = {};
  for (const e of c.context) variables[e.name] = e.type.endsWith('List') ? e.values : e.values[0];
  const request = new AwsRequestImpl(principal, { resource: c.resource, accountId: account }, c.action, new RequestContextImpl(variables));
  const analysis = engine.authorize({
    request,
    sessionPolicy: c.session ? loadPolicy(c.session, { name: 'session' }) : undefined,
    identityPolicies: c.policies.map((p, i) => loadPolicy(p, { name: `PolicyInputList.${i + 1}` })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
    permissionBoundaries: c.boundary?.map((p, i) => loadPolicy(p, { name: `boundary.${i + 1}` })),
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result;
}

// An offline-first page, bundled with esbuild and served from another origin than Portal's (sync-browser.test.js):
// amazon-cognito-js (the CognitoSyncManager on aws-sdk v2) with its browser store, localStorage, and a guest identity's
// credentials from Portal's identity pool. Each browser context is one device of the identity.
import './sync-aws.js';
import 'amazon-cognito-js';

const { AWS } = globalThis;
const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
let manager = null;

window.app = {
  /** Gets credentials for the identity given (or a new guest identity) and makes the sync manager; answers the identity. */
  async start({ identityPoolId, endpoint, region, identityId }) {
    AWS.config.region = region;
    AWS.config.cognitosync = { endpoint };
    const creds = new AWS.CognitoIdentityCredentials({ IdentityPoolId: identityPoolId, ...(identityId ? { IdentityId: identityId } : {}) },
      { endpoint, region });
    await creds.getPromise();
    AWS.config.credentials = creds;
    manager = new AWS.CognitoSyncManager();   // the browser's default store: localStorage
    return creds.identityId;
  },
  /** Writes a record locally (no network: the manager's store). */
  async put(name, key, value) {
    const dataset = await call((cb) => manager.openOrCreateDataset(name, cb));
    await call((cb) => dataset.put(key, value, cb));
  },
  /** The records the device holds locally. */
  async all(name) {
    const dataset = await call((cb) => manager.openOrCreateDataset(name, cb));
    return call((cb) => dataset.getAll(cb));
  },
  /** Synchronizes; a conflict is resolved as remote+local. Answers what happened and the conflicts seen. */
  async sync(name) {
    const dataset = await call((cb) => manager.openOrCreateDataset(name, cb));
    const conflicts = [];
    return new Promise((resolve) => dataset.synchronize({
      onSuccess: () => resolve({ ok: true, conflicts }),
      onFailure: (err) => resolve({ ok: false, conflicts, error: String(err?.code ?? err?.message ?? err) }),
      onConflict: (ds, found, cb) => {
        for (const c of found) conflicts.push([c.getKey(), c.getRemoteRecord().getValue(), c.getLocalRecord().getValue()]);
        const resolved = found.map((c) => c.resolveWithValue(`${c.getRemoteRecord().getValue()}+${c.getLocalRecord().getValue()}`));
        ds.resolve(resolved, () => cb(true));
      },
      onDatasetDeleted: (ds, dsName, cb) => cb(true),
      onDatasetsMerged: (ds, names, cb) => cb(false),
    }));
  },
};
window.ready = true;

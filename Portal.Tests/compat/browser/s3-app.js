// A small storage app, bundled with esbuild and served from another origin than Portal's (s3-browser.test.js): it signs
// in through the hosted UI (Amplify's signInWithRedirect: code + PKCE), then reaches Portal's S3 route two ways:
//  - the sample app: identity credentials fetched by hand (GetId + GetCredentialsForIdentity with the ID token, or none
//    for a guest) and @aws-sdk/client-s3, path-style;
//  - Amplify v6 Storage (uploadData, list, getUrl, downloadData, remove) with the credentials Amplify gets from Portal,
//    virtual-hosted through a per-call customEndpoint ({bucket}.{customEndpoint}, over HTTPS).
// Its configuration is kept in localStorage, so that it survives the redirects of signInWithRedirect.
import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import { fetchAuthSession, getCurrentUser, signInWithRedirect } from 'aws-amplify/auth';
import 'aws-amplify/auth/enable-oauth-listener';
import { downloadData, getUrl, list, remove, uploadData } from 'aws-amplify/storage';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const out = document.getElementById('out');
const show = (text) => { out.textContent = text; };
window.authEvents = [];
Hub.listen('auth', ({ payload }) => {
  window.authEvents.push(payload.event);
  if (payload.event === 'signInWithRedirect') getCurrentUser().then((u) => show(`signed in as ${u.username}`));
  if (payload.event === 'signInWithRedirect_failure') show(`sign-in failed: ${payload.data?.error?.message}`);
});

const key = 'portal-test-s3-app';
const stored = JSON.parse(localStorage.getItem(key) ?? 'null');
if (stored) Amplify.configure(stored.amplify);
const settings = () => JSON.parse(localStorage.getItem(key)).app;

/** An error as the page can tell it: S3's code and status (the S3 route's CORS rules let the page read them). */
const failure = (e) => ({ ok: false, name: e.name, status: e.$metadata?.httpStatusCode ?? null, message: String(e.message ?? e) });

// --- The sample app: GetId + GetCredentialsForIdentity by hand, then client-s3 path-style.
let sample = null;

async function sampleSignIn({ guest = false } = {}) {
  const { identityPoolId, cognitoEndpoint, userPoolId } = settings();
  const logins = {};
  if (!guest) {
    const { tokens } = await fetchAuthSession();
    logins[`cognito-idp.us-east-1.amazonaws.com/${userPoolId}`] = tokens.idToken.toString();
  }
  // No credentials: GetId and GetCredentialsForIdentity are unsigned calls.
  const cognito = new CognitoIdentityClient({ endpoint: cognitoEndpoint, region: 'us-east-1', maxAttempts: 1 });
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
  const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  sample = {
    identityId: IdentityId,
    s3: new S3Client({
      endpoint: settings().s3Endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
      credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken },
    }),
  };
  show(`identity ${IdentityId}`);
  return IdentityId;
}

async function sampleCall(operation, { Key, Prefix, Body } = {}) {
  const { bucket: Bucket } = settings();
  try {
    if (operation === 'put') {
      const r = await sample.s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: 'text/plain' }));
      return { ok: true, etag: r.ETag ?? null };
    }
    if (operation === 'get') {
      const r = await sample.s3.send(new GetObjectCommand({ Bucket, Key }));
      return { ok: true, text: await r.Body.transformToString() };
    }
    const r = await sample.s3.send(new ListObjectsV2Command({ Bucket, Prefix }));
    return { ok: true, keys: (r.Contents ?? []).map((o) => o.Key) };
  } catch (e) {
    return failure(e);
  }
}

// --- Amplify v6 Storage.
async function storage(operation, { path, accessLevel, targetIdentityId, text } = {}) {
  const options = { accessLevel, targetIdentityId, customEndpoint: settings().customEndpoint };
  try {
    if (operation === 'uploadData') {
      const r = await uploadData({ key: path, data: text, options: { ...options, contentType: 'text/plain' } }).result;
      return { ok: true, key: r.key, eTag: r.eTag ?? null };
    }
    if (operation === 'list') {
      const r = await list({ prefix: path ?? '', options: { ...options, listAll: true } });
      return { ok: true, keys: r.items.map((i) => i.key) };
    }
    if (operation === 'getUrl') {
      const r = await getUrl({ key: path, options: { ...options, validateObjectExistence: true, expiresIn: 300 } });
      const fetched = await fetch(r.url);
      return { ok: true, url: r.url.toString(), status: fetched.status, text: await fetched.text() };
    }
    if (operation === 'downloadData') {
      const r = await downloadData({ key: path, options }).result;
      return { ok: true, text: await r.body.text(), eTag: r.eTag ?? null };
    }
    if (operation === 'remove') {
      const r = await remove({ key: path, options });
      return { ok: true, key: r.key };
    }
    throw new Error(`unknown operation ${operation}`);
  } catch (e) {
    return failure(e);
  }
}

window.app = {
  configure(amplify, app) { localStorage.setItem(key, JSON.stringify({ amplify, app })); Amplify.configure(amplify); },
  signInWithRedirect: () => signInWithRedirect(),
  async identityId() { return (await fetchAuthSession()).identityId ?? null; },
  sampleSignIn,
  sampleCall,
  storage,
};
window.ready = true;

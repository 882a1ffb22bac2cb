// A small app on Amplify v6, bundled with esbuild and served from another origin than Portal's (browser.test.js).
// Its configuration is kept in localStorage, so that it survives the redirects of signInWithRedirect and signOut.
import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import {
  confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signInWithRedirect, signOut, signUp,
} from 'aws-amplify/auth';
import 'aws-amplify/auth/enable-oauth-listener';
import { SignatureV4 } from '@smithy/signature-v4';
import sha256js from '@aws-crypto/sha256-js';

const out = document.getElementById('out');
const show = (text) => { out.textContent = text; };
window.authEvents = [];
Hub.listen('auth', ({ payload }) => {
  window.authEvents.push(payload.event);
  if (payload.event === 'signInWithRedirect') getCurrentUser().then((u) => show(`signed in as ${u.username}`));
  if (payload.event === 'signInWithRedirect_failure') show(`sign-in failed: ${payload.data?.error?.message}`);
});

const key = 'portal-test-amplify';
const stored = JSON.parse(localStorage.getItem(key) ?? 'null');
if (stored) Amplify.configure(stored);

const tokens = async (forceRefresh = false) => {
  const { tokens: t } = await fetchAuthSession({ forceRefresh });
  return t ? { accessToken: t.accessToken.toString(), idToken: t.idToken?.toString() } : null;
};

/** The identity pool's side of the session: the identity and the AWS credentials Amplify got for it. */
const identityPool = async () => {
  const { identityId, credentials: c } = await fetchAuthSession();
  return { identityId: identityId ?? null, credentials: c ? { ...c, expiration: c.expiration?.toISOString() } : null };
};

/** STS GetCallerIdentity signed with the session's credentials, from this page, as the app's next AWS call would be. */
async function callerIdentity(endpoint) {
  const { credentials } = await fetchAuthSession();
  const url = new URL(endpoint);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials, sha256: sha256js.Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  // The browser sets Host itself (the same value that was signed).
  const { host, ...headers } = signed.headers;
  const answer = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  return { status: answer.status, text: await answer.text() };
}

window.app = {
  configure(config) { localStorage.setItem(key, JSON.stringify(config)); Amplify.configure(config); },
  async signUp(email, password) {
    const r = await signUp({ username: email, password, options: { userAttributes: { email } } });
    show(`next step: ${r.nextStep.signUpStep}`);
  },
  async confirmSignUp(email, code) {
    const r = await confirmSignUp({ username: email, confirmationCode: code });
    show(r.isSignUpComplete ? 'sign-up complete' : `next step: ${r.nextStep.signUpStep}`);
  },
  async signIn(email, password) {
    const r = await signIn({ username: email, password, options: { authFlowType: 'USER_SRP_AUTH' } });
    if (!r.isSignedIn) { show(`next step: ${r.nextStep.signInStep}`); return; }
    const attributes = await fetchUserAttributes();
    show(`signed in as ${attributes.email}`);
  },
  tokens,
  identityPool,
  callerIdentity,
  refreshTokenStored() {
    return Object.entries(localStorage).find(([k]) => k.endsWith('.refreshToken'))?.[1] ?? null;
  },
  signInWithRedirect: () => signInWithRedirect(),
  async signOut() { await signOut(); show('signed out'); },
};
window.ready = true;

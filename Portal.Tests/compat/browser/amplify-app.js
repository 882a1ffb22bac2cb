// A small app on Amplify v6, bundled with esbuild and served from another origin than Portal's (browser.test.js).
// Its configuration is kept in localStorage, so that it survives the redirects of signInWithRedirect and signOut.
import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import {
  confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signInWithRedirect, signOut, signUp,
} from 'aws-amplify/auth';
import 'aws-amplify/auth/enable-oauth-listener';

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
  refreshTokenStored() {
    return Object.entries(localStorage).find(([k]) => k.endsWith('.refreshToken'))?.[1] ?? null;
  },
  signInWithRedirect: () => signInWithRedirect(),
  async signOut() { await signOut(); show('signed out'); },
};
window.ready = true;

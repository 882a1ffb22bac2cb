// A single-page app doing code + PKCE itself with oidc-client-ts (the set-up Cognito's console suggests for React),
// bundled with esbuild and served from another origin than Portal's (browser.test.js).
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

const out = document.getElementById('out');
const key = 'portal-test-oidc';
const settings = JSON.parse(localStorage.getItem(key) ?? 'null');
const manager = settings && new UserManager({ ...settings, loadUserInfo: true, userStore: new WebStorageStateStore({ store: localStorage }) });

window.oidc = {
  configure(s) { localStorage.setItem(key, JSON.stringify(s)); },
  signIn: () => manager.signinRedirect(),
};
if (manager && new URLSearchParams(location.search).has('code')) {
  manager.signinRedirectCallback().then(
    (user) => { out.textContent = `signed in as ${user.profile.email} (${user.profile['cognito:username']})`; window.user = user; },
    (e) => { out.textContent = `sign-in failed: ${e.message}`; });
}
window.ready = true;

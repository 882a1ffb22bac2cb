// Passkeys on the hosted UI in chromium (playwright-core, /usr/bin/chromium) with the DevTools WebAuthn domain's virtual
// authenticator: a user signs in with the password and adds a passkey, signs out, signs in with the passkey and no
// password (as the pool's MFA, MULTI_FACTOR_WITH_USER_VERIFICATION), and a passkey the pool never registered is
// refused; the pages pass axe under the hosted UI's strict CSP (passkey.js is a file). Portal is reached at
// http://localhost:{port} (test.sh binds it on both loopbacks), a secure context with the relying party id "localhost".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import {
  AdminSetUserMFAPreferenceCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, endpoint, password, unique, user } from './portal.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const screenshots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'screenshots');
const portal = endpoint.replace('127.0.0.1', 'localhost');
let browser, app, callback;
before(async () => {
  // The app the hosted UI sends the user back to.
  app = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!DOCTYPE html><title>app</title>'); });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  callback = `http://localhost:${app.address().port}/callback`;
  browser = await chromium.launch({ executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => { await browser?.close(); app?.close(); });

async function axe(page) {
  // Evaluated through DevTools, which the page's CSP does not govern; the page itself runs only its own files.
  await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] }));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
}

/** Follows the hosted UI to the app's callback and returns its URL. */
async function toCallback(page, act) {
  // The app's page loaded, not only asked for: a navigation still under way would cut the test's next one short.
  const [frame] = await Promise.all([
    page.waitForEvent('framenavigated', (f) => f === page.mainFrame() && f.url().startsWith(callback)), act()]);
  await page.waitForLoadState('load');
  return new URL(frame.url());
}

test('hosted UI passkeys in chromium: add a passkey, sign out, sign in with it and no password as the MFA factor; an unregistered passkey is refused; axe clean', async () => {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('passkeys-ui'), UserPoolTier: 'ESSENTIALS',
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
  }));
  const UserPoolId = UserPool.Id;
  await admin.send(new SetUserPoolMfaConfigCommand({
    UserPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
  }));
  const domain = unique('pk').toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain: domain }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], SupportedIdentityProviders: ['COGNITO'],
    CallbackURLs: [callback], LogoutURLs: [callback],
  }));
  const Username = unique('pk-user');
  await user(UserPoolId, Username);
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const query = `client_id=${UserPoolClient.ClientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}`
    + `&code_challenge=${challenge}&code_challenge_method=S256`;

  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  try {
    // Sign in with the password, then add a passkey.
    await page.goto(`${portal}/${domain}/login?${query}`);
    assert.equal(new URL(page.url()).pathname, `/${domain}/login`, page.url());
    // The passkey button, and the username field open to the browser's passkey autofill.
    await page.locator('button:has-text("Sign in with a passkey")').waitFor();
    assert.equal(await page.getAttribute('input[name=username]', 'autocomplete'), 'username webauthn');
    await axe(page);
    await page.screenshot({ path: join(screenshots, 'hosted-login-passkey.png'), fullPage: true });
    await page.fill('input[name=username]', Username);
    await page.fill('input[name=password]', password);
    const first = await toCallback(page, () => page.click('button.submitButton-customizable'));
    assert.ok(first.searchParams.get('code'));

    await page.goto(`${portal}/${domain}/passkeys/add?${query}`);
    assert.equal(await page.textContent('h1'), 'Add a passkey');
    await axe(page);
    await Promise.all([page.waitForURL(`${portal}/${domain}/passkeys/add?**`), page.click('button:has-text("Add a passkey")')]);
    await page.waitForSelector('text=Your passkey was added.');
    assert.match(await page.textContent('.passkey-count'), /: 1$/);
    await page.screenshot({ path: join(screenshots, 'hosted-passkey-added.png'), fullPage: true });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, 'localhost');

    // The passkey now counts as the user's MFA: the pool requires MFA, which a password alone would not pass.
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId, Username, WebAuthnMfaSettings: { Enabled: true } }));

    // Sign out, then sign in with the passkey and no password: the login page asks the browser for a passkey (its
    // conditional UI, which the virtual authenticator answers at once) and the user is back at the app, MFA included.
    await toCallback(page, () => page.goto(`${portal}/${domain}/logout?client_id=${UserPoolClient.ClientId}&logout_uri=${encodeURIComponent(callback)}`));
    const signedIn = await toCallback(page, () => page.goto(`${portal}/${domain}/login?${query}`));
    assert.ok(signedIn.searchParams.get('code'), 'the passkey signed the user in, MFA included');

    // Another authenticator with a passkey for the same relying party that the pool never registered: refused.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    const { authenticatorId: other } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId: other,
      credential: {
        credentialId: randomBytes(32).toString('base64'), isResidentCredential: true, rpId: 'localhost', signCount: 0,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'), userHandle: Buffer.from('stranger').toString('base64'),
      },
    });
    await toCallback(page, () => page.goto(`${portal}/${domain}/logout?client_id=${UserPoolClient.ClientId}&logout_uri=${encodeURIComponent(callback)}`));
    await page.goto(`${portal}/${domain}/login?${query}`);
    await page.waitForSelector('#form-error');
    assert.equal(new URL(page.url()).pathname, `/${domain}/passkey`);
    // The page says so and offers the button and the password; it does not ask the browser again by itself.
    await page.locator('button:has-text("Sign in with a passkey")').waitFor();
    assert.equal((await page.textContent('#form-error')).trim(), 'That passkey could not sign you in. Try again, or sign in with your password.');
    await axe(page);
  } finally {
    await context.close();
  }
});

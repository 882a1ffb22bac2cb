// Amplify (user pools and identity pools), oidc-client-ts and aws-jwt-verify as apps use them, against Portal over HTTPS with its development
// certificate: pages bundled with esbuild, served from another origin than Portal's, driven in chromium
// (playwright-core, /usr/bin/chromium); the hosted UI reached host-based at https://{domain}.localhost:{port}.
// test.sh starts Portal with an HTTPS listener (PORTAL_HTTPS_ENDPOINT) and gives the tests its development CA
// (PORTAL_DEV_CA, also NODE_EXTRA_CA_CERTS). Chromium trusts only the server key this CA vouches for: its SPKI hash,
// read over a TLS connection Node verified against the CA, goes to --ignore-certificate-errors-spki-list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:tls';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { admin, anonymous, claims, endpoint, password, unique, user } from './portal.js';
import { identity, identityPool } from './identity-kit.js';
import { catchMail } from './mail.js';

const { codeFor } = catchMail();
const here = dirname(fileURLToPath(import.meta.url));
const httpsEndpoint = process.env.PORTAL_HTTPS_ENDPOINT;
const caPath = process.env.PORTAL_DEV_CA;
const screenshots = join(here, '..', '..', '..', 'artifacts', 'screenshots');

let browser, app, appOrigin, httpsPort, spki;

/** The pages: each a bundle of its script (esbuild) and a page that loads it. */
async function bundle(entry) {
  const built = await esbuild.build({
    entryPoints: [join(here, '..', 'browser', entry)], bundle: true, write: false, format: 'iife', platform: 'browser',
    target: 'chrome120', minify: true, logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  return built.outputFiles[0].text;
}

/** The server key's SPKI hash, from a TLS connection whose chain Node checked against the development CA. */
function pinnedKey(host, port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: host, ca: readFileSync(caPath), rejectUnauthorized: true }, () => {
      const leaf = new X509Certificate(socket.getPeerCertificate().raw);
      socket.end();
      resolve(createHash('sha256').update(leaf.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
    });
    socket.once('error', reject);
  });
}

before(async () => {
  assert.ok(httpsEndpoint && caPath, 'PORTAL_HTTPS_ENDPOINT and PORTAL_DEV_CA must name Portal\'s HTTPS listener and its development CA (test.sh sets them)');
  httpsPort = Number(new URL(httpsEndpoint).port);
  spki = await pinnedKey('localhost', httpsPort);
  // Every pool domain's certificate carries the same key, and chains to the same CA.
  assert.equal(await pinnedKey('browser-check.localhost', httpsPort), spki);

  const files = {
    '/amplify.js': ['text/javascript', await bundle('amplify-app.js')],
    '/oidc.js': ['text/javascript', await bundle('oidc-app.js')],
    '/amplify.html': ['text/html', '<!doctype html><title>Amplify app</title><pre id="out"></pre><script src="/amplify.js"></script>'],
    '/oidc.html': ['text/html', '<!doctype html><title>OIDC app</title><pre id="out"></pre><script src="/oidc.js"></script>'],
  };
  app = createServer((req, res) => {
    const [type, body] = files[new URL(req.url, 'http://x').pathname] ?? [];
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${app.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', `--ignore-certificate-errors-spki-list=${spki}`],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
});

/** A pool with a hosted-UI domain and a public web client whose callback and sign-out URL are the app's page. */
async function webApp(page, { email = false } = {}) {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({
    PoolName: unique('browser'), AutoVerifiedAttributes: ['email'], ...(email ? { UsernameAttributes: ['email'] } : {}),
  }));
  const domain = unique('web').toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: UserPool.Id, Domain: domain }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'spa',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: ['COGNITO'],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    CallbackURLs: [`${appOrigin}/${page}`], LogoutURLs: [`${appOrigin}/${page}`],
  }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, domain, hostBased: `https://${domain}.localhost:${httpsPort}` };
}

async function openPage(context, path) {
  const page = await context.newPage();
  await page.goto(appOrigin + path);
  await page.waitForFunction(() => window.ready === true);
  return page;
}

test('Amplify bundled into a page on another origin: sign-up with the mailed code, SRP sign-in, refresh, sign-out', async () => {
  const { poolId, clientId } = await webApp('amplify.html', { email: true });
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/amplify.html');
    await page.evaluate((config) => window.app.configure(config),
      { Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: httpsEndpoint } } });
    const email = `${unique('page')}@example.com`;
    await page.evaluate(([e, p]) => window.app.signUp(e, p), [email, password]);
    assert.equal(await page.textContent('#out'), 'next step: CONFIRM_SIGN_UP');
    const code = await codeFor(email);
    await page.evaluate(([e, c]) => window.app.confirmSignUp(e, c), [email, code]);
    assert.equal(await page.textContent('#out'), 'sign-up complete');

    await page.evaluate(([e, p]) => window.app.signIn(e, p), [email, password]);
    assert.equal(await page.textContent('#out'), `signed in as ${email}`);
    const first = await page.evaluate(() => window.app.tokens());
    const id = claims(first.idToken);
    assert.equal(id.email, email);
    assert.equal(id.aud, clientId);
    assert.equal(id.iss, `${endpoint}/${poolId}`);
    assert.equal(claims(first.accessToken).token_use, 'access');
    assert.equal(claims(first.accessToken).client_id, clientId);

    const refreshed = await page.evaluate(() => window.app.tokens(true));
    assert.notEqual(refreshed.accessToken, first.accessToken);
    assert.equal(claims(refreshed.accessToken).sub, claims(first.accessToken).sub);
    // The same sign-in (token family) continues.
    assert.ok(claims(first.accessToken).origin_jti);
    assert.equal(claims(refreshed.accessToken).origin_jti, claims(first.accessToken).origin_jti);

    const refreshToken = await page.evaluate(() => window.app.refreshTokenStored());
    assert.ok(refreshToken);
    await page.evaluate(() => window.app.signOut());
    assert.equal(await page.textContent('#out'), 'signed out');
    assert.equal(await page.evaluate(() => window.app.tokens()), null);
    // Amplify revoked the refresh token on its way out.
    await assert.rejects(anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken })),
      { name: 'NotAuthorizedException' });
  } finally {
    await context.close();
  }
});

test('Amplify fetchAuthSession with an identity pool from the page: signed in (Logins keyed by the issuer), credentials that sign a call back to Portal', async () => {
  const { poolId, clientId } = await webApp('amplify.html', { email: true });
  const ids = await identityPool({ UserPoolId: poolId, ClientId: clientId });
  const email = `${unique('ids')}@example.com`;
  await user(poolId, email, { attributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] });
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/amplify.html');
    // Every request the page makes to Portal, to see which login key Amplify sent.
    const sent = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().startsWith(httpsEndpoint)) sent.push({ target: r.headers()['x-amz-target'], body: r.postData() }); });
    await page.evaluate((config) => window.app.configure(config), { Auth: { Cognito: {
      userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: httpsEndpoint,
      identityPoolId: ids.IdentityPoolId, identityPoolEndpoint: httpsEndpoint, allowGuestAccess: true,
    } } });
    await page.evaluate(([e, p]) => window.app.signIn(e, p), [email, password]);
    assert.equal(await page.textContent('#out'), `signed in as ${email}`);

    const session = await page.evaluate(() => window.app.identityPool());
    assert.match(session.identityId, /^us-east-1:[0-9a-f-]{36}$/);
    assert.match(session.credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(session.credentials.secretAccessKey && session.credentials.sessionToken);
    assert.ok(Date.parse(session.credentials.expiration) > Date.now() + 50 * 60_000, session.credentials.expiration);
    // Amplify keyed Logins by the ID token's issuer without its scheme, and Portal took it for its user pool.
    const getId = sent.find((r) => r.target === 'AWSCognitoIdentityService.GetId');
    assert.deepEqual(Object.keys(JSON.parse(getId.body).Logins), [`${new URL(endpoint).host}/${poolId}`]);
    const described = await identity.send(new DescribeIdentityCommand({ IdentityId: session.identityId }));
    assert.deepEqual(described.Logins, [`cognito-idp.us-east-1.amazonaws.com/${poolId}`]);

    // The credentials sign a request from the page, across origins, and Portal's STS names the assumed role.
    const caller = await page.evaluate((e) => window.app.callerIdentity(e), httpsEndpoint);
    assert.equal(caller.status, 200, caller.text);
    assert.match(caller.text, new RegExp(`<Arn>arn:aws:sts::000000000000:assumed-role/${ids.authenticated.RoleName}/CognitoIdentityCredentials</Arn>`));

    // Signed out, the same page is a guest: a new identity, the guest role.
    await page.evaluate(() => window.app.signOut());
    const guest = await page.evaluate(() => window.app.identityPool());
    assert.match(guest.identityId, /^us-east-1:[0-9a-f-]{36}$/);
    assert.notEqual(guest.identityId, session.identityId);
    const guestCaller = await page.evaluate((e) => window.app.callerIdentity(e), httpsEndpoint);
    assert.match(guestCaller.text, new RegExp(`assumed-role/${ids.guest.RoleName}/CognitoIdentityCredentials`));
  } finally {
    await context.close();
  }
});

test('Amplify fetchAuthSession as a guest (allowGuestAccess) from a page that never signs in: an identity without logins and the guest role', async () => {
  const ids = await identityPool(null);
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/amplify.html');
    await page.evaluate((config) => window.app.configure(config), { Auth: { Cognito: {
      identityPoolId: ids.IdentityPoolId, identityPoolEndpoint: httpsEndpoint, allowGuestAccess: true,
    } } });
    const session = await page.evaluate(() => window.app.identityPool());
    assert.match(session.identityId, /^us-east-1:[0-9a-f-]{36}$/);
    assert.match(session.credentials.accessKeyId, /^ASIA/);
    const described = await identity.send(new DescribeIdentityCommand({ IdentityId: session.identityId }));
    assert.deepEqual(described.Logins ?? [], []);
    // Amplify keeps the guest's identity: a second session is the same identity.
    assert.equal((await page.evaluate(() => window.app.identityPool())).identityId, session.identityId);
    const caller = await page.evaluate((e) => window.app.callerIdentity(e), httpsEndpoint);
    assert.equal(caller.status, 200, caller.text);
    assert.match(caller.text, new RegExp(`<Arn>arn:aws:sts::000000000000:assumed-role/${ids.guest.RoleName}/CognitoIdentityCredentials</Arn>`));
  } finally {
    await context.close();
  }
});

test('Amplify signInWithRedirect through the hosted UI at https://{domain}.localhost: login, callback, tokens, signOut via /logout', async () => {
  const { poolId, clientId, domain, hostBased } = await webApp('amplify.html');
  const username = unique('redirect');
  await user(poolId, username, { attributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }] });
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/amplify.html');
    await page.evaluate((config) => window.app.configure(config), {
      Auth: { Cognito: {
        userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: httpsEndpoint,
        loginWith: { oauth: {
          domain: `${domain}.localhost:${httpsPort}`, scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
          redirectSignIn: [`${appOrigin}/amplify.html`], redirectSignOut: [`${appOrigin}/amplify.html`], responseType: 'code',
        } },
      } },
    });
    await Promise.all([page.waitForURL(`${hostBased}/login?**`), page.evaluate(() => { window.app.signInWithRedirect(); })]);
    // The login page is served host-based: its form posts to the same origin, without the domain in the path.
    assert.match(await page.getAttribute('form:has(input[name=password])', 'action'), /^\/login\?/);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'hosted-login-https-host-based.png'), fullPage: true });
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${appOrigin}/amplify.html**`), page.click('form:has(input[name=password]) button[type=submit]')]);
    await page.waitForFunction(() => window.authEvents.includes('signInWithRedirect'));
    assert.equal(await page.textContent('#out'), `signed in as ${username}`);
    const tokens = await page.evaluate(() => window.app.tokens());
    assert.equal(claims(tokens.idToken)['cognito:username'], username);
    assert.equal(claims(tokens.idToken).iss, `${endpoint}/${poolId}`);
    assert.match(claims(tokens.accessToken).scope, /aws\.cognito\.signin\.user\.admin/);

    // The single sign-on cookie lives on the host-based origin.
    const sso = (await context.cookies(hostBased)).filter((c) => c.domain === `${domain}.localhost`);
    assert.ok(sso.some((c) => c.path === '/' && c.httpOnly && c.secure), JSON.stringify(sso));

    const logout = page.waitForRequest((r) => r.url().startsWith(`${hostBased}/logout?`));
    await page.evaluate(() => window.app.signOut()).catch(() => {});
    const url = new URL((await logout).url());
    assert.equal(url.searchParams.get('client_id'), clientId);
    assert.equal(url.searchParams.get('logout_uri'), `${appOrigin}/amplify.html`);
    await page.waitForURL(`${appOrigin}/amplify.html`);
    await page.waitForFunction(() => window.ready === true);
    assert.equal(await page.evaluate(() => window.app.tokens()), null);
    // /logout ended the hosted UI's session: signing in again asks for the password.
    await Promise.all([page.waitForURL(`${hostBased}/login?**`), page.evaluate(() => { window.app.signInWithRedirect(); })]);
    assert.ok(await page.isVisible('input[name=password]'));
  } finally {
    await context.close();
  }
});

test('oidc-client-ts on another origin: code + PKCE through the hosted UI, then userInfo', async () => {
  const { poolId, clientId } = await webApp('oidc.html');
  const email = `${unique('oidc')}@example.com`;
  const username = unique('spa');
  await user(poolId, username, { attributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] });
  const context = await browser.newContext();
  try {
    const page = await openPage(context, '/oidc.html');
    await page.evaluate((s) => window.oidc.configure(s), {
      authority: `${endpoint}/${poolId}`, client_id: clientId, redirect_uri: `${appOrigin}/oidc.html`, response_type: 'code',
      scope: 'openid email profile',
    });
    await page.reload();
    await page.waitForFunction(() => window.ready === true);
    await Promise.all([page.waitForURL(/\/login\?/), page.evaluate(() => { window.oidc.signIn(); })]);
    const authorize = new URL(page.url());
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    const userInfo = page.waitForResponse((r) => /\/oauth2\/userInfo$/.test(r.url()) && r.request().method() === 'GET');
    await Promise.all([page.waitForURL(`${appOrigin}/oidc.html?**`), page.click('form:has(input[name=password]) button[type=submit]')]);
    const answer = await userInfo;
    assert.equal(answer.status(), 200);
    assert.equal((await answer.json()).email, email);
    await page.waitForFunction(() => document.getElementById('out').textContent.length > 0);
    assert.equal(await page.textContent('#out'), `signed in as ${email} (${username})`);
  } finally {
    await context.close();
  }
});

test('aws-jwt-verify JwtRsaVerifier checks a Portal access token with the JWKS over https', async () => {
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: unique('verify') }));
  const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'backend', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  const username = unique('api');
  await user(UserPool.Id, username);
  const { AuthenticationResult } = await anonymous.send(new InitiateAuthCommand({
    ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  const verifier = JwtRsaVerifier.create({
    issuer: `${endpoint}/${UserPool.Id}`, audience: null, jwksUri: `${httpsEndpoint}/${UserPool.Id}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => assert.equal(payload.client_id, UserPoolClient.ClientId),
  });
  const payload = await verifier.verify(AuthenticationResult.AccessToken);
  assert.equal(payload.token_use, 'access');
  assert.equal(payload.username, username);
  // A token changed after signing is refused.
  const [header, , signature] = AuthenticationResult.AccessToken.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims(AuthenticationResult.AccessToken), username: 'someone-else' })).toString('base64url');
  await assert.rejects(verifier.verify(`${header}.${forged}.${signature}`), /signature/i);
  // The library fetches a JWKS only over https: Portal's http one is refused, which is why the HTTPS listener matters.
  const overHttp = JwtRsaVerifier.create({ issuer: `${endpoint}/${UserPool.Id}`, audience: null, jwksUri: `${endpoint}/${UserPool.Id}/.well-known/jwks.json` });
  await assert.rejects(overHttp.verify(AuthenticationResult.AccessToken));
});

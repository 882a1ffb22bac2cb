// Signs a user in once, without the form: a minted session's SSO cookie in the browser's storage state. Tests that
// `test.use({ storageState: signedIn })` start signed in at the hosted UI (and can use the tokens for API calls).
import { test as setup, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clonePool, seedUsers, mintSession, template, signedIn } from '../fixtures/portal';

setup('sign in once through a minted session', async () => {
  const t = template();
  const pool = await clonePool(t.UserPoolId, { TtlSeconds: 3600, DomainSuffix: `setup-${Math.random().toString(36).slice(2, 8)}` });
  const email = 'signed-in@example.com';
  await seedUsers(pool.UserPoolId, [{ Username: email, Password: 'Signed-in-Passw0rd', Attributes: { email, email_verified: 'true' } }]);
  const { AuthenticationResult, SsoCookie } = await mintSession(pool.UserPoolId, email, pool.Clients[0].ClientId);
  expect(AuthenticationResult.IdToken).toBeTruthy();
  expect(SsoCookie).not.toBeNull();
  mkdirSync(path.dirname(signedIn), { recursive: true });
  writeFileSync(signedIn, JSON.stringify({
    cookies: [{ name: SsoCookie!.Name, value: SsoCookie!.Value, domain: SsoCookie!.Domain, path: SsoCookie!.Path,
      expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }],
    origins: [],
    // Not part of Playwright's format: what the signed-in tests need to know about their pool.
    portal: { UserPoolId: pool.UserPoolId, ClientId: pool.Clients[0].ClientId, Domain: pool.Domain, Email: email, Tokens: AuthenticationResult },
  }, null, 2));
});

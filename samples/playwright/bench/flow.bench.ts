// The benchmark's suite (Portal.Tests/bench/testing.sh runs it per mode; not part of the kit's suite): BENCH_TESTS tests
// (default 50) of the same flow, as a 50-test suite is, so they share the worker, its browser and its cloned pool.
// Not `--repeat-each 50`: Playwright gives every repetition its own worker process, so each test would pay a new Node
// worker, a new chromium, a new clone of the template and that pool's first signing key.
// BENCH_MODE=ui: sign up on the hosted page, confirm with the mailed code, sign in with the password.
// BENCH_MODE=mint: seed the user and mint a session, then open the hosted UI signed in (no form, no confirmation).
import { test, expect, authorizeUrl, waitForCode, seedUsers, mintSession, uniqueEmail, portalUrl } from '../fixtures/portal';

const tests = Number(process.env.BENCH_TESTS ?? 50);
for (let i = 1; i <= tests; i++) test(`sign-up, confirm, sign-in #${i}`, async ({ page, pool }) => {
  const email = uniqueEmail('bench');
  if (process.env.BENCH_MODE === 'mint') {
    await seedUsers(pool.poolId, [{ Username: email, Password: 'Bench-Passw0rd', Attributes: { email, email_verified: 'true' } }]);
    const { SsoCookie } = await mintSession(pool.poolId, email, pool.clientId);
    await page.context().addCookies([{ name: SsoCookie!.Name, value: SsoCookie!.Value, url: `${portalUrl()}${SsoCookie!.Path}` }]);
    await page.goto(authorizeUrl(pool));
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    return;
  }
  const since = new Date();
  await page.goto(authorizeUrl(pool));
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('Bench-Passw0rd');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const code = await waitForCode(email, { pool: pool.poolId, kind: 'sign-up', since });
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.getByLabel('Password', { exact: true }).fill('Bench-Passw0rd');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
});

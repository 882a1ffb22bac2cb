import { test, expect, authorizeUrl, seedUsers, waitForCode, uniqueEmail } from '../fixtures/portal';

test('forgot password: the emailed code sets a new password, and the user signs in with it', async ({ page, pool }) => {
  const email = uniqueEmail('forgot');
  await seedUsers(pool.poolId, [{ Username: email, Password: 'Old-Passw0rd', Attributes: { email, email_verified: 'true' } }]);
  await page.goto(authorizeUrl(pool));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();

  const since = new Date();
  await page.getByLabel('Username or email').fill(email);
  await page.getByRole('button', { name: 'Reset my password' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();

  const code = await waitForCode(email, { pool: pool.poolId, kind: 'forgot-password', since });
  await page.getByLabel('Verification code').fill(code);
  await page.getByLabel('New password', { exact: true }).fill('New-Passw0rd');
  await page.getByLabel('Enter the new password again').fill('New-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();

  await expect(page.getByText('Your password was changed. Sign in with your new password.')).toBeVisible();
  await page.getByLabel('Username or email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('New-Passw0rd');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
});

import { test, expect, authorizeUrl, waitForCode, redeem, claims, uniqueEmail } from '../fixtures/portal';

test('a new user signs up on the hosted page, confirms with the emailed code and signs in', async ({ page, pool }) => {
  const email = uniqueEmail('signup');
  const since = new Date();
  await page.goto(authorizeUrl(pool));
  await page.getByRole('link', { name: 'Sign up' }).click();

  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('Sign-up-Passw0rd');
  await page.getByRole('button', { name: 'Sign up' }).click();

  await expect(page.getByRole('heading', { name: 'We sent a code' })).toBeVisible();
  const code = await waitForCode(email, { pool: pool.poolId, kind: 'sign-up', since });
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Confirm account' }).click();

  await expect(page.getByText('Your account is confirmed. Sign in to continue.')).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('Sign-up-Passw0rd');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const tokens = await redeem(pool, await page.locator('#code').innerText());
  expect(claims(tokens.id_token)).toMatchObject({ email, email_verified: true, token_use: 'id' });
});

test('a wrong code is refused with a sentence, and the right one still confirms', async ({ page, pool }) => {
  const email = uniqueEmail('wrongcode');
  const since = new Date();
  await page.goto(authorizeUrl(pool));
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('Sign-up-Passw0rd');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const code = await waitForCode(email, { pool: pool.poolId, kind: 'sign-up', since });

  await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await expect(page.getByText('Invalid verification code provided, please try again.')).toBeVisible();
  await expect(page.getByLabel('Verification code')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await expect(page.getByText('Your account is confirmed. Sign in to continue.')).toBeVisible();
});

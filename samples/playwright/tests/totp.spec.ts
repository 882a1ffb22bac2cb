import { TOTP, Secret } from 'otpauth';
import {
  CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { test, expect, authorizeUrl, seedUsers, redeem, claims, uniqueEmail, portalUrl } from '../fixtures/portal';

// The codes an authenticator app would show, computed from the key the setup page shows.
const totp = (key: string) => new TOTP({ secret: Secret.fromBase32(key.replace(/\s/g, '')), digits: 6, period: 30 });

test('required MFA: the user adds an authenticator from the setup page, then signs in with its codes', async ({ page, pool }) => {
  // This worker's pool requires MFA from now on (the reset after each test keeps configuration, so turn it back).
  const cognito = new CognitoIdentityProviderClient({
    endpoint: portalUrl(), region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAPLAYWRIGHTKIT001', secretAccessKey: 'playwright/starter/kit/secret/key/000000' },
  });
  const mfa = (mode: 'ON' | 'OPTIONAL') => cognito.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.poolId, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  await mfa('ON');
  try {
    const email = uniqueEmail('totp');
    await seedUsers(pool.poolId, [{ Username: email, Password: 'Totp-Passw0rd', Attributes: { email, email_verified: 'true' } }]);
    await page.goto(authorizeUrl(pool));
    await page.getByLabel('Username or email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Totp-Passw0rd');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
    const key = await page.getByTestId('mfa-secret').innerText();
    const authenticator = totp(key);
    await page.getByLabel('Verification code').fill(authenticator.generate());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();

    // Next time: password, then the authenticator's code. A code is single use, so wait for the next period's.
    await page.context().clearCookies();
    await page.goto(authorizeUrl(pool));
    await page.getByLabel('Username or email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Totp-Passw0rd');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
    await page.getByLabel('Verification code').fill(authenticator.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const tokens = await redeem(pool, await page.locator('#code').innerText());
    expect(claims(tokens.id_token).email).toBe(email);
  } finally {
    await mfa('OPTIONAL');
  }
});

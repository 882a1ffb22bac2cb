import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { test, expect, authorizeUrl, redeem, claims, portal, uniqueEmail, portalUrl } from '../fixtures/portal';

// Federated sign-in without a real identity provider: Portal's built-in test IdP (testing mode only) is added to the
// worker's pool as an OIDC provider; its page lets the test sign in as any email.
test('a new email signs in through the test IdP and becomes a federated user of the pool', async ({ page, pool }) => {
  await portal.addTestIdp(pool.poolId, pool.clientId);
  const email = uniqueEmail('federated');
  await page.goto(authorizeUrl(pool));

  await page.getByRole('link', { name: 'Continue with TestIdP' }).click();
  await expect(page.getByRole('heading', { name: 'Portal test IdP' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill('Fed Tester');
  await page.getByRole('button', { name: 'Sign in as this user' }).click();

  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const tokens = await redeem(pool, await page.locator('#code').innerText());
  const id = claims(tokens.id_token);
  expect(id).toMatchObject({ email, token_use: 'id' });
  expect(id['cognito:username']).toMatch(/^TestIdP_/);
  expect(id.identities).toContainEqual(expect.objectContaining({ providerName: 'TestIdP', providerType: 'OIDC' }));

  // The user exists in the pool as a federated user, the IdP's email mapped to the email attribute.
  const cognito = new CognitoIdentityProviderClient({
    endpoint: portalUrl(), region: 'us-east-1',
    credentials: {
      accessKeyId: process.env.PORTAL_ACCESS_KEY_ID ?? 'AKIAPLAYWRIGHTKIT001',
      secretAccessKey: process.env.PORTAL_SECRET_ACCESS_KEY ?? 'playwright/starter/kit/secret/key/000000',
    },
  });
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: id['cognito:username'] }));
  expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
  expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: email });
  expect(user.UserAttributes).toContainEqual({ Name: 'name', Value: 'Fed Tester' });
});

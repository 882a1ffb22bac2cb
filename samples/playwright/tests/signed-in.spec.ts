import { readFileSync } from 'node:fs';
import { test, expect, authorizeUrl, redeem, claims, signedIn } from '../fixtures/portal';

// Every test here starts with the hosted UI's session of auth.setup.ts: no form, no password, no hash.
test.use({ storageState: signedIn });
const state = () => JSON.parse(readFileSync(signedIn, 'utf8')).portal;

test('a signed-in browser goes straight through the hosted UI back to the app', async ({ page }) => {
  const s = state();
  const pool = { domain: s.Domain, clientId: s.ClientId };
  await page.goto(authorizeUrl(pool));
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const tokens = await redeem(pool, await page.locator('#code').innerText());
  expect(claims(tokens.id_token).email).toBe(s.Email);
});

test('the minted tokens are the ones a sign-in issues: GetUser accepts the access token', async ({ request }) => {
  const s = state();
  // An API sign-in's access token carries aws.cognito.signin.user.admin (not openid, which /oauth2/userInfo needs, as
  // in Cognito): it is the user's key to the user-pool API, here GetUser.
  const response = await request.post('/', {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
    data: JSON.stringify({ AccessToken: s.Tokens.AccessToken }),
  });
  expect(response.status()).toBe(200);
  const user = await response.json();
  expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: s.Email });
  expect(claims(s.Tokens.AccessToken)).toMatchObject({ token_use: 'access', scope: 'aws.cognito.signin.user.admin' });
  expect(claims(s.Tokens.IdToken)).toMatchObject({ email: s.Email, token_use: 'id', 'cognito:username': expect.any(String) });
});

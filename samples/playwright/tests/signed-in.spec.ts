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

test('the minted tokens are the ones a sign-in issues: the pool\'s userInfo accepts the access token', async ({ request }) => {
  const s = state();
  const response = await request.get(`/${s.Domain}/oauth2/userInfo`, { headers: { authorization: `Bearer ${s.Tokens.AccessToken}` } });
  expect(response.status()).toBe(200);
  expect((await response.json()).email).toBe(s.Email);
  expect(claims(s.Tokens.IdToken)).toMatchObject({ email: s.Email, token_use: 'id', 'cognito:username': expect.any(String) });
});

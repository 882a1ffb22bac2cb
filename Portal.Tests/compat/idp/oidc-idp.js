// A real OpenID provider (npm oidc-provider) for Portal's federation tests.
// node idp/oidc-idp.js --port 4100 --client-id portal --client-secret s3cret --redirect-uri http://127.0.0.1:5000/oauth2/idpresponse
// Any login name signs in (devInteractions): the account's sub is the login name, its email the login name when it
// has an @ (else <login>@idp.example), so a test chooses who signs in. Prints "oidc-idp listening <issuer>" when ready.
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const all = (name) => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));

const port = Number(option('port', '4100'));
const issuer = option('issuer', `http://127.0.0.1:${port}`);
const clients = [{
  client_id: option('client-id', 'portal'),
  client_secret: option('client-secret', 'portal-secret'),
  redirect_uris: all('redirect-uri'),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: option('auth-method', 'client_secret_post'),
}];

const accountClaims = (id) => ({
  sub: id,
  email: id.includes('@') ? id : `${id}@idp.example`,
  email_verified: true,
  name: `Test ${id.split('@')[0]}`,
  given_name: 'Test',
  family_name: id.split('@')[0],
});

const provider = new Provider(issuer, {
  clients,
  // Claims in the ID token as well as at userInfo, as Google's ID tokens carry them.
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
  scopes: ['openid', 'email', 'profile'],
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return accountClaims(id); } };
  },
  // First-party: no consent screen, every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'given_name', 'family_name']);
    await grant.save();
    return grant;
  },
  ttl: { Session: 60, Interaction: 600, Grant: 600, AuthorizationCode: 300, AccessToken: 600, IdToken: 600 },
  cookies: { keys: ['oidc-idp-test-cookie-key'] },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => console.log(`oidc-idp listening ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test process closes stdin when it ends: do not outlive it.
process.stdin.on('end', stop);
process.stdin.resume();

// Shared setup for the compat suites: the running Portal's endpoint, a signed SDK v3 client, apps and users to sign in.
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

const { AuthenticationDetails, CognitoUserPool } = cognitoIdentity;

export const endpoint = process.env.PORTAL_ENDPOINT ?? 'http://127.0.0.1:5080';
export const region = 'us-east-1';
export const credentials = {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIATESTPORTAL000001',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test/secret/key/for/portal/tests/0000000',
};

export const admin = new CognitoIdentityProviderClient({ endpoint, region, credentials, maxAttempts: 1 });

/** A client without credentials, as apps use for the public operations (SignUp, InitiateAuth...). */
export const anonymous = new CognitoIdentityProviderClient({
  endpoint, region, maxAttempts: 1,
  credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
  signer: { sign: async (request) => request },
});

export const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

export const password = 'Passw0rd!x';

/** A new pool and an app client allowing SRP, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and refresh. */
export async function pool(clientSettings = {}, poolSettings = {}) {
  const created = await admin.send(new CreateUserPoolCommand({ PoolName: unique('auth'), ...poolSettings }));
  const UserPoolId = created.UserPool.Id;
  const client = await admin.send(new CreateUserPoolClientCommand({
    UserPoolId, ClientName: 'app',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...clientSettings,
  }));
  return { UserPoolId, ClientId: client.UserPoolClient.ClientId };
}

/** An administrator-created user with a permanent password (or, with permanent false, a temporary one). */
export async function user(UserPoolId, Username, { permanent = true, pass = password, attributes = [] } = {}) {
  await admin.send(new AdminCreateUserCommand({
    UserPoolId, Username, MessageAction: 'SUPPRESS', TemporaryPassword: permanent ? undefined : pass, UserAttributes: attributes,
  }));
  if (permanent) await admin.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: pass, Permanent: true }));
}

/** A JWT's claims. */
export const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/** amazon-cognito-identity-js's view of an app: its pool and client, on Portal. */
export function userPool({ UserPoolId, ClientId }) {
  return new CognitoUserPool({ UserPoolId, ClientId, endpoint });
}

/** authenticateUser as apps call it, its callbacks turned into a promise: { session }, or the challenge the app is asked
 * to answer ({ newPasswordRequired }, { mfaSetup } or { totpRequired }, with the challenge's parameters). */
export function signIn(cognitoUser, pass) {
  return new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: cognitoUser.getUsername(), Password: pass }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
      mfaSetup: (challengeName, challengeParameters) => resolve({ mfaSetup: challengeParameters }),
      totpRequired: (challengeName, challengeParameters) => resolve({ totpRequired: challengeParameters }),
    });
  });
}

// Shared setup for the compat suites: the running Portal's endpoint and a signed SDK v3 client.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

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

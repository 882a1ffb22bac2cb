// A real SAML 2.0 identity provider for Portal's end-to-end tests: npm saml-idp (mcguinness) with the test-only key
// pair beside this file. Started and stopped by Portal.Tests (SamlIdpProcess); run by hand with
//   node idp/saml-idp.js --port 7000 --acsUrl http://localhost:5080/saml2/idpresponse --audience urn:amazon:cognito:sp:us-east-1_xxx
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { runServer } = require('saml-idp');
const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

// With --encryptionCert (the SP's certificate, PEM file) the IdP encrypts its assertions for the SP (AES-256-CBC,
// RSA-OAEP); --encryptionPublicKey is the same key as a PEM public key file.
const encryptionCert = arg('encryptionCert', undefined);
const encryption = encryptionCert === undefined ? {} : {
  encryptAssertion: true, encryptionCert, encryptionPublicKey: arg('encryptionPublicKey', undefined),
};

runServer({
  ...encryption,
  host: '127.0.0.1',
  port: Number(arg('port', '7000')),
  issuer: arg('issuer', 'urn:portal:test:saml-idp'),
  acsUrl: arg('acsUrl', 'http://localhost:5080/saml2/idpresponse'),
  audience: arg('audience', 'urn:amazon:cognito:sp:us-east-1_example'),
  cert: path.join(here, 'saml-idp-cert.pem'),
  key: path.join(here, 'saml-idp-key.pem'),
  configFile: path.join(here, 'saml-idp-config.cjs'),
});

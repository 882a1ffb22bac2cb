// A software passkey authenticator for the tests: a real P-256 key pair that makes real WebAuthn registration
// (attestation "none") and authentication (ES256 signature) responses, as a browser hands them to the app
// (RegistrationResponseJSON / AuthenticationResponseJSON). Options let a test make them wrong on purpose.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const sha256 = (data) => createHash('sha256').update(data).digest();
const b64url = (buf) => Buffer.from(buf).toString('base64url');

// The few CBOR items an attestation object and a COSE key need (RFC 8949): unsigned and negative integers, byte and
// text strings, maps.
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b;
}
function cbor(value) {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') { const s = Buffer.from(value, 'utf8'); return Buffer.concat([head(3, s.length), s]); }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  }
  throw new Error(`cbor: ${typeof value}`);
}

export class Authenticator {
  constructor({ userVerification = true } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.jwk = publicKey.export({ format: 'jwk' });
    this.credentialId = randomBytes(32);
    this.signCount = 0;
    this.userVerification = userVerification;
    this.userHandle = null;
  }

  get id() { return b64url(this.credentialId); }

  flags(attested) { return 0x01 | (this.userVerification ? 0x04 : 0) | (attested ? 0x40 : 0); }

  authData(rpId, attested) {
    const count = Buffer.alloc(4); count.writeUInt32BE(this.signCount);
    const parts = [sha256(rpId), Buffer.from([this.flags(attested)]), count];
    if (attested) {
      const coseKey = cbor(new Map([[1, 2], [3, -7], [-1, 1],
        [-2, Buffer.from(this.jwk.x, 'base64url')], [-3, Buffer.from(this.jwk.y, 'base64url')]]));
      const length = Buffer.alloc(2); length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, coseKey);
    }
    return Buffer.concat(parts);
  }

  /** navigator.credentials.create: the RegistrationResponseJSON for the creation options. */
  create(options, { origin, rpId = options.rp.id ?? new URL(origin).hostname, challenge = options.challenge } = {}) {
    this.userHandle = options.user.id;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin, crossOrigin: false }));
    const attestationObject = cbor(new Map([['fmt', 'none'], ['attStmt', new Map()], ['authData', this.authData(rpId, true)]]));
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** navigator.credentials.get: the AuthenticationResponseJSON for the request options. With tamper, clientDataJSON
   * is changed after it was signed; with keepCount, the counter does not move (as a cloned authenticator's). */
  get(options, { origin, rpId = options.rpId ?? new URL(origin).hostname, challenge = options.challenge, tamper = false, keepCount = false } = {}) {
    if (!keepCount) this.signCount += 1;
    const authenticatorData = this.authData(rpId, false);
    const clientData = { type: 'webauthn.get', challenge, origin, crossOrigin: false };
    const signed = Buffer.from(JSON.stringify(clientData));
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(signed)]), this.privateKey);
    const clientDataJSON = tamper ? Buffer.from(JSON.stringify({ ...clientData, tampered: true })) : signed;
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature),
        userHandle: this.userHandle,
      },
    };
  }
}

// Hosted-UI classic branding with the AWS SDK v3: SetUICustomization / GetUICustomization, per client and ALL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand,
  SetUICustomizationCommand, GetUICustomizationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { admin, unique } from './portal.js';

// A real 2×2 RGB PNG: IHDR, zlib-compressed scanlines, IEND, each chunk with its CRC-32.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]));
}

async function brandedPool() {
  const name = unique('brand').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const pool = await admin.send(new CreateUserPoolCommand({ PoolName: name }));
  const UserPoolId = pool.UserPool.Id;
  const client = await admin.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'web' }));
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain: name }));
  return { UserPoolId, ClientId: client.UserPoolClient.ClientId };
}

test('SetUICustomization with a Uint8Array logo; GetUICustomization falls back from a client to ALL', async () => {
  const { UserPoolId, ClientId } = await brandedPool();
  const logo = png();
  const set = await admin.send(new SetUICustomizationCommand({
    UserPoolId, ClientId: 'ALL', CSS: '.submitButton-customizable { background-color: #0b5cab; }', ImageFile: logo,
  }));
  assert.equal(set.UICustomization.ClientId, 'ALL');
  assert.match(set.UICustomization.CSS, /\.submitButton-customizable/);
  assert.ok(set.UICustomization.CSSVersion);
  assert.ok(set.UICustomization.LastModifiedDate instanceof Date);

  const got = await admin.send(new GetUICustomizationCommand({ UserPoolId, ClientId }));
  assert.equal(got.UICustomization.ClientId, 'ALL');
  assert.equal(got.UICustomization.ImageUrl, set.UICustomization.ImageUrl);

  const image = await fetch(got.UICustomization.ImageUrl);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(new Uint8Array(await image.arrayBuffer()), logo);

  await admin.send(new SetUICustomizationCommand({ UserPoolId, ClientId, CSS: '.label-customizable { font-weight: 700; }' }));
  const own = await admin.send(new GetUICustomizationCommand({ UserPoolId, ClientId }));
  assert.equal(own.UICustomization.ClientId, ClientId);
  assert.match(own.UICustomization.CSS, /font-weight: 700/);
  assert.equal(own.UICustomization.ImageUrl, undefined);
});

test('a refused CSS is InvalidParameterException naming the construct and its line', async () => {
  const { UserPoolId } = await brandedPool();
  await assert.rejects(
    admin.send(new SetUICustomizationCommand({
      UserPoolId, CSS: '.label-customizable { color: red; }\n.background-customizable { background-image: url(https://evil.example/x.png); }',
    })),
    (e) => e.name === 'InvalidParameterException' && /line 2: url\(https:\/\/evil\.example\/x\.png\) is not allowed/.test(e.message),
  );
  await assert.rejects(
    admin.send(new SetUICustomizationCommand({ UserPoolId, ImageFile: new TextEncoder().encode('<svg onload="alert(1)"/>') })),
    (e) => e.name === 'InvalidParameterException' && /SVG/.test(e.message),
  );
});

// Cognito Sync from the browser, end to end in chromium: an offline-first page (browser/sync-app.js: amazon-cognito-js on
// aws-sdk v2 with its localStorage store), served from another origin than Portal's, on two devices of one guest identity
// (two browser contexts, each its own localStorage). Both edit while the browser is offline, then synchronize: the
// second meets a real conflict, resolves it in onConflict, and both devices end up holding the same records, as does
// Portal. Every call crosses origins (Portal answers CORS on POST / and the /identitypools/… routes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { identityPool, rolePolicy, syncIdentityPolicy } from './identity-kit.js';
import { endpoint, region } from './portal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let browser, app, appOrigin, IdentityPoolId;

before(async () => {
  const built = await esbuild.build({
    entryPoints: [path.join(here, '..', 'browser', 'sync-app.js')], bundle: true, write: false, format: 'iife', platform: 'browser',
    target: 'chrome120', minify: true, logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const files = {
    '/sync.js': ['text/javascript', built.outputFiles[0].text],
    '/sync.html': ['text/html', '<!doctype html><html lang="en"><title>Notes</title><main id="out"></main><script src="/sync.js"></script></html>'],
  };
  app = createServer((req, res) => {
    const [type, body] = files[new URL(req.url, 'http://x').pathname] ?? [];
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${app.address().port}`;
  assert.notEqual(new URL(appOrigin).origin, new URL(endpoint).origin);

  // A guest identity pool whose role carries the documented per-identity Cognito Sync policy.
  const made = await identityPool(null);
  IdentityPoolId = made.IdentityPoolId;
  await rolePolicy(made.guest.RoleName, 'sync', syncIdentityPolicy());

  browser = await chromium.launch({ executablePath: process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
});

/** A device: a browser context of its own (its own localStorage) with the page loaded and the identity's credentials. */
async function device(identityId) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const portalCalls = [];
  page.on('request', (r) => { if (r.url().startsWith(endpoint)) portalCalls.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${appOrigin}/sync.html`);
  await page.waitForFunction(() => window.ready === true);
  const id = await page.evaluate((s) => window.app.start(s), { identityPoolId: IdentityPoolId, endpoint, region, identityId });
  return { context, page, identityId: id, portalCalls, errors };
}

const put = (d, key, value) => d.page.evaluate(([k, v]) => window.app.put('notes', k, v), [key, value]);
const all = (d) => d.page.evaluate(() => window.app.all('notes'));
const sync = (d) => d.page.evaluate(() => window.app.sync('notes'));

test('two browser devices edit offline, synchronize across origins, resolve a real conflict and end up identical', async () => {
  const phone = await device();
  const tablet = await device(phone.identityId);
  try {
    assert.equal(tablet.identityId, phone.identityId);

    await put(phone, 'color', 'red');
    assert.deepEqual(await sync(phone), { ok: true, conflicts: [] });
    assert.deepEqual(await sync(tablet), { ok: true, conflicts: [] });
    assert.deepEqual(await all(tablet), { color: 'red' });

    // Both go offline and edit: the same record differently, and the tablet adds one of its own.
    await phone.context.setOffline(true);
    await tablet.context.setOffline(true);
    await put(phone, 'color', 'blue');
    await put(tablet, 'color', 'green');
    await put(tablet, 'tablet-only', 't');
    const offline = await sync(phone);
    assert.equal(offline.ok, false, 'a sync without a network fails');
    assert.deepEqual(await all(phone), { color: 'blue' }, 'the offline edit is kept on the device');

    // The tablet's page is reloaded while nothing was sent: its edits are still in its localStorage.
    await tablet.context.setOffline(false);
    await tablet.page.reload();
    await tablet.page.waitForFunction(() => window.ready === true);
    await tablet.page.evaluate((s) => window.app.start(s), { identityPoolId: IdentityPoolId, endpoint, region, identityId: phone.identityId });
    assert.deepEqual(await all(tablet), { color: 'green', 'tablet-only': 't' });

    // Back online: the phone syncs first, the tablet meets the conflict and resolves it, then the phone catches up.
    await phone.context.setOffline(false);
    assert.deepEqual(await sync(phone), { ok: true, conflicts: [] });
    assert.deepEqual(await sync(tablet), { ok: true, conflicts: [['color', 'blue', 'green']] });
    assert.deepEqual(await sync(phone), { ok: true, conflicts: [] });

    const expected = { color: 'blue+green', 'tablet-only': 't' };
    assert.deepEqual(await all(phone), expected);
    assert.deepEqual(await all(tablet), expected);

    // Every call went to Portal's origin from the page's (cross-origin), the Sync routes among them.
    for (const d of [phone, tablet]) {
      assert.ok(d.portalCalls.some((c) => c.startsWith('POST /identitypools/')), d.portalCalls.join('\n'));
      assert.ok(d.portalCalls.some((c) => c.startsWith('GET /identitypools/')), d.portalCalls.join('\n'));
      assert.deepEqual(d.errors, []);
    }
  } finally {
    await phone.context.close();
    await tablet.context.close();
  }
});

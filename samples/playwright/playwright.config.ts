import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// One Portal for the run, in testing mode, on a free port and its own data folder (deleted on each start).
// The port is chosen once and inherited by the workers through the environment (each worker loads this file again).
// Point PORTAL_URL at a running Portal (testing mode on) to skip starting one.
if (!process.env.PORTAL_URL) {
  process.env.PORTAL_PORT ??= execFileSync(process.execPath, ['-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"]).toString().trim();
  process.env.PORTAL_URL = `http://127.0.0.1:${process.env.PORTAL_PORT}`;
}
const root = path.resolve(__dirname, '../..');
const data = path.resolve(__dirname, '.portal-data');
// The built server (`dotnet build` first); PORTAL_DLL overrides it, and without a build `dotnet run` builds nothing.
const dll = process.env.PORTAL_DLL ?? path.join(root, 'Portal.Server/bin/Debug/net10.0/Portal.Server.dll');
const server = existsSync(dll) ? `dotnet "${dll}"` : 'dotnet run --project Portal.Server --no-build --no-launch-profile';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  globalSetup: './fixtures/global-setup.ts',
  use: {
    baseURL: process.env.PORTAL_URL,
    // Debian's chromium: no `playwright install`.
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] },
    // The hosted pages speak five languages; pin the one the locators below are written in.
    locale: 'en-US',
    trace: 'retain-on-failure',
  },
  projects: [
    // Signs a user in once per run without the form (a minted session) and saves the browser's state.
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    { name: 'chromium', testIgnore: /.*\.setup\.ts/, dependencies: ['setup'] },
  ],
  webServer: process.env.PORTAL_PORT ? {
    command: `rm -rf "${data}" && exec ${server}`,
    cwd: root,
    url: `${process.env.PORTAL_URL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      ASPNETCORE_ENVIRONMENT: 'Development',
      Urls: process.env.PORTAL_URL!,
      Portal__PublicBaseUrl: process.env.PORTAL_URL!,
      Portal__Storage__DataFolder: data,
      Portal__Testing__Enabled: 'true',
      Portal__Testing__FastPasswordHashing: process.env.PORTAL_FAST_HASHING ?? 'true',
      Portal__Bootstrap__AdminPassword: 'Admin-Passw0rd!',
      // Run from a checkout, Portal's content root is the repository and watching its appsettings.json for changes
      // watches every folder under it (~970 inotify watches here): each file Playwright writes (test-results, traces)
      // and each write to the data folder above would wake Portal. A suite does not edit the settings mid-run.
      DOTNET_hostBuilder__reloadConfigOnChange: 'false',
      // A suite's Portal lives for one run: without dynamic PGO each hot method is compiled twice (quick, then optimised
      // in the background after 30 calls) instead of three times (an instrumented copy between). Measured with the
      // benchmark's 50 minted tests (Portal.Tests/bench/testing.sh): Portal's CPU per test 138-142 -> 58-73 ms in a
      // fresh Portal's first run, 39-45 -> 22-31 ms after, and a start 0.4 s shorter. A long-running Portal keeps it on.
      DOTNET_TieredPGO: '0',
      // The key the fixtures sign Cognito API calls with (creating the template pool).
      Portal__Api__AccessKeys__0__AccessKeyId: 'AKIAPLAYWRIGHTKIT001',
      Portal__Api__AccessKeys__0__SecretAccessKey: 'playwright/starter/kit/secret/key/000000',
      // A suite signs in faster than Cognito's per-pool quotas allow from one address.
      Portal__RateLimits__PerAddressPerSecond: '1000000',
      Portal__RateLimits__CodesPerUser: '1000',
      Portal__RateLimits__Categories__UserAuthentication: '1000000',
      Portal__RateLimits__Categories__UserCreation: '1000000',
      Portal__RateLimits__Categories__UserAccountRecovery: '1000000',
    },
  } : undefined,
});

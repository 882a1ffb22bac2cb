// For Portal.Tests/bench/testing.sh only: the benchmark's flow against the Portal that script started (PORTAL_URL).
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /.*\.bench\.ts/,
  workers: 1,
  reporter: [['line']],
  projects: [{ name: 'bench' }],
  webServer: undefined,
});

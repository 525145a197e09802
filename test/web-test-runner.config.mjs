import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import * as puppeteer from 'puppeteer-core';
import { startApiServer } from './support/api-server.mjs';
import { devtoolsPlugin } from './support/devtools-plugin.mjs';
import { framePlugin } from './support/frame-plugin.mjs';
import { sameOriginProxy } from './support/same-origin-proxy.mjs';
import { startWebKitDriver } from './support/webkit-driver.mjs';

// The API runs on its own origin (127.0.0.1:<port>), the test pages on the test runner's
// (localhost:8000): every browser test is a cross-origin embed, as on a partner's site.
// Most tests sign many times in a row: bot protection off. The end-to-end embed test uses a
// second server with the production defaults for bot protection, so the real proof of work runs.
// The first server has an ADMIN_TOKEN too: tests approve the entries of its public wall that
// wait for an organiser.
const ADMIN_TOKEN = 'dashboard-test-token-0123456789';
const api = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'off', ADMIN_TOKEN });
const protectedApi = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'on' });
// The organiser dashboard's server: its own store, so the test knows every signature in it, and
// an ADMIN_TOKEN. The admin API answers only its own origin, so test pages reach it through a
// same-origin proxy at ADMIN_PROXY (test/support/same-origin-proxy.mjs); API_PROXY is the first
// server the same way, and NO_ADMIN_PROXY the second, which has no ADMIN_TOKEN.
const ADMIN_PROXY = '/admin-server';
const API_PROXY = '/api-server';
const NO_ADMIN_PROXY = '/no-admin-server';
const adminApi = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'off', ADMIN_TOKEN });
// A campaign on launch day: a store of its own, empty until test/browser/launch-count.test.ts
// records the supporters gathered before and the first signatures, so that it knows the count
// to the last one. Reached through LAUNCH_PROXY for the admin API, directly for the rest.
// Its content is the shipped one with an organiser's controller filled in, as on a real launch.
const LAUNCH_PROXY = '/launch-server';
const LAUNCH_CONTROLLER = {
  name: 'Lower Danube Regional Council',
  address: '1 River Street, 7000 Ruse',
  email: 'privacy@lower-danube.example',
};
const launchContent = mkdtempSync(join(tmpdir(), 'cohesion-launch-content-'));
cpSync('server/content', launchContent, { recursive: true });
const launchSettings = join(launchContent, 'campaigns/cohesion-alliance/campaign.json');
writeFileSync(launchSettings, JSON.stringify({ ...JSON.parse(readFileSync(launchSettings, 'utf8')), controller: LAUNCH_CONTROLLER }));
const launchApi = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'off', ADMIN_TOKEN, CONTENT_DIR: launchContent });
// The same launch with double opt-in, as by default: signatures count once confirmed from the
// mail (its development outbox), on the server's confirmation page.
const OPT_IN_PROXY = '/opt-in-server';
const optInApi = await startApiServer({ BOT_PROTECTION: 'off', ADMIN_TOKEN, CONTENT_DIR: launchContent });

/** Writes the pass and fail counts where test/run.mjs asks, for its closing summary line. */
const countReporter = {
  onTestRunFinished({ sessions }) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const walk = (suite) => {
      for (const test of suite?.tests ?? []) {
        counts[test.skipped ? 'skipped' : test.passed ? 'passed' : 'failed']++;
      }
      for (const child of suite?.suites ?? []) walk(child);
    };
    for (const session of sessions) {
      walk(session.testResults);
      // A file that failed to load counts as a failure, not as zero tests.
      if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) counts.failed++;
    }
    if (process.env.WTR_COUNTS_FILE) writeFileSync(process.env.WTR_COUNTS_FILE, JSON.stringify(counts));
  },
};

/**
 * Every test runs in Chromium. The end-to-end tests (signing on another origin with the real
 * proof of work, the live counter across pages, languages, a strict CSP, the iframe embed) run
 * in Firefox ESR and WebKitGTK as well: `BROWSER=firefox` or `BROWSER=webkit` (test/run.mjs runs
 * one engine after the other, as they share the servers' counts).
 */
const END_TO_END = ['embed', 'iframe-embed', 'languages', 'live-count', 'strict-csp'].map((name) => `test/browser/${name}.test.ts`);
const ENGINES = {
  chromium: {
    files: ['test/browser/**/*.test.ts'],
    launcher: () =>
      chromeLauncher({
        launchOptions: {
          executablePath: process.env.CHROME_PATH,
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      }),
  },
  firefox: {
    files: END_TO_END,
    // Puppeteer drives Firefox over WebDriver BiDi; it has no DevTools protocol to emulate
    // media with, so reduced motion is its preference (support/helpers.ts: reduceMotion).
    launcher: () =>
      chromeLauncher({
        puppeteer,
        launchOptions: {
          browser: 'firefox',
          executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          headless: true,
          extraPrefsFirefox: { 'ui.prefersReducedMotion': 1 },
        },
      }),
  },
  webkit: {
    files: END_TO_END,
    // WebKitGTK's MiniBrowser through its WebDriver, WebKitWebDriver, which this config starts;
    // it needs a display (test/run.mjs runs it under xvfb-run). GTK's "no animations" setting
    // is WebKitGTK's reduced motion.
    launcher: () =>
      webdriverLauncher({
        hostname: '127.0.0.1',
        port: webkitDriver.port,
        logLevel: 'error',
        capabilities: {
          browserName: 'MiniBrowser',
          // WebDriver classic: WebKitWebDriver speaks no BiDi.
          'wdio:enforceWebDriverClassic': true,
          'webkitgtk:browserOptions': { binary: webkitDriver.miniBrowser, args: ['--automation'] },
        },
      }),
  },
};
const ENGINE = process.env.BROWSER ?? 'chromium';
if (!ENGINES[ENGINE]) throw new Error(`BROWSER=${ENGINE}: there are launchers for ${Object.keys(ENGINES).join(', ')}.`);

const webkitDriver = ENGINE === 'webkit' ? await startWebKitDriver() : undefined;

export default {
  files: ENGINES[ENGINE].files,
  // One test file at a time: they share one server and its count.
  concurrency: 1,
  nodeResolve: true,
  // Test pages are served from 127.0.0.1; the same files at localhost are another origin.
  hostname: '127.0.0.1',
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    devtoolsPlugin(),
    framePlugin(),
    {
      name: 'cohesion-api',
      serverStop: async () => {
        await Promise.all([api.stop(), protectedApi.stop(), adminApi.stop(), launchApi.stop(), optInApi.stop(), webkitDriver?.stop()]);
        rmSync(launchContent, { recursive: true, force: true });
      },
    },
  ],
  middleware: [
    sameOriginProxy(ADMIN_PROXY, adminApi.url),
    sameOriginProxy(API_PROXY, api.url),
    sameOriginProxy(NO_ADMIN_PROXY, protectedApi.url),
    sameOriginProxy(LAUNCH_PROXY, launchApi.url),
    sameOriginProxy(OPT_IN_PROXY, optInApi.url),
  ],
  reporters: [defaultReporter(), countReporter],
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <body>
        <script>
          window.COHESION_API = ${JSON.stringify(api.url)};
          window.COHESION_PROTECTED_API = ${JSON.stringify(protectedApi.url)};
          window.COHESION_ADMIN_API = ${JSON.stringify(adminApi.url)};
          window.COHESION_ADMIN_PROXY = ${JSON.stringify(ADMIN_PROXY)};
          window.COHESION_API_PROXY = ${JSON.stringify(API_PROXY)};
          window.COHESION_NO_ADMIN_PROXY = ${JSON.stringify(NO_ADMIN_PROXY)};
          window.COHESION_ADMIN_TOKEN = ${JSON.stringify(ADMIN_TOKEN)};
          window.COHESION_LAUNCH_API = ${JSON.stringify(launchApi.url)};
          window.COHESION_LAUNCH_PROXY = ${JSON.stringify(LAUNCH_PROXY)};
          window.COHESION_LAUNCH_CONTROLLER = ${JSON.stringify(LAUNCH_CONTROLLER)};
          window.COHESION_OPT_IN_API = ${JSON.stringify(optInApi.url)};
          window.COHESION_OPT_IN_PROXY = ${JSON.stringify(OPT_IN_PROXY)};
        </script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
  browsers: [ENGINES[ENGINE].launcher()],
  // Room for a loaded 2-core machine; no test waits on the clock (support/helpers.ts: waitFor).
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 10 * 60_000,
};

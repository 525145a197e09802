import { writeFileSync } from 'node:fs';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { startApiServer } from './support/api-server.mjs';

// The API runs on its own origin (127.0.0.1:<port>), the test pages on the test runner's
// (localhost:8000): every browser test is a cross-origin embed, as on a partner's site.
// Most tests sign many times in a row: bot protection off. The end-to-end embed test uses a
// second server with the production defaults for bot protection, so the real proof of work runs.
const api = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'off' });
const protectedApi = await startApiServer({ DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'on' });

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

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  // Test pages are served from 127.0.0.1; the same files at localhost are another origin.
  hostname: '127.0.0.1',
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    { name: 'cohesion-api', serverStop: () => Promise.all([api.stop(), protectedApi.stop()]) },
  ],
  reporters: [defaultReporter(), countReporter],
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <body>
        <script>
          window.COHESION_API = ${JSON.stringify(api.url)};
          window.COHESION_PROTECTED_API = ${JSON.stringify(protectedApi.url)};
        </script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
  browsers: [
    chromeLauncher({
      // One test file at a time: they share one server and its count.
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
  ],
  testFramework: { config: { timeout: 10000 } },
};

/**
 * `npm test`: finds a Chrome or Chromium (installing Debian's when it may), builds, type-checks
 * and lints, then runs the server tests (node:test) and the browser tests (web-test-runner), and
 * ends with one line that sums them up; a failed type-check or lint counts as a failure there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function findChrome() {
  if (process.env.CHROME_PATH) {
    if (existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    fail(`CHROME_PATH is set to ${process.env.CHROME_PATH}, but there is no file there.`);
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/etc/debian_version')) {
    console.log("No Chrome or Chromium found: installing Debian's chromium (apt-get install -y chromium)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (install.status === 0 && existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  fail('The browser tests need Chrome or Chromium. Install it, e.g. `sudo apt-get install -y chromium`, ' + 'or point CHROME_PATH at one.');
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function run(command, args, env = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

const chrome = findChrome();
const work = mkdtempSync(join(tmpdir(), 'cohesion-run-'));
const tap = join(work, 'server.tap');
const wtrCounts = join(work, 'browser.json');

if (run('npm', ['run', '--silent', 'build']) !== 0) fail('The build failed.');
// Checks that fail the run but let the tests run too, so one run reports everything.
const checks = ['typecheck', 'lint'].filter((script) => run('npm', ['run', '--silent', script]) !== 0);

const serverFiles = readdirSync('test/server')
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/server/${name}`);
const serverStatus = run('node', [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...serverFiles,
]);
const browserStatus = run('npx', ['wtr', '--config', 'test/web-test-runner.config.mjs'], {
  CHROME_PATH: chrome,
  WTR_COUNTS_FILE: wtrCounts,
});

const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const tapCount = (key) => Number(tapText.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
// Skipped tests and skipped suites alike (node:test's own `# skipped` leaves suites out), with their reasons.
const skips = [...tapText.matchAll(/^\s*ok \d+ - .*# SKIP ?(.*)$/gm)].map((match) => match[1] || '(no reason given)');
const browser = existsSync(wtrCounts) ? JSON.parse(readFileSync(wtrCounts, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
rmSync(work, { recursive: true, force: true });

const passed = tapCount('pass') + browser.passed;
// A runner that failed without reporting a failure still fails the run.
const failed =
  tapCount('fail') +
  browser.failed +
  (serverStatus !== 0 && !tapCount('fail') ? 1 : 0) +
  (browserStatus !== 0 && !browser.failed ? 1 : 0) +
  checks.length;
const skipped = skips.length + browser.skipped;
console.log(
  `\nserver: ${tapCount('pass')} passed, ${tapCount('fail')} failed, ${skips.length} skipped; browser: ${browser.passed} passed, ${browser.failed} failed, ${browser.skipped} skipped`,
);
const reasons = new Map();
for (const reason of skips) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
for (const [reason, times] of reasons) console.log(`skipped ${times}×: ${reason}`);
for (const script of checks) console.log(`npm run ${script} failed (see above)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/**
 * `npm test`: finds a Chrome or Chromium (installing Debian's when it may), builds, type-checks
 * and lints, then runs the server tests (node:test) and the browser tests (web-test-runner): all
 * in Chromium, then the end-to-end ones in Firefox ESR and WebKitGTK (each installed from
 * Debian's packages when it may; elsewhere skipped, and said so, except in CI, where a missing
 * engine fails the run). It ends with one line that sums them up; a failed type-check or lint
 * counts as a failure there.
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
  if (installFromDebian('chromium') && existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  fail('The browser tests need Chrome or Chromium. Install it, e.g. `sudo apt-get install -y chromium`, ' + 'or point CHROME_PATH at one.');
}

/** As root on Debian: installs Debian's `packages`; whether it did. */
function installFromDebian(...packages) {
  if (process.getuid?.() !== 0 || !existsSync('/etc/debian_version')) return false;
  console.log(`Installing Debian's ${packages.join(', ')} (apt-get install -y ${packages.join(' ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  return spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env }).status === 0;
}

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** The other engines: how to tell each is here, and what to install. */
const ENGINES = [
  {
    name: 'firefox',
    label: 'Firefox ESR',
    packages: ['firefox-esr'],
    present: () => existsSync(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'),
    command: (wtr) => wtr,
  },
  {
    name: 'webkit',
    label: 'WebKitGTK',
    packages: ['webkit2gtk-driver', 'xvfb'],
    present: () => onPath('WebKitWebDriver') && onPath('xvfb-run'),
    // MiniBrowser needs a display: a virtual one.
    command: (wtr) => ['xvfb-run', '-a', ...wtr],
  },
];
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
const WTR = ['npx', 'wtr', '--config', 'test/web-test-runner.config.mjs'];
/** Each engine's run: its exit status and counts; or the reason it did not run. */
const engines = [{ name: 'chromium', command: (wtr) => wtr }, ...ENGINES].map((engine) => {
  if (engine.present && !engine.present() && !(installFromDebian(...engine.packages) && engine.present())) {
    const install = `apt-get install -y ${engine.packages.join(' ')}`;
    return { name: engine.name, missing: `${engine.label} is not installed (${install})` };
  }
  const counts = join(work, `${engine.name}.json`);
  const [command, ...args] = engine.command(WTR);
  const status = run(command, args, { CHROME_PATH: chrome, BROWSER: engine.name, WTR_COUNTS_FILE: counts });
  const result = existsSync(counts) ? JSON.parse(readFileSync(counts, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  // A runner that failed without reporting a failure still fails the run.
  return { name: engine.name, ...result, failed: result.failed + (status !== 0 && !result.failed ? 1 : 0) };
});
// CI installs every engine (.ci/run): there, a missing one fails the run.
const missing = engines.filter((engine) => engine.missing);

const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const tapCount = (key) => Number(tapText.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
// Skipped tests and skipped suites alike (node:test's own `# skipped` leaves suites out), with their reasons.
const skips = [...tapText.matchAll(/^\s*ok \d+ - .*# SKIP ?(.*)$/gm)].map((match) => match[1] || '(no reason given)');
rmSync(work, { recursive: true, force: true });

const ran = engines.filter((engine) => !engine.missing);
const browser = Object.fromEntries(['passed', 'failed', 'skipped'].map((key) => [key, ran.reduce((sum, engine) => sum + engine[key], 0)]));
const passed = tapCount('pass') + browser.passed;
// A runner that failed without reporting a failure still fails the run.
const failed =
  tapCount('fail') +
  browser.failed +
  (serverStatus !== 0 && !tapCount('fail') ? 1 : 0) +
  checks.length +
  (process.env.CI ? missing.length : 0);
const skipped = skips.length + browser.skipped;
const perEngine = ran.map((engine) => `${engine.name} ${engine.passed} passed, ${engine.failed} failed, ${engine.skipped} skipped`);
console.log(`\nserver: ${tapCount('pass')} passed, ${tapCount('fail')} failed, ${skips.length} skipped; browser: ${perEngine.join('; ')}`);
for (const engine of missing) console.log(`not run in ${engine.name}: ${engine.missing}${process.env.CI ? ' (fails the run in CI)' : ''}`);
const reasons = new Map();
for (const reason of skips) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
for (const [reason, times] of reasons) console.log(`skipped ${times}×: ${reason}`);
for (const script of checks) console.log(`npm run ${script} failed (see above)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

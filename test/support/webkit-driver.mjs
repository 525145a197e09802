/**
 * WebKitWebDriver (Debian's webkit2gtk-driver) on a free port, driving WebKitGTK's MiniBrowser,
 * for the browser tests in WebKit (test/web-test-runner.config.mjs, BROWSER=webkit). MiniBrowser
 * runs with GTK animations off, which WebKitGTK reports as `prefers-reduced-motion: reduce`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './api-server.mjs';

export async function startWebKitDriver() {
  const miniBrowser = process.env.WEBKIT_MINIBROWSER ?? findMiniBrowser();
  if (!miniBrowser) throw new Error('No MiniBrowser: install WebKitGTK with `apt-get install -y webkit2gtk-driver`.');
  const config = mkdtempSync(join(tmpdir(), 'cohesion-webkit-'));
  mkdirSync(join(config, 'gtk-3.0'));
  writeFileSync(join(config, 'gtk-3.0', 'settings.ini'), '[Settings]\ngtk-enable-animations=0\n');
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, XDG_CONFIG_HOME: config } });
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  for (let attempt = 0; ; attempt++) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${driver.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (attempt > 300) throw new Error('WebKitWebDriver did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    miniBrowser,
    async stop() {
      driver.kill();
      await exited;
      rmSync(config, { recursive: true, force: true });
    },
  };
}

/** Debian's MiniBrowser, under the machine's multiarch folder (/usr/lib/x86_64-linux-gnu/…). */
export function findMiniBrowser() {
  return readdirSync('/usr/lib')
    .map((folder) => join('/usr/lib', folder, 'webkit2gtk-4.1', 'MiniBrowser'))
    .find((path) => existsSync(path));
}

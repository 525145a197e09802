/** A real server process (server/main.ts through tsx) for the tests that need signals and sockets. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SIGNATURES_URL, signatureBody } from './test-app.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stderr(): string;
  stdout(): string;
}

/** `launcher`: a command that runs the server's command line given after it (e.g. in another mount namespace). */
export function startMain(env: Record<string, string>, launcher: string[] = []): ServerProcess {
  const [command, ...args] = [...launcher, process.execPath, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

/** Starts a server on a free port, for signing in bulk (no bot protection, no rate limits), and waits until it is healthy. */
export async function startServer(
  env: Record<string, string>,
  launcher?: string[],
): Promise<ServerProcess & { url: string; port: number }> {
  const port = await freePort();
  const main = startMain({ PORT: String(port), DOUBLE_OPT_IN: 'off', BOT_PROTECTION: 'off', RATE_LIMIT: 'off', ...env }, launcher);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, main);
  } catch (error) {
    main.child.kill('SIGKILL');
    throw error;
  }
  return { ...main, url, port };
}

/** Signs at a running server, as the widget does. */
export function signAt(url: string, email: string): Promise<Response> {
  return fetch(`${url}${SIGNATURES_URL}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(signatureBody({ email })),
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function waitUntilHealthy(url: string, main?: ServerProcess) {
  let exitCode: number | null | undefined;
  void main?.exited.then((code) => (exitCode = code));
  for (let attempt = 0; attempt < 100; attempt++) {
    if (exitCode !== undefined) throw new Error(`the server exited (${exitCode}): ${main!.stderr()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not become healthy within 10 s');
}

/** An open event stream of counts, over its own connection. */
export class CountStream {
  readonly counts: number[] = [];
  readonly ended: Promise<void>;
  private readonly request: http.ClientRequest;

  constructor(url: string) {
    let ended!: () => void;
    this.ended = new Promise((resolve) => (ended = resolve));
    this.request = http.get(url, { agent: false }, (response) => {
      response.setEncoding('utf8');
      let text = '';
      response.on('data', (chunk: string) => {
        text += chunk;
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const data = block.match(/^data: (.*)$/m)?.[1];
          if (block.includes('event: count') && data) this.counts.push(JSON.parse(data).count);
        }
      });
      response.on('end', ended);
      response.on('close', ended);
    });
    this.request.on('error', ended);
  }

  /** Waits until a count that passes `test` arrives; fails after `ms`. */
  async until(test: (count: number) => boolean, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.counts.find(test);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no such count within ${ms} ms; counts so far: ${this.counts.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close() {
    this.request.destroy();
  }
}

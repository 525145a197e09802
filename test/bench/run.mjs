/**
 * `npm run bench`: our server (the build, on a fresh SQLite file, every signature durable)
 * against a bare node:http server doing the same HTTP work, measured in the same run, taking
 * turns, with medians. Figures on these machines vary up to 2× from run to run: read the ratio.
 *
 *   signing     POST /signatures, unique emails, validation and storage on (rate limits and
 *               bot protection off): requests/s and p99 latency
 *   count       GET /count: requests/s
 *   fan-out     STREAMS open event streams (default 10,000); one signature; time until every
 *               stream has the new count; memory per open stream
 *
 * Options (environment): BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_STREAMS (10000),
 * BENCH_CONNECTIONS (50).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CAMPAIGN = '/api/campaigns/cohesion-alliance';

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function start(kind) {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'cohesion-bench-'));
  const script = kind === 'ours' ? 'dist/server/main.js' : 'test/bench/bare-server.mjs';
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: join(folder, 'bench.sqlite'),
      DOUBLE_OPT_IN: 'off',
      BOT_PROTECTION: 'off',
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    kind,
    url,
    pid: child.pid,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

let emails = 0;
const signature = () =>
  JSON.stringify({
    signerType: 'individual',
    name: 'Bench Mark',
    country: 'BE',
    email: `bench.${process.pid}.${++emails}@example.org`,
    consent: true,
  });

function cannon(options) {
  return new Promise((resolve, reject) =>
    autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
}

async function signing(server) {
  const result = await cannon({
    url: `${server.url}${CAMPAIGN}/signatures`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: signature() }) }],
  });
  const ok = result['2xx'];
  return { rate: ok / SECONDS, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

async function counting(server) {
  const result = await cannon({ url: `${server.url}${CAMPAIGN}/count` });
  return { rate: result['2xx'] / SECONDS, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

const rssOf = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;

async function fanOut(server) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  let target = -1;
  let reached = 0;
  let allReached;
  const done = new Promise((resolve) => (allReached = resolve));
  const before = rssOf(server.pid);
  await new Promise((resolve, reject) => {
    let opened = 0;
    const openOne = () => {
      const request = http.get(`${server.url}${CAMPAIGN}/stream`, { agent }, (response) => {
        response.setEncoding('utf8');
        let seen = false;
        response.on('data', (text) => {
          if (!seen && target >= 0 && text.includes(`"count":${target}`)) {
            seen = true;
            if (++reached === STREAMS) allReached(performance.now());
          }
        });
        if (++opened === STREAMS) resolve();
        else if (opened % 500 === 0) setImmediate(() => batch());
      });
      request.on('error', reject);
      streams.push(request);
    };
    // Open in batches of 500 so the server's accept queue is not overrun.
    let started = 0;
    const batch = () => {
      for (let i = 0; i < 500 && started < STREAMS; i++, started++) openOne();
    };
    batch();
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const perStream = (rssOf(server.pid) - before) / STREAMS;
  const current = await (await fetch(`${server.url}${CAMPAIGN}/count`)).json();
  target = current.count + 1;
  const sent = performance.now();
  await fetch(`${server.url}${CAMPAIGN}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: signature(),
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve(NaN), 10_000));
  const end = await Promise.race([done, timeout]);
  for (const request of streams) request.destroy();
  agent.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { ms: end - sent, perStream, reached };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(run, rounds) {
  const figures = { bare: [], ours: [] };
  for (let round = 0; round < rounds; round++) {
    // Take turns, starting with a different one each round.
    const order = round % 2 ? ['ours', 'bare'] : ['bare', 'ours'];
    for (const kind of order) {
      const server = await start(kind);
      try {
        figures[kind].push(await run(server));
      } finally {
        await server.stop();
      }
    }
  }
  return figures;
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits }) : 'n/a');

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
}

if (spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log(`\nbench: ${ROUNDS} rounds of ${SECONDS}s, ${CONNECTIONS} connections, ${STREAMS} streams; medians\n`);

const rows = [['measure', 'bare node:http', 'cohesion-declaration', 'ours / bare']];
const sign = await measure(signing, ROUNDS);
const signRate = { bare: median(sign.bare.map((f) => f.rate)), ours: median(sign.ours.map((f) => f.rate)) };
rows.push(['signing, signatures/s', fmt(signRate.bare), fmt(signRate.ours), fmt(signRate.ours / signRate.bare, 2)]);
const signP99 = { bare: median(sign.bare.map((f) => f.p99)), ours: median(sign.ours.map((f) => f.p99)) };
rows.push(['signing, p99 ms', fmt(signP99.bare), fmt(signP99.ours), fmt(signP99.ours / signP99.bare, 2)]);
rows.push(['signing, errors', sign.bare.reduce((a, f) => a + f.errors, 0), sign.ours.reduce((a, f) => a + f.errors, 0), '']);

const count = await measure(counting, ROUNDS);
const countRate = { bare: median(count.bare.map((f) => f.rate)), ours: median(count.ours.map((f) => f.rate)) };
rows.push(['GET /count, requests/s', fmt(countRate.bare), fmt(countRate.ours), fmt(countRate.ours / countRate.bare, 2)]);

const fan = await measure(fanOut, Math.max(1, Math.min(ROUNDS, 2)));
const fanMs = { bare: median(fan.bare.map((f) => f.ms)), ours: median(fan.ours.map((f) => f.ms)) };
const fanMem = { bare: median(fan.bare.map((f) => f.perStream)), ours: median(fan.ours.map((f) => f.perStream)) };
rows.push([`fan-out to ${fmt(STREAMS)} streams, ms`, fmt(fanMs.bare), fmt(fanMs.ours), fmt(fanMs.ours / fanMs.bare, 2)]);
rows.push(['memory per open stream, KB', fmt(fanMem.bare / 1024, 1), fmt(fanMem.ours / 1024, 1), fmt(fanMem.ours / fanMem.bare, 2)]);
rows.push(['streams reached', fmt(median(fan.bare.map((f) => f.reached))), fmt(median(fan.ours.map((f) => f.reached))), '']);
table(rows);
console.log('\nOur fan-out includes the 250 ms coalescing window, by design.');

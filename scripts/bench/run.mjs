/**
 * `npm run bench`: our server (the build, on a fresh SQLite file, every signature durable)
 * against a bare node:http server doing the same HTTP work, measured in the same run, taking
 * turns, with medians. Figures on these machines vary up to 2× from run to run: read the ratio.
 * Every server runs with the Node options of `npm start`.
 *
 *   signing     POST /signatures, unique emails, validation and storage on (rate limits and
 *               bot protection off; DOUBLE_OPT_IN off, so each signature counts at once and
 *               its mail is sent to the development outbox): requests/s, p99 latency, server
 *               CPU time per signature including the sending of its mail, and how long after
 *               the run the last of those mails went out (the mail worker lets signers go
 *               first). At 50 and at 200 connections: more signers in flight make bigger
 *               group commits for us, and cost the bare server (and the load generator, which
 *               shares the machine's two cores with it) more per request.
 *   count       GET /count: requests/s, server CPU time per request
 *   fan-out     STREAMS open event streams (default 10,000); one signature; time until every
 *               stream has the new count; memory per open stream
 *
 * Options (environment): BENCH_SECONDS (5), BENCH_WARMUP (3: seconds of the same load before each
 * measured run, not counted), BENCH_ROUNDS (3), BENCH_STREAMS (10000),
 * BENCH_CONNECTIONS (50, for GET /count), BENCH_SIGNING_CONNECTIONS (50,200), BENCH_ONLY (a
 * comma-separated subset of signing,count,fan-out: all by default), BENCH_BUILD (off: use dist/
 * as it is), BENCH_SERVER (our server's script: dist/server/main.js, or that of another build to
 * compare with), BENCH_COMPARE (the script of another build of our server, measured in the
 * same rounds, taking turns with the other two: two builds compared under the same load, in
 * two more columns), BENCH_PROFILE (a folder: our server runs with --cpu-prof and writes its
 * profiles there; the bare one never does).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SIGNING_CONNECTIONS = (process.env.BENCH_SIGNING_CONNECTIONS ?? '50,200').split(',').map(Number);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'signing,count,fan-out').split(','));
const PROFILE = process.env.BENCH_PROFILE;
const COMPARE = process.env.BENCH_COMPARE;
/** Who takes turns in each round: the bare server, our build and, with BENCH_COMPARE, another build of ours. */
const KINDS = COMPARE ? ['bare', 'ours', 'compare'] : ['bare', 'ours'];
const CAMPAIGN = '/api/campaigns/cohesion-alliance';
/** The Node options of `npm start` (package.json): every server here runs with them, as operators run ours. */
const NODE_OPTIONS = JSON.parse(readFileSync('package.json', 'utf8'))
  .scripts.start.split(' ')
  .filter((word) => word.startsWith('--'));

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
  const script = { ours: process.env.BENCH_SERVER ?? 'dist/server/main.js', compare: COMPARE, bare: 'scripts/bench/bare-server.mjs' }[kind];
  const profile = kind === 'ours' && PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  const database = join(folder, 'bench.sqlite');
  const child = spawn(process.execPath, [...NODE_OPTIONS, ...profile, script], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: database,
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
  const outbox = kind === 'bare' ? undefined : new Database(database, { readonly: true });
  // Queued in the signatures' rows; a build from before schema 6 (BENCH_SERVER) kept them in mail_outbox.
  const hasOutbox = outbox?.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'mail_outbox'").pluck().get();
  const queuedMails = outbox
    ?.prepare(`SELECT count(*) FROM ${hasOutbox ? 'mail_outbox' : 'signatures WHERE mail_due_at IS NOT NULL'}`)
    .pluck();
  return {
    kind,
    url,
    pid: child.pid,
    /** Mails queued and not yet sent; 0 for the bare server, which sends none. */
    queuedMails: () => queuedMails?.get() ?? 0,
    async stop() {
      outbox?.close();
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
    autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options }, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** CPU time (user + system) the process has used so far, in µs; Linux clock ticks are 10 ms. */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};

/** Waits until the server has sent every mail it queued (two minutes at most); how long that took, in s, or NaN. */
async function mailsSent(server) {
  const started = performance.now();
  while (server.queuedMails() > 0 && performance.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 20));
  return server.queuedMails() === 0 ? (performance.now() - started) / 1000 : NaN;
}

/**
 * Runs autocannon against `server`. Besides throughput and p99: the server's CPU time per
 * answered request, which other load on a shared machine changes far less than throughput.
 */
async function load(server, options) {
  // Warmed up first, each server alike, so that the figures are its steady state and not the JIT
  // compiling it (our server has far more code to compile than the bare one); the warm-up's mails
  // are sent before the measured run starts.
  if (WARMUP > 0) {
    await cannon({ ...options, duration: WARMUP });
    await mailsSent(server);
  }
  const cpuBefore = cpuOf(server.pid);
  const result = await cannon(options);
  // The CPU time counts the mails of this run too: those the worker left for after the rush.
  const mailsAfter = await mailsSent(server);
  const ok = result['2xx'];
  return {
    rate: ok / SECONDS,
    p99: result.latency.p99,
    cpuPerRequest: (cpuOf(server.pid) - cpuBefore) / ok,
    mailsSent: mailsAfter,
    errors: result.non2xx + result.errors,
  };
}

const signing = (connections) => (server) =>
  load(server, {
    connections,
    url: `${server.url}${CAMPAIGN}/signatures`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: signature() }) }],
  });

const counting = (server) => load(server, { url: `${server.url}${CAMPAIGN}/count` });

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
  const figures = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (let round = 0; round < rounds; round++) {
    // Take turns, starting with a different one each round.
    const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]);
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

if (process.env.BENCH_BUILD !== 'off' && spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log(`\nbench: ${ROUNDS} rounds of ${SECONDS}s after ${WARMUP}s of warm-up, ${STREAMS} streams; medians\n`);

const rows = [['measure', 'bare node:http', 'cohesion-declaration', 'ours / bare', ...(COMPARE ? [COMPARE, 'it / bare'] : [])]];
/** A row of medians: `pick` takes the figure from each round's result. */
function row(label, figures, pick, digits = 0) {
  const [bare, ...builds] = KINDS.map((kind) => median(figures[kind].map(pick)));
  rows.push([label, fmt(bare, digits), ...builds.flatMap((build) => [fmt(build, digits), fmt(build / bare, 2)])]);
}
const errorsRow = (label, figures) =>
  rows.push([label, ...KINDS.flatMap((kind, i) => [figures[kind].reduce((sum, f) => sum + f.errors, 0), ...(i ? [''] : [])])]);

if (ONLY.has('signing')) {
  for (const connections of SIGNING_CONNECTIONS) {
    const sign = await measure(signing(connections), ROUNDS);
    const label = `signing, ${connections} connections`;
    row(`${label}, signatures/s`, sign, (f) => f.rate);
    row(`${label}, p99 ms`, sign, (f) => f.p99);
    row(`${label}, CPU µs per signature`, sign, (f) => f.cpuPerRequest);
    rows.push([
      `${label}, all its mails sent, s after`,
      '',
      ...KINDS.slice(1).flatMap((kind) => [fmt(median(sign[kind].map((f) => f.mailsSent)), 1), '']),
    ]);
    errorsRow(`${label}, errors`, sign);
  }
}
if (ONLY.has('count')) {
  const count = await measure(counting, ROUNDS);
  row(`GET /count, ${CONNECTIONS} connections, requests/s`, count, (f) => f.rate);
  row('GET /count, CPU µs per request', count, (f) => f.cpuPerRequest);
  errorsRow('GET /count, errors', count);
}
if (ONLY.has('fan-out')) {
  const fan = await measure(fanOut, Math.max(1, Math.min(ROUNDS, 2)));
  row(`fan-out to ${fmt(STREAMS)} streams, ms`, fan, (f) => f.ms);
  row('memory per open stream, KB', fan, (f) => f.perStream / 1024, 1);
  rows.push(['streams reached', ...KINDS.flatMap((kind, i) => [fmt(median(fan[kind].map((f) => f.reached))), ...(i ? [''] : [])])]);
}
table(rows);
console.log("\nCPU per request: the server process only (ours includes its store and the sending of the run's mails), from /proc.");
if (ONLY.has('fan-out')) console.log('Our fan-out includes the 250 ms coalescing window, by design.');

// Part of `npm run test:package` (scripts/check-package.mjs): a flow across processes on a real
// Redis, through the installed tarball, as a user would run it. A redis-server of its own (Debian's
// package) on a free loopback port; a driver in the consumer directory (plain .mjs/.cjs files that
// import the package by name) starts workers and invokers as child processes and SIGKILLs them
// mid-run:
//
// 1. ESM: a run started with `executor.start()`, whose orchestrating worker (which also runs the
//    flow's queued nodes) is SIGKILLed while a node runs on it; a new worker takes it over and
//    `wait()` gives the uninterrupted result, with no completed node run again.
// 2. CommonJS: the process that invoked a run is SIGKILLed after a local node stored its result,
//    while a node runs on a worker; invoking the same `runId` again finishes the run, running
//    each node once.
// 3. `executor.cancel()` from another process rejects a pending `wait()` with `AbortError`.
// 4. Every process exits on SIGTERM (workers close), and the redis-server stops.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Resolves once `child` printed `marker`; rejects if it exits first or after `ms`. */
function printed(child, marker, ms, what) {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not print "${marker}" in ${ms} ms:\n${out}`)), ms);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(marker)) {
        clearTimeout(timer);
        done(out);
      }
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code ?? signal}) before printing "${marker}":\n${out}`));
    });
  });
}

/** Ends `child` with `signal`, or SIGKILL after 5 s; resolves with whether it had to be forced. */
function ended(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(false);
  return new Promise((done) => {
    let forced = false;
    const force = setTimeout(() => {
      forced = true;
      child.kill('SIGKILL');
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done(forced);
    });
    child.kill(signal);
  });
}

/** The flow, its connection and its counters, in one module format or the other. */
function flowModule(format) {
  const head =
    format === 'esm'
      ? "import { buildDag } from 'async-dag';\nimport { Redis } from 'ioredis';"
      : "const { buildDag } = require('async-dag');\nconst { Redis } = require('ioredis');";
  const tail =
    format === 'esm'
      ? 'export { flow, connection, closeCounter };'
      : 'module.exports = { flow, connection, closeCounter };';
  return `${head}
const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT), maxRetriesPerRequest: null };
let counter;
// Each body counts its executions in Redis, shared by every process.
async function counted(ctx, node) {
  counter ??= new Redis(connection);
  await counter.incr('count:' + ctx.runId + ':' + node);
}
function closeCounter() {
  counter?.disconnect();
  counter = undefined;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A diamond: load (here) -> left, right (on workers) -> join (here). Values that are not JSON cross.
const flow = buildDag(
  (tm) => {
    const load = tm.with({ name: 'load' }).addNode(async (p, ctx) => {
      await counted(ctx, 'load');
      await sleep(p.ms);
      return { n: p.n + 1, at: new Date(Date.UTC(2026, 11, 4)) };
    });
    const left = tm.with({ name: 'left', queue: 'pkg-nodes' }).addNode(async (v, p, ctx) => {
      await counted(ctx, 'left');
      await sleep(p.ms * 6);
      return v.n * 2;
    }, load);
    const right = tm.with({ name: 'right', queue: 'pkg-nodes' }).addNode(async (v, p, ctx) => {
      await counted(ctx, 'right');
      await sleep(p.ms);
      return { tags: new Set(['r', String(v.at.getUTCFullYear())]), big: 10n ** 20n };
    }, load);
    tm.with({ name: 'join' }).addNode(async (l, r, p, ctx) => {
      await counted(ctx, 'join');
      return l + '|' + [...r.tags].join(',') + '|' + r.big;
    }, left, right);
  },
  { name: 'pkg-diamond' },
);
${tail}
`;
}

/** A worker serving the flow's queue of nodes and its started runs. */
function workerModule(format) {
  const head =
    format === 'esm'
      ? "import { DagWorker } from 'async-dag/bullmq';\nimport { flow, connection, closeCounter } from './procs-flow.mjs';"
      : "const { DagWorker } = require('async-dag/bullmq');\nconst { flow, connection, closeCounter } = require('./procs-flow.cjs');";
  return `${head}
const worker = new DagWorker({
  connection,
  queue: 'pkg-nodes',
  flows: [flow],
  runs: true,
  concurrency: 4,
  // A killed worker's jobs are taken over within about a second.
  workerOptions: { lockDuration: 1_000, stalledInterval: 500 },
});
process.once('SIGTERM', () => void worker.close().then(closeCounter));
worker.waitUntilReady().then(() => console.log('ready'));
`;
}

const invoker = `const { bullmqExecutor } = require('async-dag/bullmq');
const { flow, connection } = require('./procs-flow.cjs');
const executor = bullmqExecutor({ connection });
flow.invoke({ n: 20, ms: 300 }, { executor, runId: process.env.RUN_ID }).then((r) => console.log('done', r.get('join')));
console.log('ready');
`;

const canceller = `import { bullmqExecutor } from 'async-dag/bullmq';
import { connection } from './procs-flow.mjs';
const executor = bullmqExecutor({ connection });
await executor.cancel(process.env.RUN_ID, 'cancelled from another process');
await executor.close();
console.log('ready');
`;

const driver = `import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { DagAbortedError } from 'async-dag';
import { bullmqExecutor } from 'async-dag/bullmq';
import { flow, connection, closeCounter } from './procs-flow.mjs';

const children = [];
function start(file, env = {}) {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}
${printed.toString()}
${ended.toString()}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what, holds, ms = 20_000) {
  for (const deadline = Date.now() + ms; !(await holds()); await sleep(20)) {
    if (Date.now() > deadline) throw new Error('timed out waiting until ' + what);
  }
}
const redis = new Redis(connection);
const count = async (runId, node) => Number((await redis.get('count:' + runId + ':' + node)) ?? 0);
const counts = async (runId) =>
  Object.fromEntries(await Promise.all(['load', 'left', 'right', 'join'].map(async (n) => [n, await count(runId, n)])));
// Where the package keeps a run (its hash; a node's value under '=' and its name): internal, read here only to time the kills.
const stored = async (runId, node) => (await redis.hexists('async-dag:async-dag:run:' + runId, '=' + node)) === 1;
const shown = (result) => {
  const right = result.get('right');
  return { left: result.get('left'), tags: [...right.tags], big: typeof right.big + ' ' + right.big, join: result.get('join') };
};
const report = {};
const executor = bullmqExecutor({ connection });
try {
  const params = { n: 20, ms: 300 };
  report.expected = shown(await flow.invoke(params));

  // 1. A started run; its orchestrating worker is SIGKILLed while \`left\` runs on it.
  const first = start('procs-worker.mjs');
  await printed(first, 'ready', 20_000, 'worker');
  const started = 'pkg-started-' + process.pid;
  await executor.start(flow, params, { runId: started });
  await until('right is stored and left runs', async () => (await stored(started, 'right')) && (await count(started, 'left')) === 1);
  await ended(first, 'SIGKILL');
  const second = start('procs-worker.mjs');
  await printed(second, 'ready', 20_000, 'worker');
  const result = await executor.wait(flow, started);
  report.started = { result: shown(result), counts: await counts(started), status: await executor.status(started) };

  // 2. The process that invoked a run is SIGKILLed after \`load\` stored its result, while \`left\` runs.
  const invoked = 'pkg-invoked-' + process.pid;
  const dying = start('procs-invoker.cjs', { RUN_ID: invoked });
  await printed(dying, 'ready', 20_000, 'invoker');
  await until('load is stored and left runs', async () => (await stored(invoked, 'load')) && (await count(invoked, 'left')) === 1);
  await ended(dying, 'SIGKILL');
  const resumed = await flow.invoke(params, { executor, runId: invoked });
  report.invoked = { result: shown(resumed), counts: await counts(invoked) };
  // Invoked once more: the stored outcome, nothing run.
  report.invoked.again = shown(await flow.invoke(params, { executor, runId: invoked }));
  report.invoked.countsAfter = await counts(invoked);

  // 3. Cancelled from another process while this one waits for it.
  const cancelled = 'pkg-cancelled-' + process.pid;
  await executor.start(flow, { n: 1, ms: 2_000 }, { runId: cancelled });
  const waiting = executor.wait(flow, cancelled).then(() => 'resolved', (error) => error);
  await until('the run is running', async () => (await executor.status(cancelled)) === 'running');
  const cancelling = start('procs-cancel.mjs', { RUN_ID: cancelled });
  const code = await new Promise((done) => cancelling.once('close', done));
  if (code !== 0) throw new Error('the process that cancels exited with ' + code);
  const error = await waiting;
  report.cancelled = {
    name: error?.name,
    isDagAbortedError: error instanceof DagAbortedError,
    message: String(error?.message),
    status: await executor.status(cancelled),
    join: await count(cancelled, 'join'),
  };
} catch (error) {
  report.error = String(error?.stack ?? error);
} finally {
  await executor.close();
  closeCounter();
  redis.disconnect();
  report.forced = [];
  for (const child of children) if (await ended(child, 'SIGTERM')) report.forced.push(child.spawnargs.slice(1).join(' '));
  report.pids = children.map((child) => child.pid);
}
console.log(JSON.stringify(report));
`;

/**
 * Runs the checks above in `consumer` (where the tarball, bullmq and ioredis are installed),
 * recording each with `check`; `run(command, args, options)` runs a command to its end.
 */
export async function checkProcesses({ consumer, check, run }) {
  writeFileSync(join(consumer, 'procs-flow.mjs'), flowModule('esm'));
  writeFileSync(join(consumer, 'procs-flow.cjs'), flowModule('cjs'));
  writeFileSync(join(consumer, 'procs-worker.mjs'), workerModule('esm'));
  writeFileSync(join(consumer, 'procs-worker.cjs'), workerModule('cjs'));
  writeFileSync(join(consumer, 'procs-invoker.cjs'), invoker);
  writeFileSync(join(consumer, 'procs-cancel.mjs'), canceller);
  writeFileSync(join(consumer, 'procs-driver.mjs'), driver);

  let report;
  let server;
  const dir = mkdtempSync(join(tmpdir(), 'async-dag-package-redis-'));
  const t0 = performance.now();
  const driven = await (async () => {
    try {
      let port = 6379;
      while (port === 6379) port = await freePort();
      server = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      server.once('error', () => undefined);
      await printed(
        server,
        'Ready to accept connections',
        5_000,
        `${REDIS_SERVER} (is Debian's redis-server installed?)`,
      );
      const out = await run(process.execPath, ['procs-driver.mjs'], {
        cwd: consumer,
        env: { REDIS_PORT: String(port) },
        timeout: 120_000,
      });
      if (out.code !== 0) return new Error(`the driver exited with ${out.code}:\n${out.stderr}\n${out.stdout}`);
      report = JSON.parse(out.stdout.trim().split('\n').pop());
      return report.error === undefined ? undefined : new Error(report.error);
    } catch (error) {
      return error;
    } finally {
      if (server !== undefined) await ended(server, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  })();

  const took = `${((performance.now() - t0) / 1000).toFixed(1)} s for the four`;
  const sameAs = (what, got) => {
    if (JSON.stringify(got) !== JSON.stringify(report.expected))
      throw new Error(`${what} gave ${JSON.stringify(got)}, the uninterrupted run ${JSON.stringify(report.expected)}`);
  };
  const onceEach = (counts, except = []) => {
    const twice = Object.entries(counts).filter(([node, n]) => (except.includes(node) ? n < 1 || n > 2 : n !== 1));
    if (twice.length > 0) throw new Error(`nodes ran ${JSON.stringify(counts)} times`);
  };
  const reported = (what) => {
    if (driven !== undefined) throw driven;
    const part = report[what];
    if (part === undefined) throw new Error(`the driver reported no ${what}`);
    return part;
  };

  await check(
    'bullmq, ESM, across processes: a started run whose orchestrating worker is SIGKILLed mid-node is taken over; wait() gives the uninterrupted result',
    () => {
      const { result, counts, status } = reported('started');
      sameAs('wait()', result);
      // `left` was killed mid-body: it runs again (at least once); what completed ran once.
      onceEach(counts, ['left']);
      if (status !== 'fulfilled') throw new Error(`status() said ${status}`);
      return `node runs ${JSON.stringify(counts)}; ${took}`;
    },
  );
  await check(
    'bullmq, CommonJS invoker: a run whose invoking process is SIGKILLed finishes when its runId is invoked again, each node run once; invoked once more, it runs nothing',
    () => {
      const { result, counts, again, countsAfter } = reported('invoked');
      sameAs('the resumed invoke', result);
      onceEach(counts);
      sameAs('invoking the completed run again', again);
      if (JSON.stringify(countsAfter) !== JSON.stringify(counts))
        throw new Error(`invoking the completed run again ran nodes: ${JSON.stringify(countsAfter)}`);
    },
  );
  await check('bullmq: cancel() from another process rejects a pending wait() with AbortError', () => {
    const { name, isDagAbortedError, message, status, join } = reported('cancelled');
    if (name !== 'AbortError' || !isDagAbortedError) throw new Error(`wait() rejected with ${name}: ${message}`);
    if (!message.includes('cancelled from another process')) throw new Error(`the message was: ${message}`);
    if (status !== 'cancelled') throw new Error(`status() said ${status}`);
    if (join !== 0) throw new Error('the cancelled run went on to its last node');
  });
  await check('bullmq: every process started exits on SIGTERM, and the redis-server is stopped', () => {
    if (report === undefined) throw driven ?? new Error('the driver reported nothing');
    const alive = report.pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    const problems = [];
    if (report.forced.length > 0) problems.push(`needed SIGKILL after SIGTERM: ${report.forced.join('; ')}`);
    if (alive.length > 0) problems.push(`still running: ${alive.join(', ')}`);
    if (server?.exitCode === null && server?.signalCode === null) problems.push('the redis-server still runs');
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return `${report.pids.length} processes`;
  });
}

// Runs that outlive their caller: `executor.start()` puts a run on its flow's queue of runs, a
// `DagWorker` with `runs` (another process) orchestrates it, and `executor.wait()` reads its
// outcome from any process. Processes are SIGKILLed while they orchestrate: another takes the run
// over with no one invoking it again, and no node whose result was stored runs twice (the bodies
// count their executions in Redis).
import type { ChildProcess } from 'node:child_process';
import { buildDag, DagAbortedError, DagError, NodeFailedError } from 'async-dag';
import { Queue } from 'bullmq';
import { bullmqExecutor, DagWorker, type BullmqExecutor } from 'async-dag/bullmq';
import { Redis } from 'ioredis';
import { runJobIdOf } from '../../lib/bullmq/job-id';
import { runsQueueOf } from '../../lib/bullmq/job-data';
import { encodeValue } from '../../lib/bullmq/wire-codec';
import { killed, until } from '../helpers/processes';
import { startRedis, type RedisHarness } from '../helpers/redis-server';
import { sleep } from '../helpers/deferred';
import {
  closeCounter,
  countOf as countKilled,
  killRunKey,
  VALUE,
  killJobKey,
  expectedOutcome,
  KILL_PREFIX,
  killGraphs,
  killSpecs,
  seeded,
  type KillParams,
} from './fixtures/kill-graphs';

jest.setTimeout(60_000);

const RUNS = 'spec/bullmq/fixtures/runs-worker.ts';
const NODES = 'spec/bullmq/fixtures/kill-worker.ts';

let redis: RedisHarness;
let client: Redis;
let executor: BullmqExecutor;
/** Serves queue `kq`: the nodes on workers. */
let nodes: ChildProcess;
let runs = 0;

beforeAll(async () => {
  redis = await startRedis();
  try {
    client = new Redis({ host: '127.0.0.1', port: redis.port });
    process.env.REDIS_PORT = String(redis.port);
    executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: KILL_PREFIX });
    nodes = await redis.spawnWorker(NODES, {});
  } catch (error) {
    await redis.stop();
    throw error;
  }
});

afterAll(async () => {
  await executor?.close();
  closeCounter();
  client?.disconnect();
  await redis?.stop();
});

const runKey = killRunKey;
const countOf = (runId: string, node: string): Promise<number> => countKilled(client, runId, node);
const countsOf = async (runId: string, graph: string): Promise<Record<string, number>> =>
  Object.fromEntries(
    await Promise.all(killSpecs[graph]!.map(async (s) => [s.name, await countOf(runId, s.name)] as const)),
  );

/** The nodes whose outcome the run's hash holds (a value or a failure). */
async function storedNodes(runId: string, graph: string): Promise<string[]> {
  const fields = await client.hkeys(runKey(runId));
  return killSpecs[graph]!.map((s) => s.name).filter(
    (n) => fields.includes(VALUE + n) || fields.includes(`@failed:${n}`),
  );
}

/** The outcome as the kill fixtures report it, from what `wait()` settled with. */
async function settled(promise: Promise<{ status(name: string): string; get(name: string): unknown }>) {
  try {
    const result = await promise;
    const graph = killSpecs[currentGraph]!;
    const statuses = Object.fromEntries(graph.map((s) => [s.name, result.status(s.name)]));
    const values = Object.fromEntries(
      graph.filter((s) => statuses[s.name] === 'fulfilled').map((s) => [s.name, result.get(s.name) as number]),
    );
    return { ok: true, statuses, values };
  } catch (error) {
    const e = error as { name?: string; code?: string; node?: string };
    return { ok: false, name: e.name, code: e.code, node: e.node };
  }
}
let currentGraph = '';

describe('executor.start() and a DagWorker serving runs', () => {
  it('runs the flow in the process serving runs, and wait() in this one settles as invoke would', async () => {
    const orchestrator = await redis.spawnWorker(RUNS, {});
    try {
      currentGraph = 'kill-diamond';
      const params: KillParams = { ms: 30, failing: null };
      const runId = `started #${runs++}`;
      expect(await executor.status(runId)).toBe('unknown');
      expect(await executor.start(killGraphs['kill-diamond']!, params, { runId })).toBe(runId);
      expect(['pending', 'running']).toContain(await executor.status(runId));
      const outcome = await settled(executor.wait(killGraphs['kill-diamond']!, runId));
      expect(outcome).toEqual(expectedOutcome('kill-diamond', params, true));
      expect(await executor.status(runId)).toBe('fulfilled');
      // Every node ran once, none in this process (the replay of wait() ran nothing).
      expect(await countsOf(runId, 'kill-diamond')).toEqual({ top: 1, left: 1, right: 1, bottom: 1, tail: 1 });
      // Reading the outcome forgets the run: its node jobs now, its hash a minute later.
      await until(
        'the node jobs removed',
        async () => (await client.exists(await killJobKey(client, runId, 'left'))) === 0,
      );
      const ttl = await client.pttl(runKey(runId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // Starting it again starts nothing new: the same outcome, no body runs.
      await executor.start(killGraphs['kill-diamond']!, params, { runId });
      expect(await settled(executor.wait(killGraphs['kill-diamond']!, runId))).toEqual(outcome);
      expect(await countsOf(runId, 'kill-diamond')).toEqual({ top: 1, left: 1, right: 1, bottom: 1, tail: 1 });
      // The same runId with other params is another run: refused.
      await expect(
        executor.start(killGraphs['kill-diamond']!, { ms: 31, failing: null }, { runId }),
      ).rejects.toMatchObject({
        code: 'RUN_MISMATCH',
      });
    } finally {
      await killed(orchestrator);
    }
  });

  it('stores failures: a settle-mode run waited for, or invoked again, runs nothing and gives the same statuses', async () => {
    const orchestrator = await redis.spawnWorker(RUNS, {});
    try {
      currentGraph = 'kill-chain';
      const params: KillParams = { ms: 10, failing: 'c' };
      const runId = `settle #${runs++}`;
      await executor.start(killGraphs['kill-chain']!, params, { runId, failFast: false });
      const outcome = await settled(executor.wait(killGraphs['kill-chain']!, runId));
      expect(outcome).toEqual(expectedOutcome('kill-chain', params, false));
      const again = await killGraphs['kill-chain']!.invoke(params, { executor, runId, failFast: false });
      expect(again.status('c')).toBe('rejected');
      expect((again.errors[0]!.error as Error).message).toBe('c fails on purpose');
      expect(again.status('d')).toBe('skipped');
      expect(await countsOf(runId, 'kill-chain')).toEqual({ a: 1, b: 1, c: 1, d: 0, e: 0 });
    } finally {
      await killed(orchestrator);
    }
  });

  it('a run that failed fast: wait() rejects with its NodeFailedError, and invoking it again runs nothing', async () => {
    const orchestrator = await redis.spawnWorker(RUNS, {});
    try {
      currentGraph = 'kill-diamond';
      const params: KillParams = { ms: 40, failing: 'left' };
      const runId = `fail-fast #${runs++}`;
      await executor.start(killGraphs['kill-diamond']!, params, { runId });
      const error = (await executor
        .wait(killGraphs['kill-diamond']!, runId)
        .catch((e: unknown) => e)) as NodeFailedError;
      expect(error).toBeInstanceOf(NodeFailedError);
      expect(error.node).toBe('left');
      expect((error.cause as Error).message).toBe('left fails on purpose');
      expect(await executor.status(runId)).toBe('rejected');
      const before = await countsOf(runId, 'kill-diamond');
      const again = await killGraphs['kill-diamond']!.invoke(params, { executor, runId }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(NodeFailedError);
      expect((again as NodeFailedError).node).toBe('left');
      expect((again as NodeFailedError).partial.status('top')).toBe('fulfilled');
      expect(await countsOf(runId, 'kill-diamond')).toEqual(before);
      expect(before.left).toBe(1);
    } finally {
      await killed(orchestrator);
    }
  });

  it('cancels a started run by its runId: wait() rejects with DagAbortedError, and the status says so', async () => {
    const orchestrator = await redis.spawnWorker(RUNS, {});
    try {
      const runId = `cancelled #${runs++}`;
      await executor.start(killGraphs['kill-chain']!, { ms: 2_000, failing: null }, { runId });
      await until('node a running', async () => (await countOf(runId, 'a')) > 0);
      const waiting = executor.wait(killGraphs['kill-chain']!, runId).catch((e: unknown) => e);
      await executor.cancel(runId, 'not needed any more');
      const error = await waiting;
      expect(error).toBeInstanceOf(DagAbortedError);
      expect((error as Error).message).toContain('not needed any more');
      expect(await executor.status(runId)).toBe('cancelled');
      await sleep(300);
      expect(await countOf(runId, 'b')).toBe(0);
    } finally {
      await killed(orchestrator);
    }
  });

  it('a worker started after a run was cancelled, with no orchestrator alive, refuses its queued jobs', async () => {
    await killed(nodes);
    const orchestrator = await redis.spawnWorker(RUNS, {});
    const runId = `orphan #${runs++}`;
    try {
      await executor.start(killGraphs['kill-chain']!, { ms: 10, failing: null }, { runId });
      // `b` waits in queue kq, which no worker serves now.
      await until('b dispatched', async () => (await client.exists(await killJobKey(client, runId, 'b'))) === 1);
      await killed(orchestrator);
      await executor.cancel(runId, 'cancelled while nobody listened');
    } finally {
      nodes = await redis.spawnWorker(NODES, {});
    }
    await until(
      'b refused',
      async () => (await client.hexists(await killJobKey(client, runId, 'b'), 'finishedOn')) === 1,
    );
    expect(await countOf(runId, 'b')).toBe(0);
    expect(await executor.status(runId)).toBe('cancelled');
  });

  it('says what is wrong: an unknown runId, a run that was invoked rather than started, bad options', async () => {
    await expect(executor.wait(killGraphs['kill-chain']!, 'never-started')).rejects.toMatchObject({
      code: 'UNKNOWN_RUN',
    });
    const runId = `invoked #${runs++}`;
    await killGraphs['kill-chain']!.invoke({ ms: 1, failing: null }, { executor, runId });
    expect(await executor.status(runId)).toBe('fulfilled');
    await expect(executor.wait(killGraphs['kill-chain']!, runId)).rejects.toMatchObject({ code: 'NOT_STARTED' });
    await expect(
      executor.start(killGraphs['kill-chain']!, { ms: 1, failing: null }, { signal: AbortSignal.timeout(1) } as never),
    ).rejects.toThrow(/got the key `signal`/);
    await expect(executor.start({} as never, {} as never)).rejects.toThrow(TypeError);
    await expect(
      executor.start(killGraphs['kill-chain']!, { ms: 1, failing: null, bad: () => 1 } as never),
    ).rejects.toMatchObject({
      code: 'UNSERIALIZABLE_VALUE',
    });
    const controller = new AbortController();
    const started = await executor.start(killGraphs['kill-chain']!, { ms: 1, failing: null });
    const waiting = executor.wait(killGraphs['kill-chain']!, started, { signal: controller.signal });
    controller.abort('enough');
    await expect(waiting).rejects.toBeInstanceOf(DagAbortedError);
    expect(await executor.status(started)).toBe('pending');
    expect(() => new DagWorker({ connection: { host: '127.0.0.1', port: redis.port }, flows: [] } as never)).toThrow(
      /`queue` .* or `runs: true`/,
    );
    expect(
      () => new DagWorker({ connection: { host: '127.0.0.1', port: redis.port }, flows: [], runs: { concurrency: 0 } }),
    ).toThrow(/runs.concurrency/);
    expect(DagError).toBeDefined();
  });
});

describe('a started run whose orchestrating process is SIGKILLed', () => {
  /** Starts a run, kills its orchestrator once `when` holds, lets a new one take it over, and checks it. */
  async function takeover(
    graph: string,
    params: KillParams,
    failFast: boolean,
    when: (runId: string) => Promise<boolean>,
  ) {
    currentGraph = graph;
    const runId = `${graph} takeover #${runs++}`;
    const first = await redis.spawnWorker(RUNS, {});
    let second: ChildProcess | undefined;
    try {
      await executor.start(killGraphs[graph]!, params, { runId, failFast });
      await until(`the kill point of ${runId}`, () => when(runId));
      await killed(first);
      const storedAtKill = await storedNodes(runId, graph);
      expect(await executor.status(runId)).not.toMatch(/fulfilled|rejected/);
      // Nobody invokes it again: a process serving runs takes it over once its lock lapses.
      second = await redis.spawnWorker(RUNS, {});
      const outcome = await settled(executor.wait(killGraphs[graph]!, runId));
      expect(outcome).toEqual(expectedOutcome(graph, params, failFast));
      const counts = await countsOf(runId, graph);
      for (const name of storedAtKill) expect({ name, count: counts[name] }).toEqual({ name, count: 1 });
      return { storedAtKill, counts };
    } finally {
      await killed(first);
      if (second !== undefined) await killed(second);
    }
  }

  it('is taken over after a local node stored its result, and finishes with the uninterrupted result', async () => {
    const { storedAtKill } = await takeover(
      'kill-chain',
      { ms: 150, failing: null },
      true,
      async (runId) => (await client.hexists(runKey(runId), VALUE + 'c')) === 1,
    );
    expect(storedAtKill).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });

  it('is taken over while a node runs on a worker: that node is awaited, not started twice', async () => {
    const { counts } = await takeover(
      'kill-diamond',
      { ms: 300, failing: null },
      true,
      async (runId) => (await countOf(runId, 'left')) > 0,
    );
    expect(counts.left).toBe(1);
  });

  it('in settle mode with a failing node', async () => {
    await takeover(
      'kill-diamond',
      { ms: 150, failing: 'right' },
      false,
      async (runId) => (await countOf(runId, 'left')) > 0,
    );
  });

  it('finishes when the worker running one of its nodes is SIGKILLed: the job is taken over, the run goes on', async () => {
    currentGraph = 'kill-diamond';
    const params: KillParams = { ms: 300, failing: null };
    const runId = `worker killed #${runs++}`;
    const orchestrator = await redis.spawnWorker(RUNS, {});
    try {
      await executor.start(killGraphs['kill-diamond']!, params, { runId });
      await until('left running on the worker', async () => (await countOf(runId, 'left')) > 0);
      await killed(nodes);
      nodes = await redis.spawnWorker(NODES, {});
      expect(await settled(executor.wait(killGraphs['kill-diamond']!, runId))).toEqual(
        expectedOutcome('kill-diamond', params, true),
      );
      // At least once: the body cut short ran again; every other node once.
      expect(await countsOf(runId, 'kill-diamond')).toEqual({ top: 1, left: 2, right: 1, bottom: 1, tail: 1 });
    } finally {
      await killed(orchestrator);
    }
  });

  it('at seeded random points of random DAGs', async () => {
    const random = seeded(1204);
    for (const graph of ['kill-random-1', 'kill-random-2', 'kill-random-3']) {
      const specs = killSpecs[graph]!;
      const node = specs[Math.floor(random() * specs.length)]!.name;
      const failFast = random() < 0.5;
      await takeover(
        graph,
        { ms: 60, failing: null },
        failFast,
        async (runId) => (await countOf(runId, node)) > 0 || (await executor.status(runId)) === 'fulfilled',
      );
    }
  });
});

describe('started runs at their edges', () => {
  let orchestrator: ChildProcess;
  beforeAll(async () => {
    orchestrator = await redis.spawnWorker(RUNS, {});
  });
  afterAll(async () => {
    await killed(orchestrator);
  });

  it('ends a run whose job failed for good with RUN_FAILED, which wait() rejects with and status() reports', async () => {
    const runId = `failing #${runs++}`;
    const params: KillParams = { ms: 1, failing: null };
    const data = {
      v: 1,
      flow: 'kill-chain',
      runId,
      params: encodeValue(params, 'params'),
      failFast: true,
      concurrency: null,
      retention: 60_000,
    };
    const incarnation = 'i1';
    // Recorded as a run of another version of the flow: its orchestrator refuses it, and its
    // job (one try here; a thousand from start()) fails for good.
    await client.hset(
      killRunKey(runId),
      '@fingerprint',
      JSON.stringify({ flow: 'kill-chain', graph: 'another', params: 'version' }),
      '@start',
      JSON.stringify(data),
      '@incarnation',
      incarnation,
    );
    const queue = new Queue(runsQueueOf('kill-chain'), {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: KILL_PREFIX,
    });
    try {
      await queue.add('run', { ...data, incarnation }, { jobId: runJobIdOf(runId, incarnation), attempts: 1 });
      const error = (await executor.wait(killGraphs['kill-chain']!, runId).catch((e: unknown) => e)) as DagError;
      expect(error).toMatchObject({ name: 'DagError', code: 'RUN_FAILED' });
      expect(error.message).toContain(`Run "${runId}" of flow "kill-chain" could not be orchestrated`);
      expect(error.cause).toMatchObject({ code: 'RUN_MISMATCH' });
      expect(await executor.status(runId)).toBe('rejected');
      expect(await countOf(runId, 'a')).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('cancels the durable run when the caller aborts its signal: invoking it again rejects, running nothing', async () => {
    const runId = `aborted #${runs++}`;
    const params: KillParams = { ms: 400, failing: null };
    const controller = new AbortController();
    const running = killGraphs['kill-chain']!.invoke(params, { executor, runId, signal: controller.signal });
    await until('b running on the worker', async () => (await countOf(runId, 'b')) > 0);
    controller.abort('the request timed out');
    await expect(running).rejects.toBeInstanceOf(DagAbortedError);
    await until('the run marked cancelled', async () => (await executor.status(runId)) === 'cancelled');
    const again = await killGraphs['kill-chain']!.invoke(params, { executor, runId }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DagAbortedError);
    expect((again as Error).message).toContain('was cancelled');
    expect(await countsOf(runId, 'kill-chain')).toEqual({ a: 1, b: 1, c: 0, d: 0, e: 0 });
  });

  it('takes any runId, one that reads as a number included, and refuses an empty one', async () => {
    const params: KillParams = { ms: 1, failing: null };
    expect(await executor.start(killGraphs['kill-chain']!, params, { runId: '42' })).toBe('42');
    const result = await executor.wait(killGraphs['kill-chain']!, '42');
    expect(result.status('e')).toBe('fulfilled');
    await expect(executor.start(killGraphs['kill-chain']!, params, { runId: '' })).rejects.toThrow(
      'Expected `runId` to be a non-empty string, got `""` (string)',
    );
    await expect(executor.status('')).rejects.toThrow(TypeError);
    await expect(executor.wait(killGraphs['kill-chain']!, '')).rejects.toThrow(TypeError);
  });

  it('lets any number of processes wait for one run at once, each rebuilding the same result', async () => {
    const runId = `many waiters #${runs++}`;
    const params: KillParams = { ms: 50, failing: 'c' };
    await executor.start(killGraphs['kill-chain']!, params, { runId, failFast: false });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => executor.wait(killGraphs['kill-chain']!, runId)),
    );
    for (const result of results) expect(result.status('c')).toBe('rejected');
    expect(await countsOf(runId, 'kill-chain')).toEqual({ a: 1, b: 1, c: 1, d: 0, e: 0 });
  });

  it('counts retention from the end of a run, not from start() while the run waits for a worker', async () => {
    const short = bullmqExecutor({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: KILL_PREFIX,
      retention: 500,
    });
    const runId = `late worker #${runs++}`;
    await killed(orchestrator);
    try {
      await short.start(killGraphs['kill-chain']!, { ms: 1, failing: null }, { runId });
      await sleep(800);
      expect(await short.status(runId)).toBe('pending');
      orchestrator = await redis.spawnWorker(RUNS, {});
      expect((await short.wait(killGraphs['kill-chain']!, runId)).status('e')).toBe('fulfilled');
    } finally {
      await short.close();
    }
  });

  it('runs a flow with no node on a queue here, as without an executor, with params that need not cross', async () => {
    const local = buildDag<{ db: () => number }>(
      (tm) =>
        void tm.addNode(function answer(p: { db: () => number }) {
          return p.db();
        }),
      { name: 'local-only' },
    );
    const result = await local.invoke({ db: () => 42 }, { executor, runId: `local #${runs++}` });
    expect(result.status('answer')).toBe('fulfilled');
  });

  it('starts a flow with no node on a queue: its nodes run where the run is orchestrated, stored, and are not run by wait()', async () => {
    let calls = 0;
    const local = buildDag<number>(
      (tm) =>
        void tm.addNode(function double(n: number) {
          calls++;
          return n * 2;
        }),
      { name: 'local-started' },
    );
    const connection = { host: '127.0.0.1', port: redis.port };
    const served = new DagWorker({ connection, prefix: KILL_PREFIX, flows: [local], runs: true });
    try {
      await served.waitUntilReady();
      const runId = await executor.start(local, 21);
      expect((await executor.wait(local, runId)).get('double')).toBe(42);
      expect(calls).toBe(1);
    } finally {
      await served.close();
    }
  });

  it('rejects a wait with an aborted signal with DagAbortedError, and one cut short by close() with EXECUTOR_CLOSED', async () => {
    await expect(
      executor.wait(killGraphs['kill-chain']!, 'whatever', { signal: AbortSignal.abort('no') }),
    ).rejects.toBeInstanceOf(DagAbortedError);
    const closing = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: KILL_PREFIX });
    const runId = await closing.start(killGraphs['kill-chain']!, { ms: 1_000, failing: null });
    const waiting = closing.wait(killGraphs['kill-chain']!, runId).catch((e: unknown) => e);
    await sleep(100);
    await closing.close();
    expect(await waiting).toMatchObject({ code: 'EXECUTOR_CLOSED' });
  });

  it('refuses a worker that would serve nothing, and unknown keys in runs', () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    expect(() => new DagWorker({ connection, flows: [], runs: false } as never)).toThrow(/or `runs: true`/);
    expect(() => new DagWorker({ connection, flows: [], runs: { concurrency: 2, bogus: 1 } as never })).toThrow(
      'Expected `runs` to be a boolean or { concurrency? }, got the key `bogus`',
    );
  });
});

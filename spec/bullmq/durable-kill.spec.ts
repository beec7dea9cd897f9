// Durable runs under SIGKILL: a real redis-server, invoking processes and a worker process, each
// killed at a chosen point of a run (a node running, a node's result stored, a remote node just
// dispatched, a local node's result just computed and its store in flight). The run is then
// resumed by invoking its runId again from another process (or, for a killed worker, finished by
// a new worker taking the job over), and must give the result of an uninterrupted run, with no
// stored node run twice: every body counts its executions in Redis.
import type { ChildProcess } from 'node:child_process';
import { bullmqExecutor, type BullmqExecutor } from 'async-dag/bullmq';
import { Redis } from 'ioredis';
import { exited, killed, until } from '../helpers/processes';
import { startRedis, type RedisHarness } from '../helpers/redis-server';
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
  type KillOutcome,
  type KillParams,
  type NodeSpec,
} from './fixtures/kill-graphs';

jest.setTimeout(60_000);

const INVOKER = 'spec/bullmq/fixtures/kill-invoker.ts';
const WORKER = 'spec/bullmq/fixtures/kill-worker.ts';

interface Invoker {
  readonly id: string;
  readonly child: ChildProcess;
}

/** Where a run is interrupted. `running` and `stored` are seen by the test, the others by the invoker itself. */
interface KillPoint {
  readonly who: 'invoker' | 'worker';
  readonly node: string;
  readonly when: 'running' | 'stored' | 'dispatch' | 'fulfilled';
  /** ms after the point, for the invoker's own points. */
  readonly delay?: number;
}

interface KillCase {
  readonly graph: string;
  readonly failFast: boolean;
  readonly failing: string | null;
  readonly kill: KillPoint;
}

let redis: RedisHarness;
let client: Redis;
/** This process's executor, for what any process may do to a run (cancel it, invoke it again). */
let executor: BullmqExecutor;
let worker: ChildProcess;
let active: Invoker;
/** The next invoker, started while a case runs, so that a resume does not wait for a process to boot. */
let standby: Promise<Invoker>;
let invokers = 0;
let runs = 0;

function spawnInvoker(): Promise<Invoker> {
  const id = String(invokers++);
  return redis.spawnWorker(INVOKER, { INVOKER_ID: id }).then((child) => ({ id, child }));
}

beforeAll(async () => {
  redis = await startRedis();
  try {
    client = new Redis({ host: '127.0.0.1', port: redis.port });
    // Where the kill graphs' bodies count, for the runs this process orchestrates itself.
    process.env.REDIS_PORT = String(redis.port);
    executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: KILL_PREFIX });
    [worker, active] = await Promise.all([redis.spawnWorker(WORKER, {}), spawnInvoker()]);
    standby = spawnInvoker();
    await standby;
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
const jobKey = (runId: string, node: string): Promise<string> => killJobKey(client, runId, node);
const countOf = (runId: string, node: string): Promise<number> => countKilled(client, runId, node);

/** Whether node `node`'s result (or outcome, for a remote node) is in Redis. */
async function isStored(runId: string, node: string, queue: string | undefined): Promise<boolean> {
  if (queue === undefined) return (await client.hexists(runKey(runId), VALUE + node)) === 1;
  return (await client.hexists(await jobKey(runId, node), 'finishedOn')) === 1;
}

async function storedNodes(runId: string, graph: string): Promise<string[]> {
  const stored: string[] = [];
  for (const spec of killSpecs[graph]!) if (await isStored(runId, spec.name, spec.queue)) stored.push(spec.name);
  return stored;
}

function send(invoker: Invoker, command: object): Promise<number> {
  return client.rpush(`${KILL_PREFIX}:cmd:${invoker.id}`, JSON.stringify(command));
}

async function outcomeOf(runId: string): Promise<KillOutcome> {
  const key = `${KILL_PREFIX}:outcome:${runId}`;
  await until(`the outcome of run ${runId}`, async () => (await client.llen(key)) > 0, 40_000);
  return JSON.parse((await client.lindex(key, 0))!) as KillOutcome;
}

/** Runs one case: invoke, kill at the point, resume or take over, and check the invariants. */
async function check({ graph, failFast, failing, kill }: KillCase): Promise<void> {
  const specs = killSpecs[graph]!;
  const queueOf = (name: string) => specs.find((s) => s.name === name)!.queue;
  // Any character may be in a runId: this one has a dot, a colon and a space.
  const runId = `${graph}.${kill.who} ${kill.when}:${kill.node}#${runs++}`;
  const params: KillParams = { ms: 80, failing };
  const command = { graph, runId, params, failFast };
  const selfKill = kill.when === 'dispatch' || kill.when === 'fulfilled';
  await send(
    active,
    selfKill ? { ...command, killAt: { node: kill.node, when: kill.when, delay: kill.delay ?? 0 } } : command,
  );

  const victim = kill.who === 'invoker' ? active.child : worker;
  if (selfKill) await exited(victim);
  else {
    const seen =
      kill.when === 'running'
        ? async () => (await countOf(runId, kill.node)) > 0
        : () => isStored(runId, kill.node, queueOf(kill.node));
    await until(`${kill.when} ${kill.node}`, seen);
    await killed(victim);
  }
  const storedAtKill = await storedNodes(runId, graph);

  if (kill.who === 'invoker') {
    // The next process takes over before any assertion, so that one failing case leaves the
    // others a live invoker.
    const dead = active;
    active = await standby;
    standby = spawnInvoker();
    standby.catch(() => undefined);
    // The kill interrupted the run: the killed process reported no outcome.
    expect({ invoker: dead.id, outcomes: await client.llen(`${KILL_PREFIX}:outcome:${runId}`) }).toEqual({
      invoker: dead.id,
      outcomes: 0,
    });
    // The lease lapses 3 s after its process died (workers.spec pins that); dropping it spares
    // those 3 s per case. The process is dead, so nothing renews it.
    await client.del(`${runKey(runId)}:lease`);
    await send(active, command);
  } else {
    worker = await redis.spawnWorker(WORKER, {});
  }

  const outcome = await outcomeOf(runId);
  expect(outcome).toEqual(expectedOutcome(graph, params, failFast));

  const expected = expectedOutcome(graph, params, false);
  const counts = Object.fromEntries(await Promise.all(specs.map(async (s) => [s.name, await countOf(runId, s.name)])));
  for (const spec of specs) {
    const count = counts[spec.name] as number;
    const why = `node ${spec.name} (${spec.queue ?? 'local'}) ran ${count} times; stored at kill: ${storedAtKill.join(',')}`;
    if (storedAtKill.includes(spec.name)) expect({ why, count }).toEqual({ why, count: 1 });
    // A remote node's job outlives the invoking process: the resume awaits it, never starts it again.
    else if (kill.who === 'invoker' && spec.queue !== undefined && outcome.ok) {
      expect({ why, count: Math.min(count, 2) }).toEqual({
        why,
        count: expected.ok && expected.statuses[spec.name] === 'skipped' ? 0 : 1,
      });
    }
    if (outcome.ok && outcome.statuses[spec.name] === 'skipped') expect({ why, count }).toEqual({ why, count: 0 });
  }
}

describe('a durable run killed at a chosen point finishes as an uninterrupted run, no stored node run twice', () => {
  const cases: [string, KillCase][] = [
    [
      'chain, fail fast: invoker killed after local node c stored its result',
      { graph: 'kill-chain', failFast: true, failing: null, kill: { who: 'invoker', node: 'c', when: 'stored' } },
    ],
    [
      'chain, settle: invoker killed while remote node d runs on a worker',
      { graph: 'kill-chain', failFast: false, failing: 'e', kill: { who: 'invoker', node: 'd', when: 'running' } },
    ],
    [
      'chain, fail fast: invoker killed between dispatch of remote node b and its store',
      {
        graph: 'kill-chain',
        failFast: true,
        failing: null,
        kill: { who: 'invoker', node: 'b', when: 'dispatch', delay: 1 },
      },
    ],
    [
      'chain, fail fast: a worker killed while remote node b runs',
      { graph: 'kill-chain', failFast: true, failing: null, kill: { who: 'worker', node: 'b', when: 'running' } },
    ],
    [
      'diamond, fail fast: invoker killed while local node right is stored',
      {
        graph: 'kill-diamond',
        failFast: true,
        failing: null,
        kill: { who: 'invoker', node: 'right', when: 'fulfilled' },
      },
    ],
    [
      'diamond, settle: invoker killed after remote node left stored its outcome',
      {
        graph: 'kill-diamond',
        failFast: false,
        failing: 'tail',
        kill: { who: 'invoker', node: 'left', when: 'stored' },
      },
    ],
    [
      'diamond, settle: a worker killed while remote node bottom runs',
      {
        graph: 'kill-diamond',
        failFast: false,
        failing: null,
        kill: { who: 'worker', node: 'bottom', when: 'running' },
      },
    ],
    [
      'diamond, fail fast: invoker killed at dispatch of remote node left',
      {
        graph: 'kill-diamond',
        failFast: true,
        failing: null,
        kill: { who: 'invoker', node: 'left', when: 'dispatch', delay: 0 },
      },
    ],
    [
      'chain, fail fast with a failing node: invoker killed after c stored; the resume fails as the run would',
      { graph: 'kill-chain', failFast: true, failing: 'e', kill: { who: 'invoker', node: 'c', when: 'stored' } },
    ],
    [
      'random DAG, fail fast: invoker killed while remote node r5 runs',
      { graph: 'kill-random-1', failFast: true, failing: null, kill: { who: 'invoker', node: 'r5', when: 'running' } },
    ],
    [
      'random DAG, settle with r2 failing: invoker killed after local node r4 stored',
      { graph: 'kill-random-2', failFast: false, failing: 'r2', kill: { who: 'invoker', node: 'r4', when: 'stored' } },
    ],
    [
      'random DAG, fail fast: a worker killed while remote node r1 runs',
      { graph: 'kill-random-3', failFast: true, failing: null, kill: { who: 'worker', node: 'r1', when: 'running' } },
    ],
    [
      'random DAG, settle with r6 failing: invoker killed at dispatch of remote node r2',
      {
        graph: 'kill-random-3',
        failFast: false,
        failing: 'r6',
        kill: { who: 'invoker', node: 'r2', when: 'dispatch', delay: 2 },
      },
    ],
  ];
  it.each(cases)('%s', async (_, killCase) => {
    await check(killCase);
  });
});

/**
 * A random case from a seed: a random DAG, fail fast or settle (with, in settle mode, maybe a node
 * that fails), and a kill point on a node that runs and has a dependent that runs, so that the
 * kill interrupts the run.
 */
function randomCase(seed: number): KillCase {
  const random = seeded(seed);
  const choose = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (;;) {
    const graph = choose(['kill-random-1', 'kill-random-2', 'kill-random-3', 'kill-random-4']);
    const specs = killSpecs[graph]!;
    const failFast = random() < 0.5;
    const failing = failFast || random() < 0.5 ? null : choose(specs).name;
    const expected = expectedOutcome(graph, { ms: 0, failing }, false);
    const runs = (name: string): boolean => expected.ok && expected.statuses[name] === 'fulfilled';
    const candidates = specs.filter((s) => runs(s.name) && specs.some((d) => d.deps.includes(s.name) && runs(d.name)));
    // A failing node may leave no node with a running dependent: draw again.
    if (candidates.length > 0) return { graph, failFast, failing, kill: pointOn(choose(candidates), random, choose) };
  }
}

function pointOn(target: NodeSpec, random: () => number, choose: <T>(items: readonly T[]) => T): KillPoint {
  const points: KillPoint[] =
    target.queue === undefined
      ? [
          { who: 'invoker', node: target.name, when: 'running' },
          { who: 'invoker', node: target.name, when: 'stored' },
          { who: 'invoker', node: target.name, when: 'fulfilled', delay: Math.floor(random() * 3) },
        ]
      : [
          { who: 'invoker', node: target.name, when: 'running' },
          { who: 'invoker', node: target.name, when: 'stored' },
          { who: 'invoker', node: target.name, when: 'dispatch', delay: Math.floor(random() * 3) },
          { who: 'worker', node: target.name, when: 'running' },
        ];
  return choose(points);
}

describe('durable runs killed at random points (seeded: a failing seed reproduces its case)', () => {
  const seeds = [101, 202, 303, 404, 505, 606];
  it.each(seeds)('seed %i', async (seed) => {
    await check(randomCase(seed));
  });
});

describe('cancelling a durable run by runId, from another process', () => {
  it("rejects the orchestrator's invoke with DagAbortedError, aborts ctx.signal on the worker, starts nothing more", async () => {
    const runId = `cancelled:${runs++}`;
    const params: KillParams = { ms: 1_500, failing: null };
    await send(active, { graph: 'kill-chain', runId, params, failFast: true });
    await until('remote node b running', async () => (await countOf(runId, 'b')) > 0);
    const cancelledAt = Date.now();
    await executor.cancel(runId, 'an operator said so');
    const outcome = await outcomeOf(runId);
    expect(outcome).toEqual({ ok: false, name: 'AbortError', code: 'ABORTED', node: undefined });
    // Promptly: long before b's 1.5 s body would have ended.
    expect(Date.now() - cancelledAt).toBeLessThan(1_200);
    await until(
      'b to see its ctx.signal abort',
      async () => (await client.get(`${KILL_PREFIX}:aborted:${runId}:b`)) === '1',
    );
    await new Promise((r) => setTimeout(r, 300));
    const counts = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((node) => countOf(runId, node)));
    expect(counts).toEqual([1, 1, 0, 0, 0]);

    // A cancelled run is never resumed: invoking it again, from any process, runs nothing.
    await expect(killGraphs['kill-chain']!.invoke(params, { executor, runId })).rejects.toMatchObject({
      name: 'AbortError',
      code: 'ABORTED',
      message: expect.stringContaining('an operator said so'),
    });
    expect(await countOf(runId, 'a')).toBe(1);
  });

  it('stops a run whose orchestrator died: its queued jobs are refused, and it is not resumed', async () => {
    const runId = `cancelled-orphan:${runs++}`;
    const params: KillParams = { ms: 600, failing: null };
    await send(active, { graph: 'kill-diamond', runId, params, failFast: true });
    await until('remote node left running', async () => (await countOf(runId, 'left')) > 0);
    const dead = active;
    active = await standby;
    standby = spawnInvoker();
    standby.catch(() => undefined);
    await killed(dead.child);
    await executor.cancel(runId);
    await until(
      'left to see its ctx.signal abort',
      async () => (await client.get(`${KILL_PREFIX}:aborted:${runId}:left`)) === '1',
    );
    await client.del(`${runKey(runId)}:lease`);
    await send(active, { graph: 'kill-diamond', runId, params, failFast: true });
    expect(await outcomeOf(runId)).toMatchObject({ ok: false, name: 'AbortError', code: 'ABORTED' });
    expect(await countOf(runId, 'bottom')).toBe(0);
  });

  it('refuses a runId that is not a string with a TypeError', async () => {
    await expect(executor.cancel(42 as unknown as string)).rejects.toThrow(
      new TypeError('Expected `runId` to be a non-empty string, got `42` (number)'),
    );
  });
});

describe('retention', () => {
  it("keeps a run's stored state `retention` ms after its invocation ended, then forgets it: its runId starts anew", async () => {
    const short = bullmqExecutor({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: KILL_PREFIX,
      retention: 1_000,
    });
    try {
      const runId = `retained:${runs++}`;
      const params: KillParams = { ms: 1, failing: null };
      const chain = killGraphs['kill-chain']!;
      const first = await chain.invoke(params, { executor: short, runId });
      const ttl = await client.pttl(runKey(runId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
      const job = JSON.parse((await client.hget(await jobKey(runId, 'b'), 'opts'))!) as { removeOnComplete: unknown };
      expect(job.removeOnComplete).toEqual({ age: 1 });

      // Within retention: the stored outcome, nothing run again.
      await chain.invoke(params, { executor: short, runId });
      expect(await countOf(runId, 'a')).toBe(1);
      await until('the run to be forgotten', async () => (await client.exists(runKey(runId))) === 0, 5_000);
      // Past it: a new run under the same id.
      const again = await chain.invoke(params, { executor: short, runId });
      expect(again.get('e')).toBe(first.get('e'));
      expect(await countOf(runId, 'a')).toBe(2);
    } finally {
      await short.close();
    }
  });

  it('refuses a retention that is not a whole number of ms from 1 up, with a TypeError', () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    expect(() => bullmqExecutor({ connection, retention: 0 })).toThrow(
      new TypeError('Expected `retention` to be a whole number of ms from 1 and up, got `0` (number)'),
    );
    expect(() => bullmqExecutor({ connection, retention: '1h' as unknown as number })).toThrow(TypeError);
  });
});

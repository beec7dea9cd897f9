// Runs flows across real processes: this one invokes, two worker child processes serve the
// queues `render` and `io`, on a redis-server of the test's own.
import {
  Dag,
  DagAbortedError,
  DagError,
  node,
  NodeFailedError,
  NodeTimeoutError,
  type ExecutionResult,
} from 'async-dag';
import { bullmqExecutor, type BullmqExecutor } from 'async-dag/bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { encodeIdPart } from '../../lib/bullmq/job-id';
import { INCARNATION, runKeyOf, stopChannelOf, stoppedRunOf } from '../../lib/bullmq/job-data';
import { startRedis, type RedisHarness } from '../helpers/redis-server';
import { DurableFlow, ReportFlow, SlowFlow, TrialFlow, wideGraph } from './fixtures/flows';

jest.setTimeout(30_000);

const PREFIX = 'spec';
const WORKER = 'spec/bullmq/fixtures/worker-main.ts';
const INVOKER = 'spec/bullmq/fixtures/invoke-main.ts';

let redis: RedisHarness;
let executor: BullmqExecutor;
let logs: Redis;
const workerPids: number[] = [];

beforeAll(async () => {
  redis = await startRedis();
  try {
    const workers = await Promise.all(
      ['render', 'io'].map((queue) => redis.spawnWorker(WORKER, { QUEUE: queue, PREFIX, CONCURRENCY: '4' })),
    );
    workerPids.push(...workers.map((w) => w.pid!));
    executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: PREFIX });
    logs = new Redis({ host: '127.0.0.1', port: redis.port });
  } catch (error) {
    await redis.stop();
    throw error;
  }
});

afterAll(async () => {
  await executor?.close();
  logs?.disconnect();
  await redis?.stop();
});

/** The lines the worker nodes logged for `runId`, once `until` is among them (or after 3 s). */
async function logged(runId: string, until: (lines: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const lines = (await logs.lrange(`${PREFIX}:log`, 0, -1)).filter((l) => l.includes(runId));
    if (until(lines) || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const noLog = (): void => undefined;
const entry = (result: Pick<ExecutionResult, 'trace'>, name: string) =>
  result.trace.nodes.find((n) => n.name === name)!;

describe('a flow with nodes on two queues, across three processes', () => {
  it('gives the same results as in-process, with remote nodes run by the workers', async () => {
    const params = { base: 4, ms: 40 };
    const local = await new ReportFlow(noLog).invoke(params);
    const remote = await new ReportFlow(noLog).invoke(params, { executor, runId: 'report-1' });
    for (const name of ['load', 'fetch', 'quick', 'late', 'combine'] as const)
      expect(remote.get(name)).toEqual(local.get(name));
    expect(remote.get('render')).toEqual({ page: 50, renderedBy: expect.any(Number) });
    expect((remote.get('render') as { renderedBy: number }).renderedBy).not.toBe(process.pid);
    expect(workerPids).toContain((remote.get('render') as { renderedBy: number }).renderedBy);
    // Dates cross as Dates.
    expect((remote.get('fetch') as unknown[])[2]).toEqual(new Date(Date.UTC(2026, 11, 3)));
    expect(remote.trace.nodes.map((n) => n.status)).toEqual(local.trace.nodes.map((n) => n.status));
  });

  it('starts each node as soon as its dependencies resolve, wherever it runs (no levels)', async () => {
    const result = await new ReportFlow(noLog).invoke({ base: 1, ms: 150 }, { executor });
    const [load, render, fetch, quick, late, combine] = ['load', 'render', 'fetch', 'quick', 'late', 'combine'].map(
      (name) => entry(result, name),
    );
    // `late` needs only `quick` (75 ms): it starts long before `fetch` (300 ms) ends.
    expect(late!.start!).toBeGreaterThanOrEqual(quick!.end! - 1);
    expect(late!.start!).toBeLessThan(fetch!.end! - 100);
    // render and fetch start after load, and overlap; combine starts after both, not much later.
    expect(render!.start!).toBeGreaterThanOrEqual(load!.end! - 1);
    expect(render!.start!).toBeLessThan(fetch!.end!);
    expect(combine!.start!).toBeGreaterThanOrEqual(Math.max(render!.end!, fetch!.end!) - 1);
    expect(combine!.start! - fetch!.end!).toBeLessThan(50);
    // The queue wait shows as `queued` on remote nodes only.
    expect(render!.queued).toBeGreaterThanOrEqual(0);
    expect(load!.queued).toBeUndefined();
  });

  it('keeps `concurrency` over all nodes of the run, on every worker', async () => {
    const result = await wideGraph.invoke({ ms: 120 }, { executor, concurrency: 3 });
    const spans = result.trace.nodes.map((n) => result.get(n.name) as { start: number; end: number });
    const points = spans.flatMap((s) => [
      [s.start, 1],
      [s.end, -1],
    ]);
    points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let running = 0;
    let most = 0;
    for (const [, delta] of points) most = Math.max(most, (running += delta!));
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThanOrEqual(2);
  });
});

describe('failures across processes', () => {
  it('fails fast with the worker error revived (name, message, code, stack)', async () => {
    const runId = `fail-fast-${Date.now()}`;
    const error = await new TrialFlow(noLog).invoke({ mode: 'fail' }, { executor, runId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    const failed = error as NodeFailedError;
    expect(failed.node).toBe('first');
    expect(failed.cause).toBeInstanceOf(RangeError);
    expect(failed.cause).toMatchObject({
      name: 'RangeError',
      message: 'render exploded',
      code: 'E_RENDER',
      detail: { page: 3 },
    });
    expect((failed.cause as Error).stack).toContain('flows.ts');
    expect(failed.partial.status('afterFirst')).toBe('skipped');
  });

  it('aborts the worker-side ctx.signal of a running node when another node fails (fail fast)', async () => {
    const runId = `abort-on-fail-${Date.now()}`;
    // `first` hangs on render; `flaky` (io, timeout 150 ms) times out: 3 attempts, ~450 ms.
    const started = Date.now();
    const error = await new TrialFlow(noLog).invoke({ mode: 'hang' }, { executor, runId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).node).toBe('flaky');
    expect(Date.now() - started).toBeLessThan(3_000);
    const lines = await logged(runId, (l) => l.some((x) => x.includes('hang aborted')));
    expect(lines).toContain(`render hang aborted ${runId} AbortError`);
  });

  it('enforces the timeout on the worker, reviving NodeTimeoutError, and retries with ctx.attempt counted', async () => {
    const runId = `timeout-${Date.now()}`;
    const result = await new TrialFlow(noLog).invoke({ mode: 'timeout' }, { executor, runId, failFast: false });
    expect(result.status('flaky')).toBe('rejected');
    expect(result.status('local')).toBe('skipped');
    expect(result.status('first')).toBe('fulfilled');
    const { error } = result.errors.find((e) => e.node === 'flaky')!;
    expect(error).toBeInstanceOf(NodeTimeoutError);
    expect(error).toMatchObject({ code: 'NODE_TIMEOUT', node: 'flaky', timeout: 150 });
    expect(entry(result, 'flaky').attempts).toBe(3);
    const lines = await logged(runId, (l) => l.filter((x) => x.includes('flaky aborted')).length >= 3);
    expect(lines.filter((l) => l.startsWith('io flaky attempt'))).toEqual([
      `io flaky attempt 1 ${runId}`,
      `io flaky attempt 2 ${runId}`,
      `io flaky attempt 3 ${runId}`,
    ]);
    expect(lines.filter((l) => l.includes('flaky aborted'))).toHaveLength(3);
  });

  it('retries a failing remote node, each attempt a new job, ctx.attempt counting from 1', async () => {
    const result = await new TrialFlow(noLog).invoke({ mode: 'retry' }, { executor });
    expect(result.get('flaky')).toBe(3);
    expect(result.get('local')).toBe('local 3');
    expect(entry(result, 'flaky').attempts).toBe(3);
  });

  it('settle mode: runs every node that does not depend on a failure, and lists the failure', async () => {
    const result = await new TrialFlow(noLog).invoke({ mode: 'fail' }, { executor, failFast: false });
    expect(result.status('first')).toBe('rejected');
    expect(result.status('afterFirst')).toBe('skipped');
    expect(result.get('flaky')).toBe(1);
    expect(result.get('local')).toBe('local 1');
    expect(result.errors.map((e) => [e.node, (e.error as Error).message])).toEqual([['first', 'render exploded']]);
  });

  it('cancels through `signal`: invoke rejects promptly and the worker node sees ctx.signal abort', async () => {
    const runId = `cancel-${Date.now()}`;
    const controller = new AbortController();
    const running = new TrialFlow(noLog).invoke({ mode: 'hang' }, { executor, runId, signal: controller.signal });
    await logged(runId, (l) => l.some((x) => x.includes('hang start')));
    const aborted = Date.now();
    controller.abort(new Error('client went away'));
    await expect(running).rejects.toBeInstanceOf(DagAbortedError);
    expect(Date.now() - aborted).toBeLessThan(100);
    const lines = await logged(runId, (l) => l.some((x) => x.includes('hang aborted')));
    expect(lines).toContain(`render hang aborted ${runId} AbortError`);
  });
});

describe('values across processes', () => {
  it('round-trips plain data, undefined, NaN, -0, BigInt, Date, RegExp, Map, Set, typed arrays and Errors', async () => {
    const value = {
      text: 'é 🚀',
      missing: undefined,
      nan: NaN,
      negativeZero: -0,
      infinity: -Infinity,
      big: 12345678901234567890n,
      when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      pattern: /a+b/gi,
      map: new Map<unknown, unknown>([
        ['k', { deep: [1, undefined, 3] }],
        [2, new Set(['x'])],
      ]),
      set: new Set([1, 'two']),
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float64Array([0.5, -1]),
      error: Object.assign(new TypeError('bad'), { code: 'E_BAD' }),
      $: 'a key that looks like a tag',
      list: [null, true, 'x', [new Date(0)]],
    };
    const result = await new TrialFlow(noLog).invoke({ mode: 'echo', value }, { executor });
    const back = result.get('first') as typeof value;
    expect(back).toEqual(value);
    expect(Object.keys(back)).toEqual(Object.keys(value));
    expect('missing' in back).toBe(true);
    expect(Object.is(back.negativeZero, -0)).toBe(true);
    expect(back.when).toBeInstanceOf(Date);
    expect(back.map).toBeInstanceOf(Map);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(back.error).toBeInstanceOf(TypeError);
    expect(back.error).toMatchObject({ message: 'bad', code: 'E_BAD' });
    expect(back.pattern.flags).toBe('gi');
  });

  it('fails the node whose result cannot cross with a DagError naming the node and the place', async () => {
    const error = await new TrialFlow(noLog).invoke({ mode: 'unserializable' }, { executor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    const cause = (error as NodeFailedError).cause as DagError;
    expect(cause).toBeInstanceOf(DagError);
    expect(cause.code).toBe('UNSERIALIZABLE_VALUE');
    expect(cause.message).toContain('Node "first"');
    expect(cause.message).toContain('result.user.save is a function (save)');
  });

  it('rejects params that cannot cross before any node starts', async () => {
    let loaded = false;
    class Probe extends Dag<{ db: unknown }> {
      @node() load() {
        loaded = true;
      }
      @node('load', { queue: 'render' }) remote() {
        return 1;
      }
    }
    const error = await new Probe().invoke({ db: { query: () => 1 } }, { executor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DagError);
    expect((error as DagError).code).toBe('UNSERIALIZABLE_VALUE');
    expect((error as DagError).message).toContain('params.db.query is a function');
    expect(loaded).toBe(false);
  });
});

describe('what a worker refuses', () => {
  it('fails a node of a flow the worker does not know, naming the flow and the node', async () => {
    class Stranger extends Dag {
      @node({ queue: 'render' }) visit() {
        return 'should not run';
      }
    }
    const error = await new Stranger().invoke(undefined, { executor }).catch((e: unknown) => e);
    const cause = (error as NodeFailedError).cause as DagError;
    expect(cause).toBeInstanceOf(DagError);
    expect(cause.code).toBe('UNKNOWN_FLOW');
    expect(cause.message).toContain('flow "Stranger"');
    expect(cause.message).toContain('node "visit"');
    expect(cause.message).toContain('Its flows: ReportFlow, TrialFlow, SlowFlow, DurableFlow, wide.');
  });

  it('refuses a job naming an ordinary method, a prototype member or a node on another queue', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const queue = new Queue('render', { connection, prefix: PREFIX });
    try {
      const outcomes: string[] = [];
      for (const [flow, name] of [
        ['TrialFlow', 'constructor'],
        ['TrialFlow', '__proto__'],
        ['TrialFlow', 'invoke'],
        ['ReportFlow', 'fetch'],
        ['ReportFlow', 'load'],
      ] as const) {
        const job = await queue.add(name, {
          v: 1,
          flow,
          node: name,
          runId: 'forged',
          incarnation: 'forged',
          attempt: 1,
          timeout: null,
          params: { mode: 'echo' },
          args: [],
        });
        // Polled rather than awaited through QueueEvents: a fresh QueueEvents may miss an event
        // that comes before its first read of the stream.
        let outcome: { ok: boolean; error: { props: { code: string } } } | undefined;
        for (let waited = 0; outcome === undefined && waited < 5_000; waited += 20) {
          const stored = await queue.getJob(job.id!);
          outcome = (stored?.returnvalue ?? undefined) as typeof outcome;
          if (outcome === undefined) await new Promise((r) => setTimeout(r, 20));
        }
        expect(outcome).toBeDefined();
        if (outcome === undefined) return;
        expect(outcome.ok).toBe(false);
        outcomes.push(outcome.error.props.code);
      }
      expect(outcomes).toEqual(['UNKNOWN_NODE', 'UNKNOWN_NODE', 'UNKNOWN_NODE', 'UNKNOWN_NODE', 'UNKNOWN_NODE']);
    } finally {
      await queue.close();
    }
  });
});

describe('run ids and closing', () => {
  it('takes any character in a runId (job ids are encoded), and gives it to ctx.runId on the worker', async () => {
    const runId = 'tenant:42/report.2026 ü 🚀 "q"';
    const result = await new TrialFlow(noLog).invoke({ mode: 'retry' }, { executor, runId });
    expect(result.get('flaky')).toBe(3);
    const lines = await logged(runId, (l) => l.length >= 3);
    expect(lines).toContain(`io flaky attempt 3 ${runId}`);
  });

  it('rejects a run still waiting on a worker when its executor closes, with DagError EXECUTOR_CLOSED', async () => {
    const own = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: PREFIX });
    const runId = `closing-${Date.now()}`;
    const running = new TrialFlow(noLog).invoke({ mode: 'hang' }, { executor: own, runId }).catch((e: unknown) => e);
    await logged(runId, (l) => l.some((x) => x.includes('hang start')));
    await own.close();
    const error = (await running) as DagError;
    expect(error).toBeInstanceOf(DagError);
    expect(error.code).toBe('EXECUTOR_CLOSED');
    await expect(new TrialFlow(noLog).invoke({ mode: 'echo' }, { executor: own })).rejects.toMatchObject({
      code: 'EXECUTOR_CLOSED',
    });
    // Its job is still running on the worker (a closed executor leaves its runs resumable): stop it
    // as an executor would, on the stop channel.
    const incarnation = (await logs.hget(runKeyOf(PREFIX, runId), INCARNATION))!;
    await logs.publish(stopChannelOf(PREFIX), stoppedRunOf(runId, incarnation));
    const lines = await logged(runId, (l) => l.some((x) => x.includes('hang aborted')));
    expect(lines).toContain(`render hang aborted ${runId} AbortError`);
  });
});

describe('observers and durable job identities', () => {
  it('reports remote nodes to observers as local ones, with the run on every event', async () => {
    const events: string[] = [];
    const runs = new Set<unknown>();
    const result = await new ReportFlow(noLog).invoke(
      { base: 1, ms: 10 },
      {
        executor,
        runId: `observed-${Date.now()}`,
        observer: {
          onRunStart: ({ run }) => void runs.add(run),
          onNodeStart: ({ run, name, attempt }) => void (runs.add(run), events.push(`start ${name} ${attempt}`)),
          onNodeEnd: ({ run, name, status }) => void (runs.add(run), events.push(`end ${name} ${status}`)),
          onRunEnd: ({ run, status }) => void (runs.add(run), events.push(`run ${status}`)),
        },
      },
    );
    expect(runs.size).toBe(1);
    for (const name of ['load', 'render', 'fetch', 'quick', 'late', 'combine']) {
      expect(events).toContain(`start ${name} 1`);
      expect(events).toContain(`end ${name} fulfilled`);
      expect(events.indexOf(`start ${name} 1`)).toBeLessThan(events.indexOf(`end ${name} fulfilled`));
    }
    expect(events.at(-1)).toBe('run fulfilled');
    expect(result.trace.nodes.filter((n) => n.queued !== undefined).map((n) => n.name)).toEqual([
      'render',
      'fetch',
      'quick',
      'late',
    ]);
  });

  it('never runs an attempt twice for one runId: invoking it again reads the stored outcomes of its remote attempts', async () => {
    const runId = `again-${Date.now()}`;
    const first = await new TrialFlow(noLog).invoke({ mode: 'retry' }, { executor, runId });
    // The attempts of the node that ran here are recorded too, for a resume to count them.
    const stored = await logs.hgetall(`${PREFIX}:async-dag:run:${encodeIdPart(runId)}`);
    expect(stored['@attempts:local']).toBe('1');
    // A remote node's value is stored with the run once it comes, with the attempt that gave it.
    expect(stored['@attempts:flaky']).toBe('3');
    expect(stored['=flaky']).toBeDefined();
    const attempts = await logged(runId, (l) => l.length >= 3);
    const again = await new TrialFlow(noLog).invoke({ mode: 'retry' }, { executor, runId });
    expect(again.get('flaky')).toBe(first.get('flaky'));
    expect(again.get('local')).toBe('local 3');
    expect(again.trace.nodes.find((n) => n.name === 'flaky')!.attempts).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect((await logs.lrange(`${PREFIX}:log`, 0, -1)).filter((l) => l.includes(runId))).toEqual(attempts);
  });
});

describe('a run whose invoking process dies', () => {
  it('finishes when invoked again with its runId: stored nodes are not run again, a node still on a worker is awaited', async () => {
    const runId = `resumed:${Date.now()}`;
    const here = (line: string): void => void logs.rpush(`${PREFIX}:log`, `here ${line}`);
    const invoker = await redis.spawnWorker(INVOKER, { PREFIX, RUN_ID: runId, MS: '600' });
    // Killed while `render` runs on the worker, after `prepare` was stored.
    await logged(runId, (l) => l.some((x) => x.startsWith('render render')));
    invoker.kill('SIGKILL');
    // Invoked again at once: its lease has not lapsed yet, so the resume waits for it to lapse
    // (a dead orchestrator stops renewing it) instead of refusing the run as in progress.
    const leaseKey = `${PREFIX}:async-dag:run:${encodeIdPart(runId)}:lease`;
    expect(await logs.exists(leaseKey)).toBe(1);
    const result = await new DurableFlow(here).invoke({ ms: 600 }, { executor, runId });
    expect(result.get('finish')).toBe(6);
    expect(result.get('prepare')).toEqual({ rows: [1, 2, 3], at: new Date(0) });
    const lines = (await logged(runId, (l) => l.length >= 3)).map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(lines).toEqual(['invoker prepare', 'render render', 'here finish']);

    // A run that completed: invoking it again runs nothing and gives the same result.
    await new Promise((r) => setTimeout(r, 50));
    const again = await new DurableFlow(here).invoke({ ms: 600 }, { executor, runId });
    expect(again.get('finish')).toBe(6);
    expect((await logs.lrange(`${PREFIX}:log`, 0, -1)).filter((l) => l.includes(runId))).toHaveLength(3);
  });

  it('refuses a second invocation of a runId while a live process orchestrates it', async () => {
    const runId = `live-${Date.now()}`;
    // Alive longer than a lease: a second invocation waits a lease's length for it to lapse
    // (as it would if the first process had died), sees it renewed, and refuses.
    const first = new DurableFlow(noLog).invoke({ ms: 6_000 }, { executor, runId });
    await logged(runId, (l) => l.some((x) => x.startsWith('render render')));
    const other = bullmqExecutor({ connection: { host: '127.0.0.1', port: redis.port }, prefix: PREFIX });
    try {
      await expect(new DurableFlow(noLog).invoke({ ms: 6_000 }, { executor: other, runId })).rejects.toMatchObject({
        code: 'RUN_IN_PROGRESS',
        message: expect.stringContaining(`Run "${runId}" is being orchestrated by another live process`),
      });
      expect((await first).get('finish')).toBe(6);
    } finally {
      await first.catch(() => undefined);
      await other.close();
    }
  }, 20_000);

  it('refuses a runId reused with other params or another flow, before any node starts', async () => {
    const runId = `reused-${Date.now()}`;
    await new DurableFlow(noLog).invoke({ ms: 1 }, { executor, runId });
    await expect(new DurableFlow(noLog).invoke({ ms: 2 }, { executor, runId })).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
      message: expect.stringContaining('the same flow with different params'),
    });
    await expect(new TrialFlow(noLog).invoke({ mode: 'echo' }, { executor, runId })).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
      message: expect.stringContaining('flow "DurableFlow", not "TrialFlow"'),
    });
  });
});

describe('a worker that dies mid-job', () => {
  it('has its job taken over by another worker once its lock expires; the body runs again with the same ctx.attempt', async () => {
    const runId = `killed-${Date.now()}`;
    const first = await redis.spawnWorker(WORKER, { QUEUE: 'slow', PREFIX, CONCURRENCY: '1', LOCK_MS: '1000' });
    const running = new SlowFlow(noLog).invoke({ ms: 400 }, { executor, runId });
    await logged(runId, (l) => l.some((x) => x.includes('long start')));
    first.kill('SIGKILL');
    const second = await redis.spawnWorker(WORKER, { QUEUE: 'slow', PREFIX, CONCURRENCY: '1', LOCK_MS: '1000' });
    const result = await running;
    expect(result.get('long')).toEqual({ pid: second.pid, attempt: 1 });
    const starts = (await logged(runId, (l) => l.length >= 2)).map((l) => l.split(' ').slice(1, 5).join(' '));
    expect(starts).toEqual([`long start 1 ${first.pid}`, `long start 1 ${second.pid}`]);
  });
});

describe('without an executor', () => {
  it('runs the same flow in this process, needing no Redis', async () => {
    const result = await new ReportFlow(noLog).invoke({ base: 1, ms: 5 });
    expect((result.get('render') as { renderedBy: number }).renderedBy).toBe(process.pid);
    expect(result.trace.nodes.every((n) => n.queued === undefined)).toBe(true);
  });
});

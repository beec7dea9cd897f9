// The edges of a run through a bullmqExecutor: values that cannot cross from a local node, an
// executor closed with runs in flight, and a run cancelled while the executor is still opening it.
// A DagWorker in this process serves the queue, on a redis-server of the test's own.
import { buildDag, DagAbortedError, DagError, graphOf, NodeFailedError, type NodeContext } from 'async-dag';
import { bullmqExecutor, DagWorker, type BullmqExecutor } from 'async-dag/bullmq';
import { Redis } from 'ioredis';
import { createServer } from 'node:net';
import { INCARNATION, outcomeChannelOf, runKeyOf, stopChannelOf, stoppedRunOf } from '../../lib/bullmq/job-data';
import { encodeIdPart } from '../../lib/bullmq/job-id';
import { sleep } from '../helpers/deferred';
import { until } from '../helpers/processes';
import { startRedis, type RedisHarness } from '../helpers/redis-server';

jest.setTimeout(30_000);

const PREFIX = 'edges';
const QUEUE = 'edges';

let redis: RedisHarness;
let worker: DagWorker;
let executor: BullmqExecutor;
let client: Redis;
const connection = () => ({ host: '127.0.0.1', port: redis.port });

/** How many times each node body ran, by run id. */
const bodies = new Map<string, number>();
const count = (node: string, ctx: NodeContext): void => {
  const key = `${ctx.runId} ${node}`;
  bodies.set(key, (bodies.get(key) ?? 0) + 1);
};

class User {
  name = 'ada';
  save(): void {}
}

const crossing = buildDag(
  (tm) => {
    const prod = tm
      .with({ name: 'prod', retry: 1 })
      .addNode((_p: void, ctx: NodeContext) => (count('prod', ctx), { user: { save() {} } }));
    tm.with({ name: 'cons', queue: QUEUE, retry: 2 }).addNode(
      (_v: unknown, _p: void, ctx: NodeContext) => (count('cons', ctx), 1),
      prod,
    );
    const service = tm.addImmediateNode(new User());
    tm.with({ name: 'usesService', queue: QUEUE }).addNode((_u: User) => 1, service);
    // A value that stays in this process is passed as it is, whatever it is.
    const local = tm.with({ name: 'localOnly' }).addNode(() => new User());
    tm.with({ name: 'localAfter' }).addNode((u: User) => u instanceof User, local);
  },
  { name: 'crossing' },
);

const crossingFast = buildDag(
  (tm) => {
    const prod = tm.with({ name: 'prod' }).addNode(() => ({ user: { save() {} } }));
    tm.with({ name: 'cons', queue: QUEUE, retry: 2 }).addNode(
      (_v: unknown, _p: void, ctx: NodeContext) => (count('cons', ctx), 1),
      prod,
    );
  },
  { name: 'crossingFast' },
);

const closing = buildDag(
  (tm) => {
    tm.with({ name: 'slow', queue: QUEUE, retry: { retries: 2, delay: 1_000 } }).addNode(
      async (_p: void, ctx: NodeContext) => {
        count('slow', ctx);
        await sleep(700);
        return 'S';
      },
    );
    tm.with({ name: 'localSlow' }).addNode(async (_p: void, ctx: NodeContext) => {
      count('localSlow', ctx);
      await sleep(1_200, ctx.signal);
      return 'L';
    });
  },
  { name: 'closing' },
);

/** Its node on the worker says which params it ran with, and fails when told to. */
const echo = buildDag<{ tag: string; fail?: boolean }>(
  (tm) => {
    tm.with({ name: 'echo', queue: QUEUE }).addNode((p, ctx: NodeContext) => {
      count('echo', ctx);
      if (p.fail === true) throw new Error(`${p.tag} fails`);
      return `echo ${p.tag}`;
    });
  },
  { name: 'echo' },
);

/** Holds the worker (concurrency 1) until the test opens the gate: the jobs behind it wait in the queue. */
const noGate = (): void => undefined;
let openGate: () => void = noGate;
const gate = buildDag(
  (tm) => {
    tm.with({ name: 'held', queue: QUEUE }).addNode((_p: void, ctx: NodeContext) => {
      count('held', ctx);
      return new Promise<string>((resolve) => (openGate = () => resolve('open')));
    });
  },
  { name: 'gate' },
);

/** A run that stays in flight here for a while (its local node), with a node on the worker. */
const lingering = buildDag(
  (tm) => {
    tm.with({ name: 'quick', queue: QUEUE }).addNode(() => 1);
    tm.with({ name: 'local' }).addNode(async (_p: void, ctx: NodeContext) => {
      count('local', ctx);
      await sleep(3_000, ctx.signal);
      return 2;
    });
  },
  { name: 'lingering' },
);

/** Two steps where the run is orchestrated (started runs, served by a DagWorker with `runs`). */
const steps = buildDag(
  (tm) => {
    const first = tm.with({ name: 'first' }).addNode((_p: void, ctx: NodeContext) => (count('first', ctx), 1));
    tm.with({ name: 'second' }).addNode(async (v: number, _p: void, ctx: NodeContext) => {
      count('second', ctx);
      await sleep(400, ctx.signal);
      return v + 1;
    }, first);
  },
  { name: 'steps' },
);

/** Gives back the tag it was started with. */
const tagged = buildDag<{ tag: string }>(
  (tm) => {
    tm.with({ name: 'tag' }).addNode((p, ctx: NodeContext) => (count('tag', ctx), p.tag));
  },
  { name: 'tagged' },
);

/** Nodes named as the fields a run's hash keeps for itself. */
const oddNames = buildDag(
  (tm) => {
    const cancelled = tm.with({ name: '@cancelled', queue: QUEUE }).addNode((_p: void, ctx: NodeContext) => {
      count('@cancelled', ctx);
      return 'v';
    });
    tm.with({ name: '@fingerprint' }).addNode((v: string, _p: void, ctx: NodeContext) => {
      count('@fingerprint', ctx);
      return `${v}!`;
    }, cancelled);
  },
  { name: 'oddNames' },
);

/** A worker of this process serving the started runs of `flows`. */
async function runsWorker(flows: object[]): Promise<DagWorker> {
  const served = new DagWorker({ connection: connection(), prefix: PREFIX, flows, runs: true });
  await served.waitUntilReady();
  return served;
}

const runKey = (runId: string): string => runKeyOf(PREFIX, runId);

beforeAll(async () => {
  redis = await startRedis();
  try {
    worker = new DagWorker({
      connection: connection(),
      prefix: PREFIX,
      queue: QUEUE,
      flows: [crossing, crossingFast, closing, echo, gate, lingering, oddNames],
    });
    await worker.waitUntilReady();
    executor = bullmqExecutor({ connection: connection(), prefix: PREFIX });
    client = new Redis(connection());
  } catch (error) {
    await redis.stop();
    throw error;
  }
});

afterAll(async () => {
  await executor?.close();
  await worker?.close();
  client?.disconnect();
  await redis?.stop();
});

describe('a local value a worker node needs, that cannot cross', () => {
  it('fails the node that produced it (retried under its own policy), never the worker node', async () => {
    const runId = `crossing-${Date.now()}`;
    const result = await crossing.invoke(undefined, { executor, runId, failFast: false });
    expect(result.status('prod')).toBe('rejected');
    expect(result.status('cons')).toBe('skipped');
    const error = result.errors.find((e) => e.node === 'prod')!.error as DagError;
    expect(error).toBeInstanceOf(DagError);
    expect(error.code).toBe('UNSERIALIZABLE_VALUE');
    expect(error.message).toContain('Node "prod"');
    expect(error.message).toContain('result.user.save is a function (save)');
    expect(result.trace.nodes.find((n) => n.name === 'prod')!.attempts).toBe(2);
    expect(bodies.get(`${runId} prod`)).toBe(2);
    expect(bodies.get(`${runId} cons`)).toBeUndefined();
    // An immediate is a producer too.
    expect(result.status('usesService')).toBe('skipped');
    const immediate = graphOf(crossing).nodes.find((n) => n.kind === 'immediate')!.name;
    expect(result.status(immediate)).toBe('rejected');
    expect(result.errors.map((e) => e.node).sort()).toEqual([immediate, 'prod'].sort());
    const refused = result.errors.find((e) => e.node === immediate)!.error as DagError;
    expect(refused.message).toContain(`Node "${immediate}": result is an instance of class User`);
    expect(result.get('localAfter')).toBe(true);
  });

  it('fails fast naming the producer', async () => {
    const runId = `crossing-fast-${Date.now()}`;
    const error = await crossingFast.invoke(undefined, { executor, runId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).node).toBe('prod');
    expect(((error as NodeFailedError).cause as DagError).code).toBe('UNSERIALIZABLE_VALUE');
    expect(bodies.get(`${runId} cons`)).toBeUndefined();
  });
});

/** Waits until the run's lease has lapsed (its executor closed without releasing it). */
async function leaseLapsed(runId: string): Promise<void> {
  const leaseKey = `${PREFIX}:async-dag:run:${encodeIdPart(runId)}:lease`;
  for (let waited = 0; (await client.exists(leaseKey)) === 1 && waited < 6_000; waited += 50) await sleep(50);
}

describe('closing the executor while a run is in flight', () => {
  it.each([
    ['fail fast', true],
    ['settle mode', false],
  ])(
    '%s: invoke rejects at once with DagError EXECUTOR_CLOSED, retrying nothing; the run resumes later',
    async (_, failFast) => {
      const own = bullmqExecutor({ connection: connection(), prefix: PREFIX });
      const runId = `closing-${String(failFast)}-${Date.now()}`;
      const retries: string[] = [];
      const running = closing
        .invoke(undefined, {
          executor: own,
          runId,
          failFast,
          observer: { onNodeRetry: ({ name }) => void retries.push(name) },
        })
        .then(
          () => 'resolved',
          (error: unknown) => error,
        );
      while (bodies.get(`${runId} slow`) === undefined) await sleep(10);
      const closed = Date.now();
      const closingDone = own.close();
      const error = await running;
      expect(Date.now() - closed).toBeLessThan(500);
      expect(error).toBeInstanceOf(DagError);
      expect(error).toMatchObject({ code: 'EXECUTOR_CLOSED' });
      expect((error as DagError).message).toContain(`run "${runId}"`);
      await closingDone;
      expect(retries).toEqual([]);
      // Its state was kept: invoked again once the lease lapses, it uses the attempt that kept running on the worker.
      await leaseLapsed(runId);
      const result = await closing.invoke(undefined, { executor, runId, failFast });
      expect(result.get('slow')).toBe('S');
      expect(result.get('localSlow')).toBe('L');
      expect(bodies.get(`${runId} slow`)).toBe(1);
    },
  );
});

describe('cancelling a run while the executor is still opening it', () => {
  it('rejects promptly with DagAbortedError when Redis cannot be reached, and starts nothing', async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => done(free));
      });
    });
    const down = bullmqExecutor({
      connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
      prefix: PREFIX,
    });
    const controller = new AbortController();
    let started = 0;
    const running = closing.invoke(undefined, {
      executor: down,
      signal: controller.signal,
      observer: { onRunStart: () => void started++ },
    });
    const outcome = running.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await sleep(150);
    const aborted = Date.now();
    controller.abort(new Error('client went away'));
    const error = await Promise.race([outcome, sleep(2_000).then(() => 'still pending')]);
    expect(error).toBeInstanceOf(DagAbortedError);
    expect(Date.now() - aborted).toBeLessThan(300);
    expect(started).toBe(0);
    await down.close();
  });
});

describe('a runId used again once its run was forgotten', () => {
  it('names a new run: neither the stop the worker remembers nor a job still kept from the old run is taken for it', async () => {
    const brief = bullmqExecutor({ connection: connection(), prefix: PREFIX, retention: 200 });
    const runId = `again-${Date.now()}`;
    const forgotten = async (): Promise<void> => {
      await until(
        '(await client.exists(runKey(runId))) === 0',
        async () => (await client.exists(runKey(runId))) === 0,
        5_000,
      );
    };
    try {
      // Fails fast: its stop is announced, and the worker remembers it for minutes.
      const failed = await echo.invoke({ tag: 'one', fail: true }, { executor: brief, runId }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(NodeFailedError);
      await forgotten();
      const second = await echo.invoke({ tag: 'two' }, { executor: brief, runId });
      expect(second.get('echo')).toBe('echo two');
      await forgotten();
      // BullMQ removes finished jobs lazily: the old runs' jobs are still in the queue.
      expect((await client.keys(`${PREFIX}:${QUEUE}:${encodeIdPart(runId)}.*`)).length).toBeGreaterThanOrEqual(2);
      const third = await echo.invoke({ tag: 'three' }, { executor: brief, runId });
      expect(third.get('echo')).toBe('echo three');
      expect(bodies.get(`${runId} echo`)).toBe(3);
    } finally {
      await brief.close();
    }
  });
});

describe('a resumed run whose caller aborts its signal while the executor opens it', () => {
  it('is cancelled and announced as stopped: the job an earlier orchestrator left queued is refused', async () => {
    const first = bullmqExecutor({ connection: connection(), prefix: PREFIX });
    const runId = `resumed-aborted-${Date.now()}`;
    const listener = new Redis(connection());
    const heard: string[] = [];
    listener.on('message', (_channel: string, message: string) => void heard.push(message));
    await listener.subscribe(stopChannelOf(PREFIX));
    const held = gate.invoke(undefined, { executor, runId: `gate-${runId}` });
    try {
      // The worker is busy with `held`; this run's job waits behind it.
      await until(
        '(await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 0 && openGate !== noGate',
        async () => (await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 0 && openGate !== noGate,
        5_000,
      );
      const running = echo.invoke({ tag: 'queued' }, { executor: first, runId }).catch((e: unknown) => e);
      await until(
        '(await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 1',
        async () => (await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 1,
        5_000,
      );
      await first.close();
      expect(await running).toMatchObject({ code: 'EXECUTOR_CLOSED' });
      await leaseLapsed(runId);

      const controller = new AbortController();
      const resumed = echo
        .invoke({ tag: 'queued' }, { executor, runId, signal: controller.signal })
        .catch((e: unknown) => e);
      setImmediate(() => controller.abort(new Error('the caller went away')));
      expect(await resumed).toBeInstanceOf(DagAbortedError);
      // `invoke` rejected at once; the executor marks the run once it has opened it.
      await until(
        "(await executor.status(runId)) === 'cancelled'",
        async () => (await executor.status(runId)) === 'cancelled',
        5_000,
      );
      const incarnation = (await client.hget(runKey(runId), INCARNATION))!;
      await until(
        'heard.includes(stoppedRunOf(runId, incarnation))',
        async () => heard.includes(stoppedRunOf(runId, incarnation)),
        5_000,
      );
    } finally {
      openGate();
      await held;
      listener.disconnect();
    }
    // The worker took the queued job once free, and refused it.
    await until(
      '(await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 0',
      async () => (await client.llen(`${PREFIX}:${QUEUE}:wait`)) === 0,
      5_000,
    );
    await sleep(100);
    expect(bodies.get(`${runId} echo`)).toBeUndefined();
  });
});

describe('an orchestrator whose subscriber reconnected', () => {
  it.each([
    ['fail fast', true],
    ['settle mode', false],
  ])('%s: still stops the run on a cancel() sent while it was not listening', async (_, failFast) => {
    const admin = bullmqExecutor({ connection: connection(), prefix: PREFIX });
    const runId = `missed-cancel-${String(failFast)}-${Date.now()}`;
    try {
      const running = lingering.invoke(undefined, { executor, runId, failFast }).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await until('bodies.get(`${runId} local`) === 1', async () => bodies.get(`${runId} local`) === 1, 5_000);
      // Every subscriber is cut off; the cancel is published before they are back.
      await client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const cancelled = Date.now();
      await admin.cancel(runId, 'an operator');
      const error = await running;
      expect(error).toBeInstanceOf(DagAbortedError);
      expect(String((error as DagAbortedError).message)).toContain('an operator');
      // Read on the lease's renewal (every second), not when the local node ends (3 s).
      expect(Date.now() - cancelled).toBeLessThan(2_500);
    } finally {
      await admin.close();
    }
  });
});

describe('an executor closed, or a run refused by Redis, while it is opened', () => {
  it('rejects a call close() cuts short in the same tick with DagError EXECUTOR_CLOSED, not a closed connection', async () => {
    const runId = `same-tick-${Date.now()}`;
    await executor.start(echo, { tag: 'x' }, { runId });
    const calls: [string, (own: BullmqExecutor) => Promise<unknown>][] = [
      ['wait', (own) => own.wait(echo, runId)],
      ['invoke', (own) => echo.invoke({ tag: 'x' }, { executor: own, runId: `${runId}-invoked` })],
      ['start', (own) => own.start(echo, { tag: 'x' }, { runId: `${runId}-started` })],
      ['status', (own) => own.status(runId)],
      ['cancel', (own) => own.cancel(`${runId}-cancelled`)],
    ];
    for (const [name, call] of calls) {
      const own = bullmqExecutor({ connection: connection(), prefix: PREFIX });
      const outcome = call(own).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await own.close();
      expect([name, await outcome]).toEqual([name, expect.objectContaining({ code: 'EXECUTOR_CLOSED' })]);
    }
  });

  it('rejects with the error of Redis, and leaves no channel subscribed', async () => {
    const runId = `wrong-type-${Date.now()}`;
    await client.set(runKey(runId), 'not a hash');
    const error = await echo.invoke({ tag: 'x' }, { executor, runId }).catch((e: unknown) => e);
    expect(String(error)).toContain('WRONGTYPE');
    const channel = outcomeChannelOf(PREFIX, runId);
    const subscribed = async (): Promise<boolean> =>
      ((await client.pubsub('CHANNELS', channel)) as string[]).includes(channel);
    await until('!(await subscribed())', async () => !(await subscribed()), 1_000);
    await sleep(100);
    expect(await subscribed()).toBe(false);
  });
});

describe('a resumed run whose attempt ended while no process listened', () => {
  it('reads its outcome from the job, in a process whose executor is new (no event of it is heard)', async () => {
    const first = bullmqExecutor({ connection: connection(), prefix: PREFIX });
    const runId = `unheard-${Date.now()}`;
    openGate = noGate;
    const running = gate.invoke(undefined, { executor: first, runId }).catch((e: unknown) => e);
    await until('openGate !== noGate', async () => openGate !== noGate, 5_000);
    await first.close();
    expect(await running).toMatchObject({ code: 'EXECUTOR_CLOSED' });
    // The attempt ends on the worker with no invoker listening; its job keeps the outcome.
    openGate();
    const job = `${PREFIX}:${QUEUE}:${encodeIdPart(runId)}.*`;
    await until(
      '(await client.zcard(`${PREFIX}:${QUEUE}:completed`)) > 0',
      async () => (await client.zcard(`${PREFIX}:${QUEUE}:completed`)) > 0,
      5_000,
    );
    await until('(await client.keys(job)).length === 1', async () => (await client.keys(job)).length === 1, 5_000);
    await leaseLapsed(runId);
    const fresh = bullmqExecutor({ connection: connection(), prefix: PREFIX });
    try {
      const resumed = gate.invoke(undefined, { executor: fresh, runId }).then((r) => r.get('held'));
      expect(await Promise.race([resumed, sleep(5_000).then(() => 'still pending after 5 s')])).toBe('open');
      expect(bodies.get(`${runId} held`)).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe("what a run's hash keeps, and for how long", () => {
  it('keeps a started run whose orchestrator closed past its retention, until another takes it over: nothing stored runs again', async () => {
    const brief = bullmqExecutor({ connection: connection(), prefix: PREFIX, retention: 100 });
    const runId = `kept-${Date.now()}`;
    const first = await runsWorker([steps]);
    let second: DagWorker | undefined;
    try {
      await brief.start(steps, undefined, { runId });
      await until('bodies.get(`${runId} second`) === 1', async () => bodies.get(`${runId} second`) === 1, 5_000);
      await first.close();
      // Longer than retention and a lease: a run waiting to be taken over is not forgotten.
      await sleep(3_500);
      expect(await client.pttl(runKey(runId))).toBe(-1);
      second = await runsWorker([steps]);
      const result = await brief.wait(steps, runId);
      expect(result.get('second')).toBe(2);
      expect(bodies.get(`${runId} first`)).toBe(1);
    } finally {
      await first.close();
      await second?.close();
      await brief.close();
    }
  });

  it('does not run the job of a cancelled started run once its runId is started anew', async () => {
    const brief = bullmqExecutor({ connection: connection(), prefix: PREFIX, retention: 100 });
    const runId = `restarted-${Date.now()}`;
    let served: DagWorker | undefined;
    try {
      // No worker serves runs of `tagged` yet: the first run's job waits.
      await brief.start(tagged, { tag: 'first' }, { runId });
      await brief.cancel(runId, 'not wanted');
      await until(
        '(await client.exists(runKey(runId))) === 0',
        async () => (await client.exists(runKey(runId))) === 0,
        5_000,
      );
      await brief.start(tagged, { tag: 'second' }, { runId });
      served = await runsWorker([tagged]);
      const result = await brief.wait(tagged, runId);
      expect(result.get('tag')).toBe('second');
      // The first run's job did nothing and completed, also once wait() forgot the second run.
      const jobs = `${PREFIX}:async-dag-runs.tagged:run.${encodeIdPart(runId)}.*`;
      await until('(await client.keys(jobs)).length === 0', async () => (await client.keys(jobs)).length === 0, 5_000);
      await sleep(1_200);
      expect(bodies.get(`${runId} tag`)).toBe(1);
    } finally {
      await served?.close();
      await brief.close();
    }
  });

  it('keeps nodes named as its own fields apart from them', async () => {
    const runId = `odd-names-${Date.now()}`;
    const result = await oddNames.invoke(undefined, { executor, runId });
    expect(result.get('@fingerprint')).toBe('v!');
    const again = await oddNames.invoke(undefined, { executor, runId });
    expect(again.get('@fingerprint')).toBe('v!');
    expect(await executor.status(runId)).toBe('fulfilled');
    expect([bodies.get(`${runId} @cancelled`), bodies.get(`${runId} @fingerprint`)]).toEqual([1, 1]);
  });

  it('gives a completed run cancelled afterwards its outcome still', async () => {
    const runId = `cancelled-late-${Date.now()}`;
    const first = await echo.invoke({ tag: 'done' }, { executor, runId });
    await executor.cancel(runId, 'too late');
    expect(await executor.status(runId)).toBe('fulfilled');
    const again = await echo.invoke({ tag: 'done' }, { executor, runId });
    expect(again.get('echo')).toBe(first.get('echo'));
    expect(bodies.get(`${runId} echo`)).toBe(1);
  });

  it('stops a run whose lease another process took (this one stalled past it) with DagError RUN_IN_PROGRESS, leaving the run to it', async () => {
    const runId = `lease-taken-${Date.now()}`;
    const listener = new Redis(connection());
    const heard: string[] = [];
    listener.on('message', (_channel: string, message: string) => void heard.push(message));
    await listener.subscribe(stopChannelOf(PREFIX));
    try {
      const running = lingering.invoke(undefined, { executor, runId }).catch((e: unknown) => e);
      await until('bodies.get(`${runId} local`) === 1', async () => bodies.get(`${runId} local`) === 1, 5_000);
      await client.set(`${runKey(runId)}:lease`, 'another process', 'PX', 10_000);
      const taken = Date.now();
      const error = await running;
      expect(error).toMatchObject({ name: 'DagError', code: 'RUN_IN_PROGRESS' });
      expect((error as DagError).message).toContain('did not renew');
      expect(Date.now() - taken).toBeLessThan(2_500);
      expect(await client.get(`${runKey(runId)}:lease`)).toBe('another process');
      // Nothing of it is stopped elsewhere (its attempts are the other process's now), nor marked.
      await sleep(200);
      expect(heard.filter((message) => message.endsWith(` ${runId}`))).toEqual([]);
      expect(await client.hkeys(runKey(runId))).not.toContain('@failed:local');
      expect(await executor.status(runId)).not.toBe('cancelled');
    } finally {
      listener.disconnect();
    }
  });

  it('takes its lease again when it lapsed and nobody took it (its process stalled, or Redis lost it)', async () => {
    const runId = `lease-lapsed-${Date.now()}`;
    const running = lingering.invoke(undefined, { executor, runId });
    await until('bodies.get(`${runId} local`) === 1', async () => bodies.get(`${runId} local`) === 1, 5_000);
    await client.del(`${runKey(runId)}:lease`);
    const result = await running;
    expect(result.get('local')).toBe(2);
    expect(bodies.get(`${runId} local`)).toBe(1);
  });

  it('does not take back a lapsed lease that another process held since (and died with)', async () => {
    const runId = `lease-held-since-${Date.now()}`;
    const running = lingering.invoke(undefined, { executor, runId }).catch((e: unknown) => e);
    await until('bodies.get(`${runId} local`) === 1', async () => bodies.get(`${runId} local`) === 1, 5_000);
    // Another process took the lease, stored what it ran, and died: its lease lapsed.
    await client
      .multi()
      .hset(runKey(runId), '@holder', 'another process')
      .del(`${runKey(runId)}:lease`)
      .exec();
    expect(await running).toMatchObject({ name: 'DagError', code: 'RUN_IN_PROGRESS' });
  });

  it('refuses a runId of a run in flight with other params or another graph at once, with RUN_MISMATCH', async () => {
    const runId = `mismatch-live-${Date.now()}`;
    const running = lingering.invoke(undefined, { executor, runId });
    await until('bodies.get(`${runId} local`) === 1', async () => bodies.get(`${runId} local`) === 1, 5_000);
    const asked = Date.now();
    const error = await echo.invoke({ tag: 'x' }, { executor, runId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DagError', code: 'RUN_MISMATCH' });
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect((await running).get('local')).toBe(2);
  });

  it('keeps a started run once start() is made again after one cut short before its job was added', async () => {
    const runId = `start-again-${Date.now()}`;
    await executor.start(tagged, { tag: 'again' }, { runId });
    // What a start() cut short leaves: the record's grace expiry, never lifted.
    await client.pexpire(runKey(runId), 60_000);
    await executor.start(tagged, { tag: 'again' }, { runId });
    expect(await client.pttl(runKey(runId))).toBe(-1);
    const served = await runsWorker([tagged]);
    try {
      expect((await executor.wait(tagged, runId)).get('tag')).toBe('again');
    } finally {
      await served.close();
    }
  });

  it('refuses a completed run invoked again in another mode (failFast), which would give another outcome', async () => {
    const runId = `other-mode-${Date.now()}`;
    const settled = await echo.invoke({ tag: 'mode', fail: true }, { executor, runId, failFast: false });
    expect(settled.status('echo')).toBe('rejected');
    const error = await echo.invoke({ tag: 'mode', fail: true }, { executor, runId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DagError', code: 'RUN_MISMATCH' });
    expect((error as DagError).message).toContain('failFast');
    expect(bodies.get(`${runId} echo`)).toBe(1);
  });

  it('gives a run both completed and cancelled (a cancel that raced its end) its outcome', async () => {
    const runId = `raced-${Date.now()}`;
    const first = await echo.invoke({ tag: 'raced' }, { executor, runId });
    // What a cancel() landing just before the run's outcome was written leaves.
    await client.hset(runKey(runId), '@cancelled', 'raced');
    expect(await executor.status(runId)).toBe('fulfilled');
    const again = await echo.invoke({ tag: 'raced' }, { executor, runId });
    expect(again.get('echo')).toBe(first.get('echo'));
    expect(bodies.get(`${runId} echo`)).toBe(1);
  });

  it('leaves nothing of a started run once a retention shorter than its last write lapsed', async () => {
    const fleeting = bullmqExecutor({ connection: connection(), prefix: PREFIX, retention: 1 });
    const runId = `fleeting-${Date.now()}`;
    const served = await runsWorker([steps]);
    try {
      await fleeting.start(steps, undefined, { runId });
      // Its job (and the job's lock, while it runs) is removed once the orchestrator's last write is done.
      const job = `${PREFIX}:async-dag-runs.steps:run.${encodeIdPart(runId)}.*`;
      await until('(await client.keys(job)).length > 0', async () => (await client.keys(job)).length > 0, 5_000);
      await until('(await client.keys(job)).length === 0', async () => (await client.keys(job)).length === 0, 5_000);
      await sleep(50);
      expect(await client.exists(runKey(runId))).toBe(0);
    } finally {
      await served.close();
      await fleeting.close();
    }
  });
});

// The edges of a run through a bullmqExecutor: values that cannot cross from a local node, an
// executor closed with runs in flight, and a run cancelled while the executor is still opening it.
// A DagWorker in this process serves the queue, on a redis-server of the test's own.
import { buildDag, DagAbortedError, DagError, graphOf, NodeFailedError, type NodeContext } from 'async-dag';
import { bullmqExecutor, DagWorker, type BullmqExecutor } from 'async-dag/bullmq';
import { Redis } from 'ioredis';
import { createServer } from 'node:net';
import { encodeIdPart } from '../../lib/bullmq/job-id';
import { sleep } from '../helpers/deferred';
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

beforeAll(async () => {
  redis = await startRedis();
  try {
    worker = new DagWorker({
      connection: connection(),
      prefix: PREFIX,
      queue: QUEUE,
      flows: [crossing, crossingFast, closing],
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
      const result = await closing.invoke(undefined, { executor, runId });
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

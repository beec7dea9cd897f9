// The `durable` scenario of `npm run stress`: many small durable runs against a redis-server of
// its own, with the key count and `used_memory` of Redis before and after. Once with the default
// retention (24 hours: what a run keeps, per run), once with a retention of 1 s (after it lapsed,
// what is left of the runs).
import { buildDag, type ExecutionResult } from 'async-dag';
import { bullmqExecutor, DagWorker, type BullmqExecutor } from 'async-dag/bullmq';
import { Redis } from 'ioredis';
import { startRedis } from '../spec/helpers/redis-server';

const graph = buildDag<number>(
  (tm) => {
    const load = tm.with({ name: 'load' }).addNode((p: number) => p + 1);
    tm.with({ name: 'render', queue: 'stress' }).addNode((n: number) => n * 2, load);
  },
  { name: 'stress-durable' },
);

export interface DurableStress {
  readonly runs: number;
  readonly ms: number;
  readonly wrong: number;
  /** Keys and used_memory (bytes): before, after the runs with the default retention, and after runs with a 1 s retention lapsed. */
  readonly keys: readonly [number, number, number];
  readonly memory: readonly [number, number, number];
  /** Runs started with `start()`, orchestrated by a worker serving runs, and read with `wait()`. */
  readonly started: {
    readonly runs: number;
    readonly ms: number;
    readonly wrong: number;
    /** Keys of their prefix once every outcome was read: all of them, and those that do not expire within the minute `wait()` leaves. */
    readonly keys: number;
    readonly lasting: number;
  };
}

/**
 * Live keys and used_memory. The keys are counted by a SCAN, which also reclaims the expired keys
 * it meets (Redis frees expired keys lazily, so DBSIZE may still count some), before memory is read.
 */
async function measure(client: Redis): Promise<[number, number]> {
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    keys += batch.length;
  } while (cursor !== '0');
  const info = await client.info('memory');
  return [keys, Number(/used_memory:(\d+)/.exec(info)![1])];
}

/** Runs `run(k)` for k from 0 to `count` - 1, `parallel` at a time; returns how many gave a wrong value. */
async function many(count: number, parallel: number, run: (k: number) => Promise<ExecutionResult>): Promise<number> {
  let wrong = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const k = next++;
        if ((await run(k)).get('render') !== (k + 1) * 2) wrong++;
      }
    }),
  );
  return wrong;
}

/** `count` runs through one executor. */
function runMany(executor: BullmqExecutor, count: number, parallel: number, tag: string): Promise<number> {
  return many(count, parallel, (k) => graph.invoke(k, { executor, runId: `${tag}-${k}` }));
}

/** Keys under `prefix`, and how many of them do not expire within `withinMs`. */
async function keysOf(client: Redis, prefix: string, withinMs: number): Promise<[number, number]> {
  let keys = 0;
  let lasting = 0;
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    keys += batch.length;
    const ttls = await Promise.all(batch.map((key) => client.pttl(key)));
    lasting += ttls.filter((ttl) => ttl < 0 || ttl > withinMs).length;
  } while (cursor !== '0');
  return [keys, lasting];
}

/** `count` runs started and waited for, through one executor and one worker serving runs. */
function startMany(executor: BullmqExecutor, count: number, parallel: number): Promise<number> {
  return many(count, parallel, async (k) =>
    executor.wait(graph, await executor.start(graph, k, { runId: `started-${k}` })),
  );
}

export async function durableRuns(count: number, parallel = 50): Promise<DurableStress> {
  const redis = await startRedis();
  const connection = { host: '127.0.0.1', port: redis.port };
  const client = new Redis(connection);
  const workers = ['kept', 'short'].map(
    (prefix) => new DagWorker({ connection, prefix, queue: 'stress', flows: [graph], concurrency: 50 }),
  );
  workers.push(
    new DagWorker({
      connection,
      prefix: 'read',
      queue: 'stress',
      flows: [graph],
      concurrency: 50,
      runs: { concurrency: 50 },
    }),
  );
  const read = bullmqExecutor({ connection, prefix: 'read' });
  const kept = bullmqExecutor({ connection, prefix: 'kept' });
  const short = bullmqExecutor({ connection, prefix: 'short', retention: 1_000 });
  try {
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    const before = await measure(client);
    const t0 = performance.now();
    let wrong = await runMany(kept, count, parallel, 'kept');
    const ms = performance.now() - t0;
    const afterKept = await measure(client);
    wrong += await runMany(short, count, parallel, 'short');
    // Past the retention, a few more runs: BullMQ removes old finished jobs when later ones finish.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    wrong += await runMany(short, 10, 1, 'short-late');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const afterShort = await measure(client);
    const t1 = performance.now();
    const startedWrong = await startMany(read, count, parallel);
    const startedMs = performance.now() - t1;
    // wait() removes the node jobs at once and leaves the run's hash a minute, for other readers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [startedKeys, lasting] = await keysOf(client, 'read', 60_000);
    return {
      started: { runs: count, ms: startedMs, wrong: startedWrong, keys: startedKeys, lasting },
      runs: count,
      ms,
      wrong,
      keys: [before[0], afterKept[0], afterShort[0] - (afterKept[0] - before[0])],
      memory: [before[1], afterKept[1], afterShort[1] - (afterKept[1] - before[1])],
    };
  } finally {
    await Promise.all([kept.close(), short.close(), read.close(), ...workers.map((w) => w.close())]);
    client.disconnect();
    await redis.stop();
  }
}

if (require.main === module) {
  void durableRuns(Number(process.argv[2] ?? 1_000)).then((r) => console.log(JSON.stringify(r)));
}

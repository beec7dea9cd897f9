// The workers section of `npm run bench`: async-dag/bullmq on a redis-server of its own, with two
// worker processes, against hand-written BullMQ (queue.add + job.waitUntilFinished) and against
// BullMQ's FlowProducer on a tree, the only shape FlowProducer runs.
import path from 'node:path';
import { graphOf } from 'async-dag';
import { bullmqExecutor } from 'async-dag/bullmq';
import { FlowProducer, Queue, QueueEvents, type FlowJob } from 'bullmq';
import { startRedis } from '../spec/helpers/redis-server';
import { criticalPathLength, totalWork, type RandomDag } from './random-dag';
import { ms, ratio, table, verdict } from './report';
import { allFlows, RANDOM_DAG, RAW_QUEUE, TREE } from './worker-flows';

export interface WorkersSettings {
  readonly chainSize: 50 | 200;
  readonly rounds: number;
}

const WORKERS = 2;
const SLOTS_PER_WORKER = 4;
const SLOTS = WORKERS * SLOTS_PER_WORKER;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** The tree as FlowProducer wants it: each node a job whose children are its dependencies. */
function flowJobOf(dag: RandomDag, i: number): FlowJob {
  return {
    name: `n${i}`,
    queueName: RAW_QUEUE,
    data: { ms: dag.durations[i]!, x: 0 },
    children: dag.deps[i]!.map((d) => flowJobOf(dag, d)),
  };
}

export async function workersSection(settings: WorkersSettings, log: (line: string) => void): Promise<string> {
  let redis;
  try {
    redis = await startRedis();
  } catch (error) {
    return `Skipped: no redis-server to start (${String(error).split('\n')[0]}).`;
  }
  const connection = { host: '127.0.0.1', port: redis.port };
  const executor = bullmqExecutor({ connection });
  const rawQueue = new Queue(RAW_QUEUE, { connection });
  const rawEvents = new QueueEvents(RAW_QUEUE, { connection });
  const flowProducer = new FlowProducer({ connection });
  try {
    const script = path.join(__dirname, 'workers-worker.ts');
    await Promise.all(
      Array.from({ length: WORKERS }, () => redis.spawnWorker(script, { CONCURRENCY: String(SLOTS_PER_WORKER) })),
    );
    await rawEvents.waitUntilReady();
    const flows = new Map(allFlows().map((graph) => [graphOf(graph).owner, graph]));
    const chain = flows.get(`chain${settings.chainSize}`)!;
    const random = flows.get('random200')!;
    const tree = flows.get('tree')!;

    // (1) Per-node overhead: a chain of no-op nodes, one after the other, against the same number
    // of hand-written round trips.
    log(`  per-node round trip: chain of ${settings.chainSize}, ${settings.rounds} round(s) ...`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round <= settings.rounds; round++) {
      let t = performance.now();
      await chain.invoke({ ms: 0 }, { executor });
      const dag = (performance.now() - t) / settings.chainSize;
      t = performance.now();
      for (let i = 0; i < settings.chainSize; i++) {
        const job = await rawQueue.add('n', { ms: 0, x: i });
        await job.waitUntilFinished(rawEvents);
      }
      const raw = (performance.now() - t) / settings.chainSize;
      // Round 0 warms up connections and code.
      if (round > 0) {
        ours.push(dag);
        theirs.push(raw);
      }
    }
    const perNode = median(ours) / median(theirs);

    // (2) 200 random nodes of 20 ms on 8 slots: makespan against its lower bound.
    log(`  200-node random DAG on ${WORKERS} workers x ${SLOTS_PER_WORKER} slots ...`);
    const randomRuns: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const t = performance.now();
      await random.invoke({ ms: 20 }, { executor, concurrency: SLOTS });
      randomRuns.push(performance.now() - t);
    }
    const lowerBound = Math.max(criticalPathLength(RANDOM_DAG), totalWork(RANDOM_DAG) / SLOTS);
    const randomRatio = median(randomRuns) / lowerBound;

    // (3) A tree: ours against FlowProducer's.
    log(`  tree of ${TREE.size} nodes: async-dag vs FlowProducer ...`);
    const treeOurs: number[] = [];
    const treeTheirs: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      let t = performance.now();
      await tree.invoke({ ms: 20 }, { executor, concurrency: SLOTS });
      treeOurs.push(performance.now() - t);
      t = performance.now();
      const added = await flowProducer.add(flowJobOf(TREE, TREE.size - 1));
      await added.job.waitUntilFinished(rawEvents);
      treeTheirs.push(performance.now() - t);
    }
    const treeRatio = median(treeOurs) / median(treeTheirs);
    const treeBound = Math.max(criticalPathLength(TREE), totalWork(TREE) / SLOTS);

    return [
      table(
        ['Case', 'async-dag/bullmq', 'Reference', 'Ratio', 'Goal'],
        [
          [
            `per-node round trip (chain of ${settings.chainSize} no-op nodes)`,
            ms(median(ours)),
            `${ms(median(theirs))} (queue.add + waitUntilFinished)`,
            ratio(perNode),
            `<= 1.2x: ${verdict(perNode <= 1.2)}`,
          ],
          [
            '200-node random DAG, 20 ms nodes, makespan',
            ms(median(randomRuns)),
            `${ms(lowerBound)} (lower bound)`,
            ratio(randomRatio),
            `<= 1.15x: ${verdict(randomRatio <= 1.15)}`,
          ],
          [
            `tree of ${TREE.size} nodes (depth 3, 3 children), 20 ms nodes, makespan`,
            ms(median(treeOurs)),
            `${ms(median(treeTheirs))} (FlowProducer; lower bound ${ms(treeBound)})`,
            ratio(treeRatio),
            `<= 1.0x: ${verdict(treeRatio <= 1.0)}`,
          ],
        ],
      ),
      '',
      `One redis-server on loopback, ${WORKERS} worker processes with ${SLOTS_PER_WORKER} slots each (a DagWorker and a`,
      `plain BullMQ Worker in each), medians of ${settings.rounds} round(s) after a warm-up. The random DAG and`,
      `the tree run with \`concurrency: ${SLOTS}\` (the slots of the workers); its lower bound is`,
      `max(critical path, total work / ${SLOTS}). The random DAG: 200 nodes, up to 3 dependencies among the 12`,
      'before each, seeded.',
    ].join('\n');
  } finally {
    await executor.close();
    await flowProducer.close();
    await rawEvents.close();
    await rawQueue.close();
    await redis.stop();
  }
}

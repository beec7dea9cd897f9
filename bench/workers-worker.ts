// A worker process of the workers bench: a DagWorker on the bench queue and a plain BullMQ
// Worker (the hand-written baseline) on the raw queue, each with CONCURRENCY slots.
import { DagWorker } from 'async-dag/bullmq';
import { Worker } from 'bullmq';
import { allFlows, BENCH_QUEUE, RAW_QUEUE } from './worker-flows';

const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) };
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const dagWorker = new DagWorker({ connection, queue: BENCH_QUEUE, flows: allFlows(), concurrency });
const raw = new Worker<{ ms: number; x: number }>(
  RAW_QUEUE,
  async (job) => {
    if (job.data.ms > 0) await sleep(job.data.ms);
    return job.data.x + 1;
  },
  { connection, concurrency },
);
raw.on('error', () => undefined);

void Promise.all([dagWorker.waitUntilReady(), raw.waitUntilReady()]).then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  void Promise.all([dagWorker.close(), raw.close()]).finally(() => process.exit(0));
});

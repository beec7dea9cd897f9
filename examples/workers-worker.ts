// The worker process: serves the nodes of ReportFlow placed on queue 'render'.
// #region docs
import { DagWorker } from 'async-dag/bullmq';
import { ReportFlow, SalesRepository } from './workers-flow';

/** Starts a worker on the Redis at `port` (127.0.0.1); resolves once it takes jobs. */
export async function startWorker(port: number): Promise<DagWorker> {
  const connection = { host: '127.0.0.1', port };
  const worker = new DagWorker({
    connection,
    queue: 'render',
    flows: [new ReportFlow(new SalesRepository())], // its own instance, with its own services
    concurrency: 8,
  });
  await worker.waitUntilReady();
  process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
  return worker;
}
// #endregion docs

// Run as a script (`node --import tsx examples/workers-worker.ts`), it serves until SIGTERM.
if (require.main === module) {
  void startWorker(Number(process.env.REDIS_PORT ?? 6379)).then(() => console.log('ready'));
}

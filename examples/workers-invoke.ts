// The process that invokes: the same flow, with an executor that sends queued nodes to workers.
// #region docs
import { bullmqExecutor } from 'async-dag/bullmq';
import { ReportFlow, SalesRepository } from './workers-flow';

export async function main(port: number, log: (line: string) => void = console.log) {
  const connection = { host: '127.0.0.1', port };
  const executor = bullmqExecutor({ connection }); // one per process, shared by every run
  const flow = new ReportFlow(new SalesRepository());

  const result = await flow.invoke({ month: '2026-12' }, { executor, runId: 'report-2026-12' });
  log(result.get('publish')); // published 27 bytes, 2 bars
  for (const { name, start, queued } of result.trace.nodes) {
    log(
      `${name} started at ${start?.toFixed(0)} ms${queued === undefined ? '' : ` after ${queued.toFixed(0)} ms in its queue`}`,
    );
  }

  // Without an executor, the very same flow runs every node here: no Redis needed (tests, local development).
  const local = await flow.invoke({ month: '2026-12' });
  log(local.get('publish')); // published 27 bytes, 2 bars

  await executor.close();
  return { result, local };
}
// #endregion docs

// A run that outlives the process that asked for it: a web process starts the month's report and
// answers at once; a process serving runs orchestrates it (another takes it over if that one
// dies); any process reads the outcome later by its runId.
// #region docs
import { bullmqExecutor, DagWorker, type BullmqExecutor } from 'async-dag/bullmq';
import { ReportFlow, SalesRepository } from './workers-flow';

/** In each process that orchestrates runs (any number, any machine): serves the runs of ReportFlow. */
export function serveRuns(connection: { host: string; port: number }): DagWorker {
  return new DagWorker({ connection, flows: [new ReportFlow(new SalesRepository())], runs: true });
}

/** In a web process: starts the month's report and returns at once; the run goes on without this process. */
export function startReport(executor: BullmqExecutor, month: string): Promise<string> {
  return executor.start(new ReportFlow(new SalesRepository()), { month }, { runId: `monthly-report-${month}` });
}

/** In any process, later: what the report published, as `invoke` would have given it. */
export async function publishedReport(executor: BullmqExecutor, runId: string): Promise<string | undefined> {
  if ((await executor.status(runId)) === 'unknown') return undefined;
  const flow = new ReportFlow(new SalesRepository());
  const result = await executor.wait(flow, runId, { signal: AbortSignal.timeout(60_000) });
  return result.get('publish');
}
// #endregion docs

export async function main(port: number, log: (line: string) => void = console.log): Promise<void> {
  const connection = { host: '127.0.0.1', port };
  const runs = serveRuns(connection);
  const web = bullmqExecutor({ connection });
  try {
    await runs.waitUntilReady();
    const runId = await startReport(web, '2026-12');
    log(`started ${runId}`); // started monthly-report-2026-12
    log((await publishedReport(web, runId)) ?? 'no such report'); // published 27 bytes, 2 bars
    log((await publishedReport(web, 'monthly-report-1999-01')) ?? 'no such report'); // no such report
  } finally {
    await web.close();
    await runs.close();
  }
}

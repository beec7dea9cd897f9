// Must fail in both decorator modes: wrong types for the options of nodes on workers, of the
// executor and of the worker.
import { buildDag, Dag, node, type DagExecutor } from 'async-dag';
import { bullmqExecutor, DagWorker } from 'async-dag/bullmq';

export class ReportFlow extends Dag<{ month: string }> {
  @node({ queue: 'render' }) async render() {
    return 1;
  }
  // @expect-error Type 'number' is not assignable to type 'string'
  @node({ queue: 42 }) async bad() {
    return 1;
  }
}

// @expect-error Type 'number' is not assignable to type 'string'
export const unnamed = buildDag((tm) => void tm.addNode(() => 1), { name: 7 });

export const builder = buildDag(
  // @expect-error Type 'boolean' is not assignable to type 'string'
  (tm) => void tm.with({ queue: true }).addNode(() => 1),
  { name: 'builder' },
);

const executor: DagExecutor = bullmqExecutor({ connection: { host: '127.0.0.1', port: 6379 } });
// @expect-error Type 'number' is not assignable to type 'string'
void new ReportFlow().invoke({ month: '2026-12' }, { executor, runId: 1 });
// @expect-error Property 'startRun' is missing
void new ReportFlow().invoke({ month: '2026-12' }, { executor: {} });

// @expect-error is not assignable to parameter of type 'DagWorkerOptions & ({ queue: string; } | { runs: true | RunsOptions; })
export const noQueue = new DagWorker({ connection: { port: 6379 }, flows: [new ReportFlow()] });
export const runsOnly = new DagWorker({ connection: { port: 6379 }, flows: [new ReportFlow()], runs: true });

const durable = bullmqExecutor({ connection: { host: '127.0.0.1', port: 6379 } });
// @expect-error Type 'number' is not assignable to type 'string'
void durable.start(new ReportFlow(), { month: 7 });
// @expect-error Object literal may only specify known properties
void durable.start(new ReportFlow(), { month: '2026-12' }, { signal: AbortSignal.timeout(1) });
const typed = buildDag<{ day: number }>((tm) => void tm.with({ queue: 'q' }).addNode(() => 1), { name: 'typed' });
// @expect-error Type 'string' is not assignable to type 'number'
void durable.start(typed, { day: 'monday' });
export async function waited(): Promise<void> {
  const result = await durable.wait(new ReportFlow(), 'report-1');
  const rendered: number = result.get('render');
  // @expect-error Argument of type '"nope"' is not assignable
  result.get('nope');
  const built = await durable.wait(typed, 'typed-1');
  void built.trace;
  void rendered;
}

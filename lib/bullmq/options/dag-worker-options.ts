import type { ConnectionOptions, WorkerOptions } from 'bullmq';

/**
 * Options of a {@link DagWorker}.
 *
 * @example
 * const worker = new DagWorker({ connection, queue: 'render', flows: [new ReportFlow(db), reportGraph], concurrency: 8 });
 */
export interface DagWorkerOptions {
  /** How to reach Redis: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  connection: ConnectionOptions;
  /** Prefix of every Redis key and channel; the invokers' executors must use the same one. Default `'async-dag'`. */
  prefix?: string | undefined;
  /**
   * The queue of nodes this worker serves: it runs the nodes whose `queue` option is this name.
   * May be left out by a worker that serves only runs (`runs`).
   */
  queue?: string | undefined;
  /**
   * Also orchestrate the runs of its `flows` started with `executor.start()` (from any process),
   * as `invoke` would, taking over the runs of a process that died. `true` orchestrates up to 8
   * at once; `{ concurrency }` sets how many. Default `false`.
   */
  runs?: boolean | RunsOptions | undefined;
  /**
   * The flows whose nodes it runs: instances of `Dag` classes (a node runs with `this` this
   * instance, so with its injected services) and graphs made by `buildDag(define, { name })`.
   * A flow is known by its name (class name or builder `name`); two of one name are refused.
   */
  flows: readonly object[];
  /** How many node bodies this worker runs at once. Default 1, as BullMQ's. */
  concurrency?: number | undefined;
  /**
   * Passed to BullMQ's `Worker` (e.g. `lockDuration`, `stalledInterval`); `connection`,
   * `prefix`, `concurrency` and `autorun` are this class's own.
   */
  workerOptions?: Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency' | 'autorun'> | undefined;
}

/**
 * How a `DagWorker` serves started runs (`runs: { concurrency }`).
 *
 * @example
 * const worker = new DagWorker({ connection, flows: [new ImportFlow(db)], runs: { concurrency: 32 } });
 */
export interface RunsOptions {
  /** How many runs it orchestrates at once (a run mostly waits on its nodes). Default 8. */
  concurrency?: number | undefined;
}

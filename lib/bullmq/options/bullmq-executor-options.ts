import type { ConnectionOptions } from 'bullmq';

/**
 * Options of {@link bullmqExecutor}.
 *
 * @example
 * const executor = bullmqExecutor({ connection: { host: 'redis', port: 6379 }, prefix: 'reports', retention: 3_600_000 });
 */
export interface BullmqExecutorOptions {
  /** How to reach Redis: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  connection: ConnectionOptions;
  /** Prefix of every Redis key and channel; the workers must use the same one. Default `'async-dag'`. */
  prefix?: string | undefined;
  /**
   * How long, in ms, Redis keeps what a run stored (its fingerprint, the values of its nodes that
   * ran where `invoke` runs, the jobs of its remote attempts and their outcomes) after the run's
   * last invocation ended: within it, invoking the `runId` again resumes the run or gives its
   * stored outcome; after it, the run is forgotten and its `runId` starts a new run. Renewed while
   * a process orchestrates the run, so a run may last longer than its retention. Default
   * 86,400,000 (24 hours).
   */
  retention?: number | undefined;
}

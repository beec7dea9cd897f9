import type { ConnectionOptions } from 'bullmq';

/**
 * Options of {@link bullmqExecutor}.
 *
 * @example
 * const executor = bullmqExecutor({ connection: { host: 'redis', port: 6379 }, prefix: 'reports' });
 */
export interface BullmqExecutorOptions {
  /** How to reach Redis: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  connection: ConnectionOptions;
  /** Prefix of every Redis key and channel; the workers must use the same one. Default `'async-dag'`. */
  prefix?: string | undefined;
}

import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * A connection of our own (a pub/sub subscriber, a publisher) to the Redis that BullMQ uses:
 * a duplicate of a client the user gave, or a new one from the same options.
 */
export function redisClientFor(connection: ConnectionOptions): Redis {
  const given = connection as { duplicate?: unknown };
  if (typeof given.duplicate === 'function') return (given.duplicate as () => Redis)();
  const { url, ...options } = connection as { url?: string } & Record<string, unknown>;
  return url === undefined
    ? new Redis({ ...options, maxRetriesPerRequest: null })
    : new Redis(url, { ...options, maxRetriesPerRequest: null });
}

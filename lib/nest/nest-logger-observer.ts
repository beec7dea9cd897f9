import { Logger, type LoggerService } from '@nestjs/common';
import { describe as reason, stackOf } from '../errors';
import type { DagObserver } from '../run';

const ms = (duration: number): string => `${duration.toFixed(1)} ms`;
const attempts = (count: number): string => (count > 1 ? ` after ${count} attempts` : '');

/**
 * An observer that logs runs to a Nest logger: run start and end at `log`, each node's end with
 * its duration at `debug`, retries at `warn`, a node's failure and a run's rejection at `error`
 * (with the error's stack). `DagModule.forRoot({ logger: true })` gives one to every flow, with
 * the flow's class name as the logger's context.
 *
 * @example
 * await flow.invoke(params, { observer: nestLoggerObserver(new Logger('Checkout')) });
 * // [Checkout] run started (5 nodes)
 * // [Checkout] node "user" fulfilled in 12.0 ms
 * // [Checkout] run fulfilled in 31.4 ms
 */
export function nestLoggerObserver(logger: LoggerService = new Logger('AsyncDag')): DagObserver {
  const debug = (message: string) => void (logger.debug ?? logger.log).call(logger, message);
  return {
    onRunStart: ({ graph }) => {
      logger.log(`run started (${graph.nodes.length} nodes)`);
    },
    onNodeRetry: ({ name, attempt, error, delay }) => {
      logger.warn(`node "${name}" attempt ${attempt} failed: ${reason(error)}; retrying in ${ms(delay)}`);
    },
    onNodeEnd: ({ name, status, duration, attempts: count, error }) => {
      if (status === 'rejected') {
        logger.error(`node "${name}" rejected in ${ms(duration)}${attempts(count)}: ${reason(error)}`, stackOf(error));
      } else if (status === 'fulfilled') {
        debug(`node "${name}" fulfilled in ${ms(duration)}${attempts(count)}`);
      } else {
        debug(`node "${name}" stopped after ${ms(duration)}: the run ended first`);
      }
    },
    onRunEnd: ({ status, duration, error }) => {
      if (status === 'fulfilled') logger.log(`run fulfilled in ${ms(duration)}`);
      else logger.error(`run rejected in ${ms(duration)}: ${reason(error)}`, stackOf(error));
    },
  };
}

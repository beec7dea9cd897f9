import { HttpException, Logger, type LoggerService } from '@nestjs/common';
import { describe as reason, stackOf } from '../errors';
import { DagAbortedError, NodeFailedError, type DagObserver } from '../run';

const ms = (duration: number): string => `${duration.toFixed(1)} ms`;
const attempts = (count: number): string => (count > 1 ? ` after ${count} attempts` : '');

/** An `HttpException` below 500 is the client's mistake (404, 400, ...): Nest does not log those as errors either. */
const isClientError = (error: unknown): boolean => error instanceof HttpException && error.getStatus() < 500;

/**
 * An observer that logs runs to a Nest logger: run start and end at `log`, each node's end with
 * its duration at `debug`, retries at `warn`, a node's failure at `error` with the error's stack
 * (at `warn`, without a stack, for an `HttpException` below 500, such as a `NotFoundException`:
 * an answer to the client, not a fault). Each failure is logged once: the line that ends a run
 * rejected by a node's failure names the node and leaves the error to that node's line. A run
 * stopped by its signal ends at `warn`. `DagModule.forRoot({ logger: true })` gives one to every
 * flow, with the flow's class name as the logger's context.
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
        const line = `node "${name}" rejected in ${ms(duration)}${attempts(count)}: ${reason(error)}`;
        if (isClientError(error)) logger.warn(line);
        else logger.error(line, error instanceof Error ? error.stack : undefined);
      } else if (status === 'fulfilled') {
        debug(`node "${name}" fulfilled in ${ms(duration)}${attempts(count)}`);
      } else {
        debug(`node "${name}" stopped after ${ms(duration)}: the run ended first`);
      }
    },
    onRunEnd: ({ status, duration, error }) => {
      if (status === 'fulfilled') logger.log(`run fulfilled in ${ms(duration)}`);
      // The node's own line has the error (and its stack): said once is enough.
      else if (error instanceof NodeFailedError)
        logger.log(`run rejected in ${ms(duration)}: node "${error.node}" failed`);
      else if (error instanceof DagAbortedError) logger.warn(`run rejected in ${ms(duration)}: ${reason(error)}`);
      else
        logger.error(
          `run rejected in ${ms(duration)}: ${reason(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
    },
  };
}

import { HttpException, Logger, type LoggerService } from '@nestjs/common';
import { describe as reason, stackOf } from '../errors';
import { DagAbortedError, NodeFailedError, type DagObserver } from '../run';

const ms = (duration: number): string => `${duration.toFixed(1)} ms`;
const attempts = (count: number): string => (count > 1 ? ` after ${count} attempts` : '');

/** An `HttpException` below 500 is the client's mistake (404, 400, ...): Nest does not log those as errors either. */
const isClientError = (error: unknown): boolean => error instanceof HttpException && error.getStatus() < 500;

/**
 * An observer that logs runs to a Nest logger, each line with the run's id (`run.id`: the `runId`
 * invoke option when given), so the lines of concurrent runs can be told apart: run start and end at `log`, each node's end with
 * its duration at `debug`, retries at `warn`, a node's failure at `error` with the error's stack
 * (at `warn`, without a stack, for an `HttpException` below 500, such as a `NotFoundException`:
 * an answer to the client, not a fault). Each failure is logged once: the line that ends a run
 * rejected by a node's failure names the node and leaves the error to that node's line. A run
 * stopped by its signal ends at `warn`. `DagModule.forRoot({ logger: true })` gives one to every
 * flow, with the flow's class name as the logger's context.
 *
 * @example
 * await flow.invoke(params, { observer: nestLoggerObserver(new Logger('Checkout')) });
 * // [Checkout] run 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed started (5 nodes)
 * // [Checkout] run 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed: node "user" fulfilled in 12.0 ms
 * // [Checkout] run 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed fulfilled in 31.4 ms
 */
export function nestLoggerObserver(logger: LoggerService = new Logger('AsyncDag')): DagObserver {
  const debug = (message: string) => void (logger.debug ?? logger.log).call(logger, message);
  return {
    onRunStart: ({ run, graph }) => {
      logger.log(`run ${run.id} started (${graph.nodes.length} nodes)`);
    },
    onNodeRetry: ({ run, name, attempt, error, delay }) => {
      logger.warn(
        `run ${run.id}: node "${name}" attempt ${attempt} failed: ${reason(error)}; retrying in ${ms(delay)}`,
      );
    },
    onNodeEnd: ({ run, name, status, duration, attempts: count, error }) => {
      if (status === 'rejected') {
        const line = `run ${run.id}: node "${name}" rejected in ${ms(duration)}${attempts(count)}: ${reason(error)}`;
        if (isClientError(error)) logger.warn(line);
        else logger.error(line, stackOf(error));
      } else if (status === 'fulfilled') {
        debug(`run ${run.id}: node "${name}" fulfilled in ${ms(duration)}${attempts(count)}`);
      } else {
        debug(`run ${run.id}: node "${name}" stopped after ${ms(duration)}: the run ended first`);
      }
    },
    onRunEnd: ({ run, status, duration, error }) => {
      const ended = `run ${run.id} ${status} in ${ms(duration)}`;
      if (status === 'fulfilled') logger.log(ended);
      // The node's own line has the error (and its stack): said once is enough.
      else if (error instanceof NodeFailedError) logger.log(`${ended}: node "${error.node}" failed`);
      else if (error instanceof DagAbortedError) logger.warn(`${ended}: ${reason(error)}`);
      else logger.error(`${ended}: ${reason(error)}`, stackOf(error));
    },
  };
}

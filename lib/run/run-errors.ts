import { DagError } from '../errors';
import { describe } from '../errors';
import type { ExecutionResult } from './execution-result';

/**
 * A node failed (after its retries) and the run was in fail-fast mode. `node` is the node's
 * name, `cause` the error it threw or rejected with, `partial` what the run had produced.
 *
 * @example
 * try {
 *   await dag.invoke(params);
 * } catch (error) {
 *   if (error instanceof NodeFailedError) console.error(error.node, error.cause, error.partial.trace.nodes);
 * }
 */
export class NodeFailedError extends DagError {
  declare readonly code: 'NODE_FAILED';
  /** The name of the node that failed. */
  readonly node: string;
  /** The results of the nodes that fulfilled before the run stopped. */
  readonly partial: ExecutionResult;

  constructor(node: string, cause: unknown, partial: ExecutionResult) {
    super('NODE_FAILED', `Node "${node}" failed: ${describe(cause)}`, { cause });
    this.node = node;
    this.partial = partial;
  }
}

/**
 * One attempt of a node ran past its `timeout`; it is the `cause` of the node's failure.
 *
 * @example
 * const failed = await dag.invoke(params).catch((error: unknown) => error);
 * if (failed instanceof NodeFailedError && failed.cause instanceof NodeTimeoutError) {
 *   console.error(`${failed.cause.node} took more than ${failed.cause.timeout} ms`);
 * }
 */
export class NodeTimeoutError extends DagError {
  declare readonly code: 'NODE_TIMEOUT';
  /** The name of the node that timed out. */
  readonly node: string;
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeout: number;

  constructor(node: string, timeout: number, attempt: number) {
    super(
      'NODE_TIMEOUT',
      `Node "${node}" timed out after ${timeout} ms (attempt ${attempt}). ` +
        'Raise its `timeout` option or make the node honour `ctx.signal`.',
    );
    this.node = node;
    this.timeout = timeout;
  }
}

/**
 * The run was cancelled through `InvokeOptions.signal`. Its `name` is `'AbortError'`, like the
 * platform's own abort errors, and its `cause` is the signal's reason.
 *
 * @example
 * const controller = new AbortController();
 * const run = dag.invoke(params, { signal: controller.signal });
 * controller.abort(new Error('client went away'));
 * await run.catch((error: unknown) => error instanceof DagAbortedError); // true
 */
export class DagAbortedError extends DagError {
  declare readonly code: 'ABORTED';

  constructor(reason: unknown) {
    super('ABORTED', `The run was aborted: ${describe(reason)}`, { cause: reason });
    this.name = 'AbortError';
  }
}

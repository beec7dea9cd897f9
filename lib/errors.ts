import type { ExecutionResult } from './execution-result';

/**
 * Stable codes carried by {@link DagDefinitionError}.
 *
 * - `CYCLE`: the dependencies form a loop; the message shows it as `a -> b -> a`.
 * - `UNKNOWN_DEPENDENCY`: a dependency names a member that is not a node or an immediate.
 * - `DUPLICATE_NODE`: two nodes were given the same name.
 * - `SEALED`: `addNode` was called after `buildDag` returned.
 * - `FOREIGN_NODE`: a `TaskNode` of another builder was used as a dependency.
 * - `INVALID_NODE`: a node is not a function, or is declared on a member that cannot hold one.
 * - `INVALID_OPTION`: a node option (`timeout`, `retry`, `priority`, ...) is out of range.
 *
 * @example
 * const code: DagDefinitionErrorCode = 'CYCLE';
 */
export type DagDefinitionErrorCode =
  | 'CYCLE'
  | 'UNKNOWN_DEPENDENCY'
  | 'DUPLICATE_NODE'
  | 'SEALED'
  | 'FOREIGN_NODE'
  | 'INVALID_NODE'
  | 'INVALID_OPTION';

/**
 * Every error about a graph or a run is a `DagError`. Its `code` is stable across versions,
 * so branch on `code`, never on the message.
 *
 * Codes raised directly as `DagError` (not a subclass): `UNKNOWN_NODE` (`result.get` of a name
 * that is not a node) and `NOT_FULFILLED` (`result.get` of a node that was rejected or skipped).
 *
 * @example
 * try {
 *   await flow.invoke(params);
 * } catch (error) {
 *   if (error instanceof DagError) console.error(error.code, error.message);
 * }
 */
export class DagError extends Error {
  /** A stable identifier of the kind of failure, such as `CYCLE` or `NODE_FAILED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The graph itself is wrong: raised when a graph is defined (by `buildDag`, or by the first
 * `new` of a `Dag` subclass), never halfway through a run.
 *
 * @example
 * try {
 *   buildDag((tm) => tm.with({ timeout: -1 }).addNode(fetchUser));
 * } catch (error) {
 *   if (error instanceof DagDefinitionError && error.code === 'INVALID_OPTION') console.error(error.message);
 * }
 */
export class DagDefinitionError extends DagError {
  declare readonly code: DagDefinitionErrorCode;

  constructor(code: DagDefinitionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

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

/** A short, safe description of any thrown value, for messages. */
export function describe(value: unknown): string {
  try {
    // By shape, not `instanceof Error`: errors from another realm (a DOMException under jest,
    // a vm context) must show their plain message too.
    if (typeof value === 'object' && value !== null) {
      const { message, name } = value as { message?: unknown; name?: unknown };
      if (typeof message === 'string' && message !== '') return message;
      if (typeof message === 'string' && typeof name === 'string') return name;
    }
    return typeof value === 'string' ? value : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

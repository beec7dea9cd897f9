import { DagError } from '../errors';
import type { Graph } from '../graph';
import { nodeIndex } from '../graph';
import type { NodeStatus } from './node-status';
import { Trace } from './trace';
import type { NodeHandle } from '../graph';

/**
 * A node that was rejected, with the error of its last attempt.
 *
 * @example
 * for (const { node, error } of result.errors) console.error(`${node} failed`, error);
 */
export interface NodeError {
  /** The node's name. */
  readonly node: string;
  /** What its last attempt threw or rejected with. */
  readonly error: unknown;
}

/** Node states inside a run; `status()` folds them into the public {@link NodeStatus}. */
export const PENDING = 0;
export const RUNNING = 1;
export const WAITING = 2;
export const FULFILLED = 3;
export const REJECTED = 4;
export const SKIPPED = 5;

/** What a run leaves behind; the engine's run writes it, a result only reads it. */
export interface RunRecord {
  readonly graph: Graph;
  readonly values: readonly unknown[];
  readonly states: readonly number[];
  // A small graph's run keeps its rows in fewer arrays (`attempts` is `states`, `ends` is
  // `starts`, read at an offset of the graph's size); a large one's in arrays of their own.
  /** `attempts[attemptsAt + i]`: how many attempts of node `i` started. */
  readonly attempts: readonly number[];
  /** Where node 0's attempt count is in `attempts`. */
  readonly attemptsAt: number;
  /** `starts[i]`: when node `i` started, in ms since the run began (meaningful only if it started). */
  readonly starts: readonly number[];
  /** `ends[endsAt + i]`: when node `i` ended, in ms since the run began (meaningful only if it started). */
  readonly ends: readonly number[];
  /** Where node 0's end is in `ends`. */
  readonly endsAt: number;
  readonly lastErrors: readonly unknown[];
  readonly errorList: readonly NodeError[];
  readonly duration: number;
  /** ms each remote node waited in its queue (see `TraceEntry.queued`); `undefined` for a run without remote nodes. */
  readonly queued?: readonly (number | undefined)[] | undefined;
}

/** The public status of an internal node state. */
export function statusOf(state: number): NodeStatus {
  return state === FULFILLED ? 'fulfilled' : state === REJECTED ? 'rejected' : 'skipped';
}

/**
 * The outcome of one invocation: each node's value, status and timing.
 *
 * @example
 * const result = await dag.invoke(0);
 * result.get(end);            // the value of TaskNode `end`
 * result.status('fastTaskA'); // 'fulfilled'
 */
export class ExecutionResult {
  readonly #record: RunRecord;
  #trace: Trace | undefined;

  /** @internal Results are made by `invoke`. */
  constructor(record: RunRecord) {
    this.#record = record;
  }

  #indexOf(node: string | NodeHandle): number {
    return nodeIndex(this.#record.graph, node);
  }

  /**
   * The value of a node that fulfilled. Throws `DagError` `UNKNOWN_NODE` for a name that is not
   * a node, and `NOT_FULFILLED` (with the node's error as `cause`) for one that did not fulfil.
   *
   * @example
   * result.get(summaryNode); // typed by the TaskNode
   * result.get('summary');   // unknown
   */
  get<R>(node: NodeHandle<R>): R;
  get(node: string): unknown;
  get(node: string | NodeHandle): unknown {
    const index = this.#indexOf(node);
    const { states, values, lastErrors, graph } = this.#record;
    const state = states[index]!;
    if (state !== FULFILLED) {
      const name = graph.names[index]!;
      const why =
        state === REJECTED
          ? 'it was rejected (see `cause`)'
          : 'it was skipped: a dependency failed, or the run stopped before it ended';
      throw new DagError(
        'NOT_FULFILLED',
        `Node "${name}" has no value: ${why}. Check \`result.status("${name}")\` first.`,
        {
          cause: state === REJECTED ? lastErrors[index] : undefined,
        },
      );
    }
    return values[index];
  }

  /**
   * `'fulfilled'`, `'rejected'` or `'skipped'`. Throws `DagError` `UNKNOWN_NODE` for a name that is not a node.
   *
   * @example
   * const sent = result.status('sendEmail') === 'fulfilled';
   */
  status(node: string | NodeHandle): NodeStatus {
    return statusOf(this.#record.states[this.#indexOf(node)]!);
  }

  /**
   * The nodes that were rejected, in the order they failed, each with the error of its last
   * attempt. In settle mode, every failure; in the `partial` result of a fail-fast run, the one
   * failure that stopped it.
   *
   * @example
   * const result = await dag.invoke(params, { failFast: false });
   * if (result.errors.length > 0) report(result.errors);
   */
  get errors(): readonly NodeError[] {
    return this.#record.errorList;
  }

  /**
   * When each node started and ended, in ms since the invocation began, and how many attempts it took.
   *
   * @example
   * for (const { name, start, end, attempts } of result.trace.nodes) console.log(name, start, end, attempts);
   */
  get trace(): Trace {
    if (this.#trace === undefined) {
      const { graph, states, starts, ends, endsAt, attempts, attemptsAt, duration, queued } = this.#record;
      this.#trace = new Trace(
        graph.names.map((name, i) => {
          const count = attempts[attemptsAt + i]!;
          const started = count > 0;
          const start = starts[i]!;
          const end = ends[endsAt + i]!;
          return Object.freeze({
            name,
            kind: graph.kinds[i]!,
            status: statusOf(states[i]!),
            start: started ? start : undefined,
            end: started ? end : undefined,
            duration: started ? end - start : undefined,
            attempts: count,
            ...(queued?.[i] === undefined ? {} : { queued: queued[i] }),
          });
        }),
        duration,
      );
    }
    return this.#trace;
  }
}

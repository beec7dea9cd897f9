import type { NodeStatus } from './node-status';
import type { NodeKind } from '../graph';
import { renderGantt } from '../pictures';
import { renderTimeline } from '../pictures';

/**
 * One node of a run's trace. Times are ms since the invocation began; `start` and `end` are
 * `undefined` for a node that never started (it was skipped, or the run stopped first).
 *
 * @example
 * const slowest = [...result.trace.nodes].sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0))[0];
 */
export interface TraceEntry {
  /** The node's name. */
  readonly name: string;
  /** `'node'` or `'immediate'`. */
  readonly kind: NodeKind;
  /** As `result.status(name)`. A node that was running when the run stopped is `'skipped'`, with a `start` and an `end`. */
  readonly status: NodeStatus;
  /** When its first attempt started. */
  readonly start: number | undefined;
  /** When it fulfilled, was rejected, or was cut short by the end of the run. */
  readonly end: number | undefined;
  /** `end - start`, retries and their delays included; `undefined` when it never started. */
  readonly duration?: number | undefined;
  /** How many attempts started (0 if it never started). */
  readonly attempts: number;
  /**
   * For a node run by an executor (on a worker): ms it waited between dispatch and start, summed
   * over its attempts. Absent for a node that ran in this process.
   */
  readonly queued?: number | undefined;
}

/**
 * The schedule of one run, `result.trace`: one entry per node, in declaration order, and two
 * pictures of it.
 *
 * @example
 * const result = await dag.invoke(0);
 * result.trace.nodes[0];              // { name: 'fastTaskA', status: 'fulfilled', start: 0.4, end: 101.2, attempts: 1, ... }
 * console.log(result.trace.toTimeline());
 * console.log(result.trace.toGantt()); // paste into a ```mermaid block
 */
export class Trace {
  /** One entry per node, in declaration order. */
  readonly nodes: readonly TraceEntry[];
  /** ms from the start of the invocation to its end. */
  readonly duration: number;

  /** @internal Traces are made by `ExecutionResult.trace`. */
  constructor(nodes: readonly TraceEntry[], duration: number) {
    // Fields written out (no spread): a trace may have a million entries.
    this.nodes = Object.freeze(
      nodes.map((entry) => {
        // Entries made by a result are complete and frozen already: kept as they are.
        if (Object.isFrozen(entry) && 'duration' in entry) return entry;
        const { name, kind, status, start, end, attempts, queued } = entry;
        return Object.freeze({
          ...(queued === undefined ? {} : { queued }),
          name,
          kind,
          status,
          start,
          end,
          duration: start === undefined || end === undefined ? undefined : end - start,
          attempts,
        });
      }),
    );
    this.duration = duration;
  }

  /**
   * A Mermaid `gantt` chart of the run (`dateFormat x`, ms since the invocation began): one bar
   * per node that started, `done` when it fulfilled, `crit` when it was rejected, `active` when
   * the run stopped while it was running; immediates are milestones in a section of their own.
   *
   * @example
   * console.log('```mermaid\n' + result.trace.toGantt() + '```');
   */
  toGantt(): string {
    return renderGantt(this);
  }

  /**
   * A terminal timeline, one row per node: its name, a bar from its start to its end scaled to
   * the run, and its duration and status. Never wider than `width` columns.
   * Throws a `TypeError` unless `width` is an integer from 30 up.
   *
   * @example
   * console.log(result.trace.toTimeline(80));
   * // fastTaskA |███                                          | 101.2 ms
   * // slowTaskB |  ███████████████████████████████████████████| 1002.9 ms
   */
  toTimeline(width = 80): string {
    return renderTimeline(this, width);
  }
}

import type { NodeStatus } from './execution-result';
import type { NodeKind } from './graph';
import { renderGantt } from './render-gantt';
import { renderTimeline } from './render-timeline';

/** One node of a run's trace. Times are ms since the invocation began; `undefined` if it never started or ended. */
export interface TraceEntry {
  readonly name: string;
  readonly kind: NodeKind;
  readonly status: NodeStatus;
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly attempts: number;
}

/**
 * The schedule of one run: one entry per node, in declaration order.
 *
 * @example
 * const result = await dag.invoke(0);
 * console.log(result.trace.toTimeline());
 */
export class Trace {
  /** One entry per node, in declaration order. */
  readonly nodes: readonly TraceEntry[];
  /** ms from the start of the invocation to its end. */
  readonly duration: number;

  /** @internal Traces are made by `ExecutionResult.trace`. */
  constructor(nodes: readonly TraceEntry[], duration: number) {
    this.nodes = Object.freeze([...nodes]);
    this.duration = duration;
  }

  /** A Mermaid `gantt` chart of the run. */
  toGantt(): string {
    return renderGantt(this);
  }

  /** A terminal timeline, one row per node, bars scaled to the run, at most `width` columns wide. */
  toTimeline(width = 80): string {
    return renderTimeline(this, width);
  }
}

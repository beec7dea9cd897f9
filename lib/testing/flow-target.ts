import { classGraphOf, isDagClass } from '../dsl';
import { classOf } from '../dsl';
import { withInvokeDefaults } from '../dsl';
import type { Graph } from '../graph';
import { shown } from '../errors';
import { type InvokeOptions } from '../run';
import { taskGraphOf } from '../builder';

/** What the testing helpers run: a compiled graph, the `this` of its nodes, and how its invocation defaults apply. */
export interface FlowTarget {
  readonly graph: Graph;
  readonly self: unknown;
  withDefaults(options: InvokeOptions | undefined): InvokeOptions | undefined;
}

/**
 * The graph behind a flow: an instance of a class of the DSL (a `Dag` subclass, or a class with
 * `@node` members run with `invokeDag`), or a `TaskGraph` made by `buildDag`. Throws a
 * `TypeError` for anything else, and the class's `DagDefinitionError` for a broken class.
 */
export function flowTarget(flow: unknown, helper: string): FlowTarget {
  const built = taskGraphOf(flow);
  if (built !== undefined) return { graph: built, self: undefined, withDefaults: (options) => options };
  if (typeof flow === 'object' && flow !== null && isDagClass(classOf(flow))) {
    const graph = classGraphOf(flow);
    return { graph, self: flow, withDefaults: (options) => withInvokeDefaults(flow, options) };
  }
  throw new TypeError(
    `${helper}: expected \`flow\` to be an instance of a Dag class (or of a class with @node members) ` +
      `or a TaskGraph from buildDag, got ${shown(flow)}`,
  );
}

/** The index of a node in a flow's graph: the core's lookup, re-exported for the testing helpers. */
export { nodeIndex } from '../graph';

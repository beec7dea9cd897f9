import { newLearning } from '../graph';
import type { DagResult } from '../dsl';
import type { DagParams, NodeName, NodeValue } from '../dsl';
import { runGraph } from '../run';
import type { ExecutionResult } from '../run';
import { contextSight, type Graph } from '../graph';
import { shown } from '../errors';
import { type InvokeOptions } from '../run';
import type { TaskGraph } from '../builder';
import { flowTarget, nodeIndex } from './flow-target';

/**
 * What replaces node `K` of class `T`: a function called as the member would be (a node with
 * `(...depValues, params, ctx)`, an immediate with `(params)`), returning the member's value or a
 * promise of it. Its leading parameters are typed as the method's; any further ones as `any`,
 * since a method may declare fewer parameters than it is given.
 *
 * @example
 * const fakeUser: NodeOverride<ProfileFlow, 'user'> = async (p) => ({ id: p.userId, name: 'Test' });
 */
export type NodeOverride<T, K extends keyof T> = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any method: `unknown[]` parameters would refuse `(x: number) => ...`
  ...args: T[K] extends (...args: any[]) => any ? [...Parameters<T[K]>, ...any[]] : [params: DagParams<T>]
) => NodeValue<T, K> | PromiseLike<NodeValue<T, K>>;

/**
 * Replacements for some nodes of class `T`, by node name.
 *
 * @example
 * const overrides: NodeOverrides<ProfileFlow> = { user: async () => ({ id: 'u1', name: 'Test' }) };
 */
export type NodeOverrides<T> = { [K in NodeName<T>]?: NodeOverride<T, K> };

/**
 * Replacements for some nodes of a `buildDag` graph, by node name.
 *
 * @example
 * await invokeWith(dag, 0, { overrides: { fetchUser: async () => fakeUser } });
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any method: `unknown[]` parameters would refuse `(x: number) => ...`
export type GraphNodeOverrides = Readonly<Record<string, (...args: any[]) => unknown>>;

/**
 * Options of {@link invokeWith}: invocation options, plus the nodes to replace.
 *
 * @example
 * await invokeWith(flow, params, { overrides: { user: async () => fakeUser }, failFast: false });
 */
export interface InvokeWithOptions<O> extends InvokeOptions {
  /** The functions that replace these nodes for this run; every other node runs as it is. */
  overrides?: O | undefined;
}

function withOverrides(graph: Graph, overrides: unknown): Graph {
  if (overrides === undefined) return graph;
  if (typeof overrides !== 'object' || overrides === null) {
    throw new TypeError(
      `invokeWith: expected \`overrides\` to be an object of functions by node name, got ${shown(overrides)}`,
    );
  }
  const runs = [...graph.runs];
  for (const [name, run] of Object.entries(overrides)) {
    if (run === undefined) continue;
    const index = nodeIndex(graph, name, 'invokeWith');
    if (typeof run !== 'function') {
      throw new TypeError(`invokeWith: expected \`overrides.${name}\` to be a function, got ${shown(run)}`);
    }
    runs[index] = run as Graph['runs'][number];
  }
  // A copy with its own `runs`: the class's (or builder's) cached graph is shared by every
  // invocation and must never change. Everything else is immutable, so it is shared as it is,
  // but for what runs teach: a replaced body's timings must not steer the real graph.
  return Object.freeze({
    ...graph,
    runs: Object.freeze(runs),
    seesContext: contextSight(runs, graph.deps, graph.kinds),
    learning: newLearning(),
  });
}

/**
 * Invokes a flow with some of its nodes replaced, for this run only: the same graph, the same
 * scheduler, the same `this` and the same invocation defaults as `flow.invoke(params, options)`,
 * but each node named in `overrides` runs the given function instead. The flow (and its class)
 * is not changed; other invocations, concurrent ones too, are not affected.
 *
 * Works for an instance of a `Dag` class (overrides typed by the class: keys are node names, and
 * each function returns that node's value type or a promise of it), of a class run with
 * `invokeDag`, and for a `TaskGraph` from `buildDag` (keys are node names).
 *
 * A name that is not a node rejects with `DagError` `UNKNOWN_NODE`; a value that is not a
 * function, with a `TypeError`.
 *
 * @example
 * const result = await invokeWith(flow, { userId: 'u1' }, {
 *   overrides: { user: async () => ({ id: 'u1', name: 'Test user' }) },
 *   failFast: false,
 * });
 * result.get('dashboard'); // typed as the flow's dashboard
 */
export function invokeWith<P>(
  flow: TaskGraph<P>,
  params: P,
  options?: InvokeWithOptions<GraphNodeOverrides>,
): Promise<ExecutionResult>;
export function invokeWith<T extends object>(
  flow: T,
  params: DagParams<T>,
  options?: InvokeWithOptions<NodeOverrides<T>>,
): Promise<DagResult<T>>;
export function invokeWith(flow: object, params: unknown, options?: InvokeWithOptions<object>): Promise<unknown> {
  try {
    const target = flowTarget(flow, 'invokeWith');
    let invokeOptions: InvokeOptions | undefined = options;
    let graph = target.graph;
    if (options !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
      if (typeof options !== 'object' || options === null) {
        throw new TypeError(`invokeWith: expected \`options\` to be an object, got ${shown(options)}`);
      }
      const { overrides, ...rest } = options;
      graph = withOverrides(graph, overrides);
      invokeOptions = rest;
    }
    return runGraph(graph, params, target.withDefaults(invokeOptions), target.self);
  } catch (error) {
    return Promise.reject(error);
  }
}

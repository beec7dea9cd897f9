import type { DagParams, NodeName, NodeValue } from '../dsl';
import { runGraph } from '../run';
import { NodeFailedError } from '../run';
import { compileGraph, type NodeDefinition } from '../graph';
import type { DagObserver } from '../run';
import { shown } from '../errors';
import type { TaskGraph } from '../builder';
import type { TaskNode } from '../builder';
import { flowTarget, nodeIndex } from './flow-target';

/** Every prefix of a tuple: `[A, B]` gives `[] | [A] | [A, B]`; an array type stays as it is. */
type Prefixes<A extends readonly unknown[]> = A extends readonly []
  ? []
  : A extends readonly [infer Head, ...infer Rest]
    ? [] | [Head, ...Prefixes<Rest>]
    : A;

/**
 * The dependency values `runNode` accepts for member `K` of `T`, position by position: its
 * leading parameters (a node may declare fewer parameters than it has dependencies, so more
 * values are accepted after them). The exact count is checked when it runs.
 *
 * @example
 * type ProfileDeps = DependencyValuesOf<ProfileFlow, 'profile'>; // accepts [User, Order[]]
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any method: `unknown[]` parameters would refuse `(x: number) => ...`
export type DependencyValuesOf<T, K extends keyof T> = T[K] extends (...args: any[]) => any
  ? OrPromises<Prefixes<Required<Parameters<T[K]>>> | [...Required<Parameters<T[K]>>, ...unknown[]]>
  : [];

/** Each value, or a promise of it. */
type OrPromises<A extends readonly unknown[]> = { [I in keyof A]: A[I] | PromiseLike<A[I]> };

/**
 * Options of {@link runNode}.
 *
 * @example
 * await runNode(flow, 'profile', { deps: [user, orders], params: { userId: 'u1' }, signal: AbortSignal.timeout(1_000) });
 */
export interface RunNodeOptions<D, P> {
  /** The values of the node's dependencies, in declared order (one per declared dependency; a promise is awaited first). */
  deps?: D | undefined;
  /** The `params` the node receives after its dependencies. */
  params?: P | undefined;
  /** Aborts the node's `ctx.signal`; `runNode` then rejects with `DagAbortedError`. */
  signal?: AbortSignal | undefined;
  /** Lifecycle hooks for this one-node run. */
  observer?: DagObserver | undefined;
}

/**
 * Runs one node of a flow alone, with the dependency values given, and resolves with its value:
 * a unit test for one node. It runs as it would in a run of the flow: called as
 * `fn(...deps, params, ctx)` on the flow (so `this` is the instance), with its `timeout` and
 * `retry` options. It rejects with the error the node threw (after its retries; a timeout is a
 * `NodeTimeoutError`), `DagAbortedError` when `signal` aborts, a `TypeError` when `deps` does
 * not hold exactly one value per declared dependency, and `DagError` `UNKNOWN_NODE` for a name
 * that is not a node.
 *
 * @example
 * const dashboard = await runNode(flow, 'dashboard', {
 *   deps: [{ id: 'u1', name: 'Ada' }, [{ id: 'o1', total: 30 }]],
 *   params: { userId: 'u1' },
 * });
 */
export function runNode<P, R>(
  flow: TaskGraph<P>,
  node: TaskNode<R>,
  options?: RunNodeOptions<readonly unknown[], P>,
): Promise<R>;
export function runNode<P>(
  flow: TaskGraph<P>,
  node: string,
  options?: RunNodeOptions<readonly unknown[], P>,
): Promise<unknown>;
export function runNode<T extends object, K extends NodeName<T>>(
  flow: T,
  node: K,
  options?: RunNodeOptions<DependencyValuesOf<T, K>, DagParams<T>>,
): Promise<NodeValue<T, K>>;
export function runNode(
  flow: object,
  node: unknown,
  options?: RunNodeOptions<readonly unknown[], unknown>,
): Promise<unknown> {
  try {
    const { graph, self } = flowTarget(flow, 'runNode');
    const index = nodeIndex(graph, node, 'runNode');
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`runNode: expected \`options\` to be an object, got ${shown(options)}`);
    }
    const { deps = [], params, signal, observer } = options ?? {};
    const name = graph.names[index]!;
    const declared = graph.deps[index]!.map((d) => graph.names[d]!);
    if (!Array.isArray(deps) || deps.length !== declared.length) {
      throw new TypeError(
        `runNode: expected \`deps\` to be an array of ${declared.length} value${declared.length === 1 ? '' : 's'}, ` +
          `one per dependency of "${name}"${declared.length === 0 ? '' : ` (${declared.join(', ')})`}, got ${
            Array.isArray(deps) ? `${deps.length}` : shown(deps)
          }.`,
      );
    }
    // A graph of its own: each dependency value becomes an immediate, then the node itself, with
    // its function and options, so it runs (ctx, timeout, retry) as it would in a whole run.
    const seen = new Map<string, number>();
    const definitions: NodeDefinition[] = declared.map((depName, position) => {
      const count = (seen.get(depName) ?? 0) + 1;
      seen.set(depName, count);
      const value: unknown = deps[position];
      return {
        name: count === 1 ? depName : `${depName}#${count}`,
        kind: 'immediate',
        deps: [],
        run: () => value,
        source: 'value',
      };
    });
    definitions.push({
      name,
      kind: graph.kinds[index]!,
      deps: definitions.map((_, position) => position),
      run: graph.runs[index]!,
      options: graph.options[index],
      source: graph.sources[index],
    });
    const single = compileGraph(`${graph.owner} (runNode "${name}")`, definitions);
    return runGraph(single, params, { signal, observer }, self).then(
      (result) => result.get(name),
      (error: unknown) => {
        throw error instanceof NodeFailedError && error.node === name ? error.cause : error;
      },
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

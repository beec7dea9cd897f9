import { DagDefinitionError } from '../errors';
import { compileGraph, type NodeDefinition } from '../graph';
import type { NodeContext } from '../run';
import { resolveNodeOptions, type NodeOptions } from '../graph';
import { shown } from '../errors';
import { TaskGraph } from './task-graph';
import { FOREIGN_TASK_NODE, NOT_A_TASK_NODE, taskNodeIndex, taskNodeOwner, type NodeOwner } from '../graph';
import { TaskNode } from './task-node';

/**
 * The value a dependency hands to its dependent: a `TaskNode`'s result, or a plain value (awaited).
 *
 * @example
 * type A = DependencyValue<TaskNode<User>>;      // User
 * type B = DependencyValue<Promise<string>>;     // string
 */
export type DependencyValue<D> = D extends TaskNode<infer V> ? V : Awaited<D>;

/**
 * The values of a list of dependencies, position by position.
 *
 * @example
 * type Values = DependencyValues<[TaskNode<User>, number]>; // [User, number]
 */
export type DependencyValues<D extends readonly unknown[]> = { [K in keyof D]: DependencyValue<D[K]> };

/**
 * The functions `addNode` accepts for dependencies `D`: called as `fn(...values, params, ctx)`.
 * For a spread array of unknown length, a function that takes the values as a rest parameter
 * is accepted too (its rest parameter also receives `params` and `ctx` at the end).
 *
 * @example
 * // For deps [TaskNode<User>, TaskNode<Order[]>] and params number:
 * const summary: NodeFunction<[TaskNode<User>, TaskNode<Order[]>], number, string> =
 *   (user, orders, userId, ctx) => `${user.name}: ${orders.length} (${ctx.name})`;
 */
export type NodeFunction<D extends readonly unknown[], P, R> = number extends D['length']
  ? ((...args: [...DependencyValues<D>, P, NodeContext]) => R) | ((...args: DependencyValues<D>) => R)
  : (...args: [...DependencyValues<D>, P, NodeContext]) => R;

/**
 * Per-node options in the builder: {@link NodeOptions} plus the node's `name`.
 *
 * @example
 * const options: BuilderNodeOptions = { name: 'fetchUser', timeout: 2_000, retry: 2, priority: 1 };
 * tm.with(options).addNode(fetchUser);
 */
export interface BuilderNodeOptions extends NodeOptions {
  /** The node's name in results, traces and errors. Default: the function's name, made unique. */
  name?: string | undefined;
}

/**
 * `addNode` with options fixed, returned by {@link DagBuilder.with}. It can add several nodes;
 * each gets the options (a `name` suits only one of them).
 *
 * @example
 * const patient: NodeAdder<number> = tm.with({ retry: 3 });
 * const user = patient.addNode(fetchUser);
 * const orders = patient.addNode(fetchOrders);
 */
export interface NodeAdder<P> {
  /** {@link DagBuilder.addNode}, with the options given to `with()`. */
  addNode<D extends readonly unknown[], R>(fn: NodeFunction<D, P, R>, ...deps: D): TaskNode<Awaited<R>>;
}

/**
 * Collects the nodes of a graph inside {@link buildDag}. After `buildDag` returns it is
 * sealed: `addNode` then throws `DagDefinitionError` `SEALED`.
 *
 * @example
 * const dag = buildDag<number>((tm: DagBuilder<number>) => {
 *   const user = tm.addNode(fetchUser);
 *   tm.addNode(fetchOrders, user);
 * });
 */
export class DagBuilder<P = void> {
  readonly #owner: NodeOwner = { graph: undefined };
  readonly #definitions: NodeDefinition[] = [];
  /** Every name given so far, with its node's index; handed to the compiled graph when sealed. */
  readonly #names = new Map<string, number>();
  readonly #nextSuffix = new Map<string, number>();
  /** Whether a node took a name `node_<k>` that is not its own index's (see `#add`). */
  #nodeShapedNames = false;
  #sealed = false;
  #params: TaskNode<P> | undefined;

  /**
   * Adds a node that runs `fn(...depValues, params, ctx)` once all of `deps` have resolved.
   * A dependency is a `TaskNode` of this builder or a plain value (which becomes an immediate).
   *
   * @example
   * const fastA = tm.addNode(fastTaskA);
   * const slowB = tm.addNode(slowTaskB, fastA);
   * const total = tm.addNode((...xs: number[]) => xs.length, ...manyNodes);
   */
  addNode<D extends readonly unknown[], R>(fn: NodeFunction<D, P, R>, ...deps: D): TaskNode<Awaited<R>> {
    return this.#add(fn, deps, undefined);
  }

  /**
   * Adds a node whose value is `value` (awaited, if it is a promise), known at the start of
   * every invocation.
   *
   * @example
   * const moonUrl = tm.addImmediateNode('moon');
   */
  addImmediateNode<V>(value: V): TaskNode<Awaited<V>> {
    this.#checkOpen();
    return this.#push(this.#immediateFor(value));
  }

  /**
   * The invocation's `params`, as a node: a dependency that hands `params` to any position.
   *
   * @example
   * const total = tm.addNode((price: number, quantity: number) => price * quantity, price, tm.params);
   */
  get params(): TaskNode<P> {
    this.#checkOpen();
    this.#params ??= this.#push({
      name: this.#uniqueName('params'),
      kind: 'immediate',
      deps: [],
      run: (params: unknown) => params,
      source: 'params',
    });
    return this.#params;
  }

  /**
   * Options for the next node: its `name`, `timeout`, `retry`, `priority` and `queue`.
   *
   * @example
   * const fetchUser = tm.with({ name: 'fetchUser', timeout: 2_000, retry: 2 }).addNode(fetchUserFn, userId);
   */
  with(options: BuilderNodeOptions): NodeAdder<P> {
    this.#checkOpen();
    return { addNode: (fn, ...deps) => this.#add(fn, deps, options) };
  }

  #checkOpen(): void {
    if (this.#sealed) {
      throw new DagDefinitionError(
        'SEALED',
        'This builder is sealed: buildDag() has returned, so its graph can no longer change. ' +
          'Add every node inside the function given to buildDag().',
      );
    }
  }

  /**
   * `base`, or `base_2`, `base_3`, ... The next suffix to try is remembered per base, so a
   * function added a million times in a loop costs one lookup per node, not a scan.
   */
  #uniqueName(base: string): string {
    if (!this.#names.has(base)) return base;
    let n = this.#nextSuffix.get(base) ?? 2;
    let name = `${base}_${n}`;
    while (this.#names.has(name)) name = `${base}_${++n}`;
    this.#nextSuffix.set(base, n + 1);
    return name;
  }

  #push<V>(definition: NodeDefinition): TaskNode<V> {
    const index = this.#definitions.length;
    if (definition.name.startsWith('node_') && definition.name !== `node_${index}`) this.#nodeShapedNames = true;
    this.#definitions.push(definition);
    this.#names.set(definition.name, index);
    return new TaskNode<V>(this.#owner, index, definition.name);
  }

  #add<R>(fn: unknown, deps: readonly unknown[], options: BuilderNodeOptions | undefined): TaskNode<Awaited<R>> {
    this.#checkOpen();
    if (typeof fn !== 'function') {
      throw new DagDefinitionError(
        'INVALID_NODE',
        `addNode() expects a function as its first argument, got ${shown(fn)}.`,
      );
    }
    const given = options?.name;
    if (given !== undefined && (typeof given !== 'string' || given === '')) {
      throw new DagDefinitionError(
        'INVALID_OPTION',
        `Expected \`name\` to be a non-empty string, got ${shown(given)}.`,
      );
    }
    if (given !== undefined && this.#names.has(given)) {
      throw new DagDefinitionError(
        'DUPLICATE_NODE',
        `buildDag: two nodes are named "${given}". Give one of them another name.`,
      );
    }
    // Everything is checked before anything is added, so a failed addNode leaves the builder as it was.
    const count = deps.length;
    const depIndices = new Array<number>(count);
    let plainValues = 0;
    let foreign = -1;
    for (let d = 0; d < count; d++) {
      const at = taskNodeIndex(deps[d], this.#owner);
      if (at === NOT_A_TASK_NODE) plainValues++;
      else if (at === FOREIGN_TASK_NODE && foreign < 0) foreign = d;
      depIndices[d] = at;
    }
    // Plain values become immediates just before the node, so the node's index is known now.
    const index = this.#definitions.length + plainValues;
    const fnName = functionName(fn);
    const base = given ?? (fnName === '' ? `node_${index}` : fnName);
    if (foreign >= 0) {
      throw new DagDefinitionError(
        'FOREIGN_NODE',
        `Node "${base}" depends on "${taskNodeOwner(deps[foreign])!.name}", a TaskNode of another buildDag() graph. ` +
          'A graph can only use nodes added to its own builder; add the function here too.',
      );
    }
    const resolved = resolveNodeOptions(base, options, ['name']);
    if (plainValues > 0) {
      for (let d = 0; d < count; d++) {
        if (depIndices[d] !== NOT_A_TASK_NODE) continue;
        depIndices[d] = this.#definitions.length;
        this.#push(this.#immediateFor(deps[d]));
      }
    }
    // `node_<index>` of an anonymous function is unique by its index, unless some other node
    // took a name of that shape; only then is it looked up (a million lookups cost seconds).
    const name = given ?? (fnName === '' && !this.#nodeShapedNames ? base : this.#uniqueName(base));
    return this.#push({
      name,
      kind: 'node',
      deps: Object.freeze(depIndices),
      run: fn as NodeDefinition['run'],
      options: resolved,
      source: 'function',
    });
  }

  #immediateFor(value: unknown): NodeDefinition {
    // The graph owns a promise given as a value: every invocation reports its rejection as a
    // failure of this immediate, so it must not also surface as an unhandled rejection.
    // Both the check and the call are guarded: the value may be a Proxy whose traps throw, or a
    // promise with a `then` of its own that throws (then each run fails this immediate instead).
    try {
      if (value instanceof Promise) value.then(undefined, () => undefined);
    } catch {
      // Nothing to absorb: a value that cannot be inspected is not a promise the graph owns.
    }
    return {
      name: this.#uniqueName(`immediate_${this.#definitions.length}`),
      kind: 'immediate',
      deps: [],
      run: () => value,
      source: 'value',
    };
  }

  /** @internal Stops the builder from taking more nodes. */
  static close(builder: DagBuilder<unknown>): void {
    builder.#sealed = true;
  }

  /** @internal Seals the builder and compiles its graph. */
  static seal<P>(builder: DagBuilder<P>, name: string | undefined): TaskGraph<P> {
    builder.#sealed = true;
    const graph = compileGraph(name ?? 'buildDag', builder.#definitions, builder.#names, name);
    builder.#owner.graph = graph;
    return new TaskGraph<P>(graph);
  }
}

/**
 * A function's own name, without the `bound ` prefix; `''` when it has none that is a string (a
 * class with a static `name()` method, a name redefined as a number, a throwing getter).
 */
function functionName(fn: Function): string {
  let raw: unknown;
  try {
    raw = fn.name;
  } catch {
    return '';
  }
  if (typeof raw !== 'string') return '';
  return raw.startsWith('bound ') ? raw.slice(6) : raw;
}

/**
 * Defines a graph with a builder: `define` adds the nodes, then the graph is sealed and
 * validated (a cycle or a bad option throws `DagDefinitionError` here, never during a run).
 *
 * @example
 * let end!: TaskNode<number>;
 * const dag = buildDag<number>((tm) => {
 *   const fastA = tm.addNode(fastTaskA);
 *   const slowB = tm.addNode(slowTaskB, fastA);
 *   end = tm.addNode(endTask, slowB);
 * });
 * end.extractResult(await dag.invoke(0));
 *
 * // Named, so that workers can find it (see `async-dag/bullmq`):
 * const report = buildDag<Params>((tm) => { ... }, { name: 'report' });
 */
export function buildDag<P = void>(define: (tm: DagBuilder<P>) => void, options?: BuildDagOptions): TaskGraph<P> {
  if (typeof define !== 'function') {
    throw new TypeError(`Expected \`define\` to be a function that adds nodes, got ${shown(define)}`);
  }
  const name = graphName(options);
  const builder = new DagBuilder<P>();
  let returned: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- typed `=> void`, yet an async `define` returns a promise, which is refused below
    returned = define(builder);
  } catch (error) {
    // Closed whatever happens, so a builder that escaped `define` can never change a graph.
    DagBuilder.close(builder);
    throw error;
  }
  if (
    returned !== null &&
    typeof returned === 'object' &&
    typeof (returned as PromiseLike<unknown>).then === 'function'
  ) {
    DagBuilder.close(builder);
    // Its rejection (if any) is ours to absorb: the caller gets this TypeError instead.
    (returned as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new TypeError(
      'Expected `define` to add its nodes synchronously, but it returned a promise. ' +
        'Build the graph synchronously; do asynchronous work inside the nodes.',
    );
  }
  return DagBuilder.seal(builder, name);
}

/**
 * Options of {@link buildDag}.
 *
 * @example
 * const report = buildDag<Params>((tm) => { ... }, { name: 'report' });
 */
export interface BuildDagOptions {
  /**
   * Names the graph: in `graphOf(dag).owner`, in errors and observer events, and for workers,
   * which find a flow by its name (`DagWorker`). A non-empty string.
   */
  name?: string | undefined;
}

function graphName(options: BuildDagOptions | undefined): string | undefined {
  if (options === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object such as { name: 'report' }, got ${shown(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'name') throw new TypeError(`Unknown buildDag option \`${key}\`. Known options: name.`);
  }
  const { name } = options;
  if (name !== undefined && !(typeof name === 'string' && name !== '')) {
    throw new TypeError(`Expected \`name\` to be a non-empty string, got ${shown(name)}`);
  }
  return name;
}

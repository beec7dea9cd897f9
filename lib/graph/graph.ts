import { newLearning, type Learning } from './learning';
import { DagDefinitionError } from '../errors';
import { dependentRows } from './dependent-rows';
import { findCycle } from './find-cycle';
import { seesArgument } from './sees-argument';
import type { ResolvedNodeOptions } from './node-options';

/**
 * `'node'`: an async (or sync) body that takes a concurrency slot. `'immediate'`: a value known at the start.
 *
 * @example
 * graphOf(EventFlow).nodes.filter((n) => n.kind === 'immediate').map((n) => n.name); // ['moonUrl']
 */
export type NodeKind = 'node' | 'immediate';

/**
 * What a front end hands to {@link compileGraph}: one entry per node, dependencies as indices
 * into the same list, in declaration order.
 */
export interface NodeDefinition {
  readonly name: string;
  readonly kind: NodeKind;
  /** Indices of the dependencies, in declared order; a repeat is passed twice. Immediates have none. */
  readonly deps: readonly number[];
  /**
   * A node is called as `run.apply(self, [...depValues, params, ctx])`; an immediate as
   * `run.call(self, params)`. `self` is the instance being invoked (class DSL) or `undefined`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's body takes whatever its dependencies give; `unknown[]` parameters would refuse `(x: number) => ...`
  readonly run: (...args: any[]) => unknown;
  readonly options?: ResolvedNodeOptions | undefined;
  /** Shown in diagrams: what kind of member or value this is (`method`, `getter`, `field`, `value`, `params`). */
  readonly source?: string | undefined;
}

/**
 * A validated, immutable graph: plain arrays indexed by node id, built once and shared by every
 * invocation. Invariant: `order` lists every node after all of its dependencies.
 */
export interface Graph {
  /** Who defined it, for messages: a class name, the builder's `name`, or `buildDag`. */
  readonly owner: string;
  /**
   * The name workers know the flow by: the class name, or the `name` given to `buildDag`;
   * `undefined` for an unnamed builder graph.
   */
  readonly name: string | undefined;
  readonly size: number;
  readonly names: readonly string[];
  readonly indexByName: ReadonlyMap<string, number>;
  readonly kinds: readonly NodeKind[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's body takes whatever its dependencies give; `unknown[]` parameters would refuse `(x: number) => ...`
  readonly runs: readonly ((...args: any[]) => unknown)[];
  /**
   * Whether each node's body can see its `ctx` argument (see `contextSight`): a run makes
   * a `ctx` only for those.
   */
  readonly seesContext: readonly boolean[];
  readonly deps: readonly (readonly number[])[];
  /** `dependents[dependentStart[i] .. dependentStart[i + 1])` are the nodes that list `i`, in declaration order, repeats included. */
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
  /**
   * What a run copies for its per-node state, in rows of `size`: a zero per node (its state,
   * PENDING), a zero per node (its attempts), then its number of declared dependencies, repeats
   * counted (its unmet dependencies). A small graph's run copies it whole, a large one's row by
   * row (see `RunRecord`). Never written, but left unfrozen: V8 copies a frozen array about 30
   * times slower.
   */
  readonly initialStates: readonly number[];
  /** Two zeros per node stored as doubles, copied the same way for its start and end times. */
  readonly zeroTimes: readonly number[];
  readonly immediates: Int32Array;
  /** The nodes (not immediates) whose dependencies are all immediates, in declaration order: they start with the run. */
  readonly roots: Int32Array;
  readonly options: readonly (ResolvedNodeOptions | undefined)[];
  readonly hasOptions: boolean;
  readonly sources: readonly (string | undefined)[];
  /** A topological order. */
  readonly order: Int32Array;
  /**
   * What the graph's runs have taught the scheduler (durations, whether runs are quick). The one
   * mutable part, and never part of what the graph means: it steers only the order of ready
   * nodes and which clock times a run. A copy of a graph gets its own.
   */
  readonly learning: Learning;
}

/**
 * Compiles and validates definitions into a {@link Graph}. Throws `DagDefinitionError` with
 * `DUPLICATE_NODE`, `INVALID_NODE` or `CYCLE` (with its path); this is the public edge where
 * the results of internal checks become errors.
 */
export function compileGraph(
  owner: string,
  definitions: readonly NodeDefinition[],
  knownIndexByName?: ReadonlyMap<string, number>,
  name?: string,
): Graph {
  const size = definitions.length;
  // A front end that already mapped every name to its index hands its map over (the builder
  // does, to make names unique as it goes): one entry per definition means no name is taken
  // twice. For a huge graph, hashing every name again is most of the cost of compiling.
  const trusted = knownIndexByName?.size === size;
  const indexByName: ReadonlyMap<string, number> = trusted ? knownIndexByName : new Map<string, number>();
  // Sized up front: a million pushes would copy each array again and again as it grows.
  const names = new Array<string>(size);
  const kinds = new Array<NodeKind>(size);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's body takes whatever its dependencies give; `unknown[]` parameters would refuse `(x: number) => ...`
  const runs = new Array<(...args: any[]) => unknown>(size);
  const deps = new Array<readonly number[]>(size);
  const options = new Array<ResolvedNodeOptions | undefined>(size);
  const sources = new Array<string | undefined>(size);
  const immediates: number[] = [];
  const inDegree = new Array<number>(size).fill(0);
  let hasOptions = false;

  for (let i = 0; i < size; i++) {
    const definition = definitions[i]!;
    const { name, kind, run } = definition;
    if (!trusted && indexByName.has(name)) {
      throw new DagDefinitionError(
        'DUPLICATE_NODE',
        `${owner}: two nodes are named "${name}". Give one of them another name.`,
      );
    }
    if (typeof run !== 'function') {
      throw new DagDefinitionError('INVALID_NODE', `${owner}: node "${name}" is not a function.`);
    }
    // A front end may hand over a frozen list (the builder does); anything else is copied, so
    // the graph never shares a mutable array with its definitions.
    const given = definition.deps;
    const nodeDeps = Object.isFrozen(given) ? given : Object.freeze(given.slice());
    for (const d of nodeDeps) {
      if (!Number.isInteger(d) || d < 0 || d >= size) {
        throw new DagDefinitionError('INVALID_NODE', `${owner}: node "${name}" has a dependency outside the graph.`);
      }
    }
    if (kind === 'immediate') {
      if (nodeDeps.length > 0) {
        throw new DagDefinitionError('INVALID_NODE', `${owner}: immediate "${name}" cannot have dependencies.`);
      }
      immediates.push(i);
    }
    if (!trusted) (indexByName as Map<string, number>).set(name, i);
    names[i] = name;
    kinds[i] = kind;
    runs[i] = run;
    deps[i] = nodeDeps;
    inDegree[i] = nodeDeps.length;
    options[i] = definition.options;
    sources[i] = definition.source;
    if (definition.options !== undefined) hasOptions = true;
  }

  const rows = dependentRows(deps);
  const search = findCycle(deps, rows);
  if (!search.ok) {
    const path = search.cycle.map((i) => names[i]).join(' -> ');
    const fix =
      search.cycle.length === 2
        ? `Node "${names[search.cycle[0]!]}" depends on itself; remove that dependency.`
        : 'Remove one of these dependencies to break the loop.';
    throw new DagDefinitionError(
      'CYCLE',
      `${owner}: the dependencies form a cycle: ${path} (each arrow points from a dependency to the node that needs it). ${fix}`,
    );
  }

  const { start: dependentStart, dependents } = rows;
  const roots: number[] = [];
  for (let i = 0; i < size; i++) {
    if (kinds[i] === 'node' && deps[i]!.every((d) => kinds[d] === 'immediate')) roots.push(i);
  }

  return Object.freeze({
    owner,
    name,
    size,
    names: Object.freeze(names),
    indexByName,
    kinds: Object.freeze(kinds),
    runs: Object.freeze(runs),
    seesContext: contextSight(runs, deps, kinds),
    deps: Object.freeze(deps),
    dependentStart,
    dependents,
    initialStates: new Array<number>(2 * size).fill(0).concat(inDegree),
    zeroTimes: doubleZeros(2 * size),
    immediates: Int32Array.from(immediates),
    roots: Int32Array.from(roots),
    options: Object.freeze(options),
    hasOptions,
    sources: Object.freeze(sources),
    order: search.order,
    learning: newLearning(),
  });
}

/**
 * For each node, whether its body can see its `ctx`, the argument after its dependencies' values
 * and `params` (see `seesArgument`: conservative). Immediates get no `ctx`.
 */
export function contextSight(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's body takes whatever its dependencies give; `unknown[]` parameters would refuse `(x: number) => ...`
  runs: readonly ((...args: any[]) => unknown)[],
  deps: readonly (readonly number[])[],
  kinds: readonly NodeKind[],
): boolean[] {
  const sight = new Array<boolean>(runs.length);
  for (let i = 0; i < runs.length; i++) sight[i] = kinds[i] === 'node' && seesArgument(runs[i]!, deps[i]!.length + 1);
  return sight;
}

/** `size` zeros in an array that V8 stores as doubles, so that writing a time into a copy changes nothing of its layout. */
function doubleZeros(size: number): number[] {
  const zeros = new Array<number>(size).fill(0.5);
  for (let i = 0; i < size; i++) zeros[i] = 0;
  return zeros;
}

import { classGraphOf, classOf, invokeDag, isDagClass } from '../dsl';
import { taskGraphOf } from '../builder';
import type { Graph } from '../graph';
import { shown } from '../errors';
import type { ExecutionResult, InvokeOptions } from '../run';

/** A flow a worker serves: its graph, and the `this` its nodes run with. */
export interface ServedFlow {
  readonly graph: Graph;
  readonly self: unknown;
  /** What the user gave: a `Dag` instance, an instance of a class with `@node` members, or a `buildDag` graph. */
  readonly flow: object;
}

/** Invokes a flow as its user would: `flow.invoke()` (a `Dag`'s defaults apply), or the engine for a plain decorated class. */
export function invokeFlow(served: ServedFlow, params: unknown, options: InvokeOptions): Promise<ExecutionResult> {
  const { invoke } = served.flow as { invoke?: unknown };
  if (typeof invoke === 'function') {
    return Reflect.apply(invoke, served.flow, [params, options]) as Promise<ExecutionResult>;
  }
  return invokeDag(served.flow, params, options) as Promise<unknown> as Promise<ExecutionResult>;
}

/**
 * The flows of a worker by name: a `Dag` instance by its class name, a `buildDag` graph by its
 * `name`. Throws a `TypeError` for something else, an unnamed builder graph, or two flows of one
 * name (which would make the worker's choice of copy arbitrary).
 */
export function flowsByName(flows: unknown): ReadonlyMap<string, ServedFlow> {
  if (!Array.isArray(flows)) {
    throw new TypeError(`Expected \`flows\` to be an array of flow instances and buildDag graphs, got ${shown(flows)}`);
  }
  const byName = new Map<string, ServedFlow>();
  const positions = new Map<string, number>();
  flows.forEach((flow: unknown, position) => {
    const served = servedFlow(flow, `flows[${position}]`);
    const name = served.graph.name!;
    if (byName.has(name)) {
      throw new TypeError(
        `Expected one flow per name in \`flows\`, got two named "${name}" (flows[${positions.get(name)!}] and flows[${position}]). ` +
          "Rename one (the class, or the builder graph's `name`).",
      );
    }
    byName.set(name, served);
    positions.set(name, position);
  });
  return byName;
}

/** A flow given to a worker or an executor; `what` names the argument in errors (`flows[0]`, `flow`). */
export function servedFlow(flow: unknown, what: string): ServedFlow {
  const built = taskGraphOf(flow);
  if (built !== undefined) {
    if (built.name === undefined) {
      throw new TypeError(
        `Expected \`${what}\` to have a name, got a buildDag() graph without one: ` +
          "workers find flows by name, so build it with buildDag(define, { name: 'report' }).",
      );
    }
    return { graph: built, self: undefined, flow: flow as object };
  }
  if (typeof flow === 'object' && flow !== null && isDagClass(classOf(flow))) {
    return { graph: classGraphOf(flow), self: flow, flow };
  }
  throw new TypeError(
    `Expected \`${what}\` to be an instance of a Dag class (or of a class with @node members) ` +
      `or a TaskGraph from buildDag, got ${shown(flow)}`,
  );
}

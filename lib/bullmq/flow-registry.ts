import { classGraphOf, classOf, isDagClass } from '../dsl';
import { taskGraphOf } from '../builder';
import type { Graph } from '../graph';
import { shown } from '../errors';

/** A flow a worker serves: its graph, and the `this` its nodes run with. */
export interface ServedFlow {
  readonly graph: Graph;
  readonly self: unknown;
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
    const served = servedFlow(flow, position);
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

function servedFlow(flow: unknown, position: number): ServedFlow {
  const built = taskGraphOf(flow);
  if (built !== undefined) {
    if (built.name === undefined) {
      throw new TypeError(
        `Expected \`flows[${position}]\` to have a name, got a buildDag() graph without one: ` +
          "workers find flows by name, so build it with buildDag(define, { name: 'report' }).",
      );
    }
    return { graph: built, self: undefined };
  }
  if (typeof flow === 'object' && flow !== null && isDagClass(classOf(flow))) {
    return { graph: classGraphOf(flow), self: flow };
  }
  throw new TypeError(
    `Expected \`flows[${position}]\` to be an instance of a Dag class (or of a class with @node members) ` +
      `or a TaskGraph from buildDag, got ${shown(flow)}`,
  );
}

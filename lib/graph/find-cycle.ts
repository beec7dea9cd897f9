import { dependentRows, type DependentRows } from './dependent-rows';

/** The answer of {@link findCycle}: a topological order, or one cycle as a path of node indices. */
export type CycleSearch =
  { readonly ok: true; readonly order: Int32Array } | { readonly ok: false; readonly cycle: number[] };

/**
 * Orders the nodes so that every node comes after its dependencies (Kahn's algorithm), or
 * finds one cycle. Iterative, so graphs of any depth are fine. `deps[i]` lists the indices that
 * node `i` depends on (repeats allowed); `rows` are its dependents, when the caller has them
 * already. The cycle is returned closed: `[a, b, a]`.
 */
export function findCycle(
  deps: readonly (readonly number[])[],
  rows: DependentRows = dependentRows(deps),
): CycleSearch {
  const size = deps.length;
  const inDegree = new Int32Array(size);
  for (let i = 0; i < size; i++) inDegree[i] = deps[i]!.length;
  const { start: rowStart, dependents } = rows;
  const order = new Int32Array(size);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < size; i++) if (inDegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const done = order[head++]!;
    const end = rowStart[done + 1]!;
    for (let e = rowStart[done]!; e < end; e++) {
      const k = dependents[e]!;
      const left = --inDegree[k]!;
      if (left === 0) order[tail++] = k;
    }
  }
  if (tail === size) return { ok: true, order };

  // Every node left has an unresolved dependency that is also left, so walking from any of
  // them along such dependencies must revisit a node: that loop is a cycle.
  const seenAt = new Int32Array(size).fill(-1);
  const path: number[] = [];
  let current = inDegree.findIndex((degree) => degree > 0);
  while (seenAt[current]! < 0) {
    seenAt[current] = path.length;
    path.push(current);
    current = deps[current]!.find((d) => inDegree[d]! > 0)!;
  }
  // The walk follows dependencies (node -> what it needs); show the cycle in the direction
  // work flows (dependency -> dependent), starting from its lowest index for a stable message.
  const loop = path.slice(seenAt[current]).reverse();
  let start = 0;
  for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[start]!) start = i;
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return { ok: false, cycle: [...rotated, rotated[0]!] };
}

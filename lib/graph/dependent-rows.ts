/**
 * Who depends on whom, in compressed rows: `dependents[start[d] .. start[d + 1])` are the nodes
 * that list `d`, in declaration order, a repeat listed twice. Two flat arrays instead of one
 * array per node, which matters for graphs of a million nodes.
 */
export interface DependentRows {
  readonly start: Int32Array;
  readonly dependents: Int32Array;
}

/** Builds the {@link DependentRows} of `deps` (`deps[i]`: the indices node `i` depends on). */
export function dependentRows(deps: readonly (readonly number[])[]): DependentRows {
  const size = deps.length;
  const start = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    const list = deps[i]!;
    for (const d of list) start[d + 1]!++;
  }
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const dependents = new Int32Array(start[size]!);
  const fill = start.slice(0, size);
  for (let i = 0; i < size; i++) {
    const list = deps[i]!;
    for (const d of list) dependents[fill[d]!++] = i;
  }
  return { start, dependents };
}

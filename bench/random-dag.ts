/**
 * A seeded random DAG, described as plain arrays so that every contender wires the very same
 * graph: node `i` depends on up to `maxDeps` distinct earlier nodes, so the ids are already in a
 * topological order.
 */
export interface RandomDag {
  readonly size: number;
  /** `deps[i]`: the dependencies of node `i`, all smaller than `i`, in declared order. */
  readonly deps: readonly (readonly number[])[];
  /** Simulated duration (ms) of each node, for the schedule-quality bench; 0 when not asked for. */
  readonly durations: readonly number[];
}

/** mulberry32: a tiny, fast, seeded PRNG; the same seed gives the same graphs on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomDagOptions {
  readonly size: number;
  readonly seed: number;
  /** Each node gets 0..maxDeps distinct dependencies (default 3). */
  readonly maxDeps?: number;
  /**
   * Pick dependencies among the `window` nearest earlier nodes (default: all earlier nodes).
   * A window keeps the graph deep: with all earlier nodes, a 10,000-node graph is shallow and
   * wide; with a window of 20, it has long chains worth scheduling well.
   */
  readonly window?: number;
  /** Simulated durations are drawn uniformly from `[min, max]` ms (default: none). */
  readonly durations?: { readonly min: number; readonly max: number };
}

export function randomDag(options: RandomDagOptions): RandomDag {
  const { size, seed, maxDeps = 3, window = Infinity, durations } = options;
  const random = seededRandom(seed);
  const deps: number[][] = [];
  const ms: number[] = [];
  for (let i = 0; i < size; i++) {
    const count = i === 0 ? 0 : Math.floor(random() * (maxDeps + 1));
    const lowest = Math.max(0, i - window);
    const mine: number[] = [];
    for (let k = 0; k < count && mine.length < i - lowest; k++) {
      let d: number;
      do d = lowest + Math.floor(random() * (i - lowest));
      while (mine.includes(d));
      mine.push(d);
    }
    deps.push(mine);
    ms.push(durations === undefined ? 0 : Math.round(durations.min + random() * (durations.max - durations.min)));
  }
  return { size, deps, durations: ms };
}

/** Length (ms) of the longest path, each node weighing its duration. */
export function criticalPathLength(dag: RandomDag): number {
  const finish = new Array<number>(dag.size).fill(0);
  let longest = 0;
  for (let i = 0; i < dag.size; i++) {
    let ready = 0;
    for (const d of dag.deps[i]!) ready = Math.max(ready, finish[d]!);
    finish[i] = ready + dag.durations[i]!;
    longest = Math.max(longest, finish[i]!);
  }
  return longest;
}

/** Sum of all durations (ms). */
export function totalWork(dag: RandomDag): number {
  return dag.durations.reduce((sum, d) => sum + d, 0);
}

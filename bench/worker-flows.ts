// The flows of the workers bench, built the same way in the bench process and in its worker
// processes: a chain of no-op nodes, a 200-node random DAG of 20 ms nodes, and a tree.
import { buildDag, type TaskGraph } from 'async-dag';
import { randomDag, type RandomDag } from './random-dag';

export const BENCH_QUEUE = 'bench-dag';
export const RAW_QUEUE = 'bench-raw';

export interface NodeParams {
  readonly ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The random DAG: 200 nodes, each 20 ms, up to 3 dependencies among the 12 before it. */
export const RANDOM_DAG: RandomDag = randomDag({
  size: 200,
  seed: 11,
  maxDeps: 3,
  window: 12,
  durations: { min: 20, max: 20 },
});

/** A tree as a DAG: node `i` (from 1) is a child of `(i - 1) / branching`; a parent needs its children. */
export function treeDag(depth: number, branching: number): RandomDag {
  const size = (branching ** (depth + 1) - 1) / (branching - 1);
  // Children before parents: index `size - 1 - i` is node `i` of the tree.
  const deps: number[][] = [];
  for (let k = 0; k < size; k++) {
    const i = size - 1 - k;
    const children: number[] = [];
    for (let c = 1; c <= branching; c++) {
      const child = i * branching + c;
      if (child < size) children.push(size - 1 - child);
    }
    deps.push(children);
  }
  return { size, deps, durations: new Array<number>(size).fill(20) };
}

export const TREE = treeDag(3, 3);

/** A graph whose node `i` sleeps `durations[i]` ms on the bench queue and returns 1. */
export function remoteGraph(name: string, dag: RandomDag): TaskGraph<NodeParams> {
  return buildDag<NodeParams>(
    (tm) => {
      const nodes: ReturnType<typeof tm.addNode>[] = [];
      for (let i = 0; i < dag.size; i++) {
        const ms = dag.durations[i]!;
        nodes.push(
          tm.with({ name: `n${i}`, queue: BENCH_QUEUE }).addNode(
            async () => {
              if (ms > 0) await sleep(ms);
              return 1;
            },
            ...dag.deps[i]!.map((d) => nodes[d]!),
          ),
        );
      }
    },
    { name },
  );
}

/** A chain of `size` no-op remote nodes: the per-node cost of a round trip. */
export function chainDag(size: number): RandomDag {
  return {
    size,
    deps: Array.from({ length: size }, (_, i) => (i === 0 ? [] : [i - 1])),
    durations: new Array<number>(size).fill(0),
  };
}

export const CHAIN_SIZES = [50, 200] as const;

export function allFlows(): TaskGraph<NodeParams>[] {
  return [
    remoteGraph('random200', RANDOM_DAG),
    remoteGraph('tree', TREE),
    ...CHAIN_SIZES.map((size) => remoteGraph(`chain${size}`, chainDag(size))),
  ];
}

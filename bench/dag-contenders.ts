/**
 * The same random DAG wired into each library under test, prebuilt once; each factory returns
 * `invoke`, which runs the whole graph once. Every node body is the same no-op `async` function;
 * each contender hands it the values of its dependencies as far as its API allows.
 */
import { PGraph } from 'p-graph';
import asyncLib from 'async';
import { buildDag, type DagObserver, type TaskNode } from 'async-dag';
import type { RandomDag } from './random-dag';

/** What every node does. */
export type Body = (...args: unknown[]) => Promise<number>;

/**
 * Nothing, asynchronously. Anonymous on purpose (an element of an array literal gets no name):
 * the builder names a node after its function, so one named function for 10,000 nodes would
 * time the naming of `noop_2` ... `noop_10000`, which the "build" figures measure separately.
 */
export const noop: Body = [async (..._args: unknown[]) => 0][0]!;

/** Hand-wired: one `Promise.all(deps).then(body)` per node, the least any promise graph can do. */
export function promiseAllInvoke(dag: RandomDag, body: Body = noop): () => Promise<unknown> {
  const { size, deps } = dag;
  return () => {
    const promises = new Array<Promise<unknown>>(size);
    for (let i = 0; i < size; i++) {
      const mine = deps[i]!;
      if (mine.length === 0) {
        promises[i] = body();
      } else {
        const waits = new Array<Promise<unknown>>(mine.length);
        for (let d = 0; d < mine.length; d++) waits[d] = promises[mine[d]!]!;
        promises[i] = Promise.all(waits).then((values) => body(...values));
      }
    }
    return Promise.all(promises);
  };
}

/** async-dag's builder: one `addNode(body, ...deps)` per node. */
export function asyncDagBuilderInvoke(
  dag: RandomDag,
  body: Body = noop,
  options?: { observer?: DagObserver },
): () => Promise<unknown> {
  const graph = buildDag((tm) => {
    const nodes: TaskNode<number>[] = [];
    for (let i = 0; i < dag.size; i++) nodes.push(tm.addNode(body, ...dag.deps[i]!.map((d) => nodes[d]!)));
  });
  return options === undefined ? () => graph.invoke() : () => graph.invoke(undefined, options);
}

/**
 * p-graph v2: nodes by string id and `[dependency, dependent]` edges. It passes no values, so
 * the shared runner reads them from this run's array.
 */
export function pGraphInvoke(dag: RandomDag, body: Body = noop, concurrency?: number): () => Promise<unknown> {
  const nodes: Record<string, { priority: number }> = {};
  const edges: [string, string][] = [];
  for (let i = 0; i < dag.size; i++) {
    nodes[i] = { priority: 1 };
    for (const d of dag.deps[i]!) edges.push([String(d), String(i)]);
  }
  const graph = new PGraph(nodes, edges);
  return () => {
    const values = new Array<unknown>(dag.size);
    return graph.run({
      ...(concurrency === undefined ? {} : { concurrency }),
      run: async (id) => {
        const i = Number(id);
        const mine = dag.deps[i]!;
        const args = new Array<unknown>(mine.length);
        for (let d = 0; d < mine.length; d++) args[d] = values[mine[d]!];
        values[i] = await body(...args);
      },
    });
  };
}

/**
 * graph-run v1 (the ESM build, loaded with a dynamic import): entry points are all nodes,
 * `getDeps` returns ids, and `visit` gets the values of the dependencies in graph-run's own
 * `depResults` map (its fourth argument).
 */
export async function graphRunInvoke(dag: RandomDag, body: Body = noop): Promise<() => Promise<unknown>> {
  const { graphRun } = await import('graph-run');
  const all = Array.from({ length: dag.size }, (_, i) => i);
  return () =>
    graphRun<number, unknown>({
      graph: all as [number, ...number[]],
      getDeps: (i) => dag.deps[i] as number[],
      visit: (i, _signal, _path, depResults) => {
        const mine = dag.deps[i]!;
        const args = new Array<unknown>(mine.length);
        for (let d = 0; d < mine.length; d++) args[d] = depResults.get(mine[d]!);
        return body(...args);
      },
    });
}

/** async.auto: `{ n3: ['n0', 'n1', async (results) => ...] }`; results arrive by name. */
export function asyncAutoInvoke(dag: RandomDag, body: Body = noop): () => Promise<unknown> {
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < dag.size; i++) {
    const names = dag.deps[i]!.map((d) => `n${d}`);
    if (names.length === 0) {
      tasks[`n${i}`] = async () => body();
    } else {
      tasks[`n${i}`] = [...names, async (results: Record<string, unknown>) => body(...names.map((n) => results[n]))];
    }
  }
  return () => asyncLib.auto(tasks as never);
}

/**
 * Schedule quality with a concurrency limit: random DAGs whose nodes sleep for seeded durations,
 * run by a FIFO scheduler, by p-graph (each node priority 1, so it favours the longest chain
 * counted in nodes) and by async-dag (its first run ranks by node count; later runs rank by the
 * durations it measured). Each makespan is compared with the lower bound
 * max(critical path, total work / concurrency): no schedule can beat it.
 */
import { PGraph } from 'p-graph';
import { buildDag, type TaskGraph, type TaskNode } from 'async-dag';
import { runFifo } from './fifo-scheduler';
import { criticalPathLength, randomDag, totalWork, type RandomDag } from './random-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ScheduleRow {
  readonly graph: string;
  readonly concurrency: number;
  readonly lowerBound: number;
  /** Makespan in ms, by scheduler. */
  readonly makespans: Readonly<Record<string, number>>;
}

export const SCHEDULERS = ['FIFO', 'p-graph', 'async-dag (1st run)', 'async-dag (learned)'] as const;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

function asyncDagGraph(dag: RandomDag): TaskGraph<void> {
  return buildDag((tm) => {
    const nodes: TaskNode<void>[] = [];
    for (let i = 0; i < dag.size; i++) {
      const ms = dag.durations[i]!;
      nodes.push(tm.with({ name: `n${i}` }).addNode(() => sleep(ms), ...dag.deps[i]!.map((d) => nodes[d]!)));
    }
  });
}

function pGraphOf(dag: RandomDag): PGraph {
  const nodes: Record<string, { run: () => Promise<void>; priority: number }> = {};
  const edges: [string, string][] = [];
  for (let i = 0; i < dag.size; i++) {
    const ms = dag.durations[i]!;
    nodes[i] = { run: () => sleep(ms), priority: 1 };
    for (const d of dag.deps[i]!) edges.push([String(d), String(i)]);
  }
  return new PGraph(nodes, edges);
}

export interface ScheduleOptions {
  readonly graphs: number;
  readonly size: number;
  readonly concurrencies: readonly number[];
  /** Runs of async-dag before the "learned" one is timed. */
  readonly learningRuns: number;
}

export async function scheduleQuality(options: ScheduleOptions): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for (let g = 0; g < options.graphs; g++) {
    const seed = 100 + g;
    // A window of 12 makes long chains with side branches: the shape where order matters.
    const dag = randomDag({ size: options.size, seed, maxDeps: 3, window: 12, durations: { min: 2, max: 40 } });
    const critical = criticalPathLength(dag);
    const work = totalWork(dag);
    for (const concurrency of options.concurrencies) {
      const makespans: Record<string, number> = {};
      makespans['FIFO'] = await timed(() => runFifo(dag, concurrency, (i) => sleep(dag.durations[i]!)));
      const pGraph = pGraphOf(dag);
      makespans['p-graph'] = await timed(() => pGraph.run({ concurrency }));
      // A fresh graph has learned nothing: its first run ranks nodes by path length in nodes.
      const graph = asyncDagGraph(dag);
      makespans['async-dag (1st run)'] = await timed(() => graph.invoke(undefined, { concurrency }));
      for (let r = 1; r < options.learningRuns; r++) await graph.invoke(undefined, { concurrency });
      makespans['async-dag (learned)'] = await timed(() => graph.invoke(undefined, { concurrency }));
      rows.push({
        graph: `#${g + 1} (${dag.size} nodes, seed ${seed})`,
        concurrency,
        lowerBound: Math.max(critical, work / concurrency),
        makespans,
      });
    }
  }
  return rows;
}

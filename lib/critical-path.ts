import { FULFILLED, type RunRecord } from './execution-result';
import type { Graph } from './graph';

/**
 * What the scheduler has learned of a graph from its earlier runs: a moving average of each
 * node's duration. Kept beside the graph (never in it), so the graph itself stays immutable;
 * sharing it between concurrent runs is harmless, since it only steers the order of ready nodes.
 */
interface Durations {
  readonly average: Float64Array;
  /** Runs finished so far (not all of them are recorded). */
  runs: number;
  /** Bumped when the ranks should be computed again, so cached ranks know they are stale. */
  version: number;
  ranks?: { readonly version: number; readonly ranks: Float64Array } | undefined;
}

const learned = new WeakMap<Graph, Durations>();

/** Weight of the newest measurement in the moving average. */
const LEARNING_RATE = 0.3;

/**
 * Records the durations (ms) of the nodes that fulfilled in a finished run. Only node bodies are
 * recorded: immediates weigh nothing.
 *
 * Sampled, not exhaustive: the first four runs of a graph are all recorded, then every 8th.
 * A graph invoked in a hot loop would otherwise pay a pass over its nodes per run (measured: 6%
 * of a six-node invocation) for averages that have long settled; and the ranks, which cost a pass
 * over every edge, are recomputed only after a recorded run.
 */
export function learnDurations(run: RunRecord): void {
  const { graph, states, starts, ends } = run;
  let entry = learned.get(graph);
  if (entry === undefined) {
    entry = { average: new Float64Array(graph.size).fill(NaN), runs: 0, version: 0 };
    learned.set(graph, entry);
  }
  entry.runs++;
  if (entry.runs > 4 && entry.runs % 8 !== 0) return;
  const { average } = entry;
  for (let i = 0; i < graph.size; i++) {
    if (states[i] !== FULFILLED || graph.kinds[i] === 'immediate') continue;
    const d = ends[i]! - starts[i]!;
    const previous = average[i]!;
    average[i] = Number.isNaN(previous) ? d : previous + LEARNING_RATE * (d - previous);
  }
  entry.version++;
}

/** Ranks of graphs that have not finished a run yet (every node weighs 1): they never change. */
const unitRanks = new WeakMap<Graph, Float64Array>();

/**
 * Each node's rank: the length of the longest path from it to the end of the graph, itself
 * included. Before any run a node weighs 1 (immediates 0); once the graph has run, a node
 * weighs its average measured duration (the mean of the measured ones when it has none), plus
 * a tiny unit so that among nodes of equal duration the longer chain still comes first.
 */
export function criticalPathRanks(graph: Graph): Float64Array {
  const entry = learned.get(graph);
  if (entry?.ranks !== undefined && entry.ranks.version === entry.version) return entry.ranks.ranks;
  if (entry === undefined) {
    const cached = unitRanks.get(graph);
    if (cached !== undefined) return cached;
  }

  const { size, kinds, order, dependentStart, dependents } = graph;
  const weight = new Float64Array(size);
  if (entry === undefined) {
    for (let i = 0; i < size; i++) weight[i] = kinds[i] === 'immediate' ? 0 : 1;
  } else {
    let sum = 0;
    let count = 0;
    for (const d of entry.average) {
      if (!Number.isNaN(d)) {
        sum += d;
        count++;
      }
    }
    const fallback = count === 0 ? 0 : sum / count;
    for (let i = 0; i < size; i++) {
      const d = entry.average[i]!;
      weight[i] = kinds[i] === 'immediate' ? 0 : (Number.isNaN(d) ? fallback : d) + 1e-6;
    }
  }

  const ranks = new Float64Array(size);
  for (let o = size - 1; o >= 0; o--) {
    const i = order[o]!;
    let longest = 0;
    for (let e = dependentStart[i]!; e < dependentStart[i + 1]!; e++) {
      const r = ranks[dependents[e]!]!;
      if (r > longest) longest = r;
    }
    ranks[i] = weight[i]! + longest;
  }
  if (entry !== undefined) entry.ranks = { version: entry.version, ranks };
  else unitRanks.set(graph, ranks);
  return ranks;
}

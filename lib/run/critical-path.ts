import { TURN_CLOCK_BELOW } from './clock';
import { FULFILLED, type RunRecord } from './execution-result';
import type { Graph } from '../graph';

/** Weight of the newest measurement in the moving average. */
const LEARNING_RATE = 0.3;

/**
 * Records what a run that ended shows: whether it was quick, and the durations (ms) of the nodes
 * that fulfilled. Only node bodies are recorded (immediates weigh nothing), and only when
 * `exact` (a run that finished, timed with the exact clock).
 *
 * Sampled, not exhaustive: the first four exactly timed runs of a graph are all recorded, then
 * every 8th. A graph invoked in a hot loop would otherwise pay a pass over its nodes per run
 * (measured: 6% of a six-node invocation) for averages that have long settled; and the ranks,
 * which cost a pass over every edge, are recomputed only after a recorded run.
 */
export function learnDurations(run: RunRecord, exact: boolean): void {
  const { graph } = run;
  const learning = graph.learning;
  learning.quick = run.duration < TURN_CLOCK_BELOW;
  if (!exact) return;
  learning.runs++;
  if (learning.runs > 4 && learning.runs % 8 !== 0) return;
  const { states, starts, ends, endsAt } = run;
  const average = (learning.average ??= new Float64Array(graph.size).fill(NaN));
  for (let i = 0; i < graph.size; i++) {
    if (states[i] !== FULFILLED || graph.kinds[i] === 'immediate') continue;
    const d = ends[endsAt + i]! - starts[i]!;
    const previous = average[i]!;
    average[i] = Number.isNaN(previous) ? d : previous + LEARNING_RATE * (d - previous);
  }
  learning.version++;
}

/**
 * Each node's rank: the length of the longest path from it to the end of the graph, itself
 * included. Before any run a node weighs 1 (immediates 0); once the graph has run, a node
 * weighs its average measured duration (the mean of the measured ones when it has none), plus
 * a tiny unit so that among nodes of equal duration the longer chain still comes first.
 * Cached until the next recorded run.
 */
export function criticalPathRanks(graph: Graph): Float64Array {
  const learning = graph.learning;
  const cached = learning.ranks;
  if (cached?.version === learning.version) return cached.ranks;
  const { average } = learning;

  const { size, kinds, order, dependentStart, dependents } = graph;
  const weight = new Float64Array(size);
  if (average === undefined) {
    for (let i = 0; i < size; i++) weight[i] = kinds[i] === 'immediate' ? 0 : 1;
  } else {
    let sum = 0;
    let count = 0;
    for (const d of average) {
      if (!Number.isNaN(d)) {
        sum += d;
        count++;
      }
    }
    const fallback = count === 0 ? 0 : sum / count;
    for (let i = 0; i < size; i++) {
      const d = average[i]!;
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
  learning.ranks = { version: learning.version, ranks };
  return ranks;
}

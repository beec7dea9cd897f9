// Soak and scale scenarios, sized by the caller: spec/reliability/soak.spec.ts runs them small
// inside `npm test`, bench/stress.ts runs them at full size (`npm run stress`). Each one checks
// its own results and returns what it measured; none of them prints.
import { buildDag, type NodeContext, type TaskGraph, type TaskNode } from 'async-dag';
// The benchmarks' seeded generator (mulberry32), so a random graph is the same every time.
import { seededRandom } from '../../bench/random-dag';

/** The params of one invocation of the small graph. */
export interface SoakParams {
  readonly id: number;
  readonly salt: string;
}

/** What the last node of the small graph returns: everything it saw, to compare with its params. */
export interface SoakAnswer {
  readonly id: number;
  readonly label: string;
  readonly sum: number;
  readonly params: SoakParams;
}

/** Hands control back a few times: `n % 3` microtasks, and a macrotask turn for every 7th id. */
async function interleave(n: number): Promise<void> {
  for (let i = 0; i < n % 3; i++) await Promise.resolve();
  if (n % 7 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A small graph of five nodes (one immediate) whose every value derives from the params, with
 * awaits of varying length in between, so that concurrent invocations interleave at every step.
 */
export function smallGraph(): { graph: TaskGraph<SoakParams>; answer: TaskNode<SoakAnswer> } {
  let answer!: TaskNode<SoakAnswer>;
  const graph = buildDag<SoakParams>((tm) => {
    const id = tm.with({ name: 'id' }).addNode((p: SoakParams) => p.id, tm.params);
    const doubled = tm.with({ name: 'doubled' }).addNode(async (n: number) => {
      await interleave(n);
      return n * 2;
    }, id);
    const label = tm
      .with({ name: 'label' })
      .addNode((d: number, p: SoakParams, ctx: NodeContext) => `${ctx.name}:${d}:${p.salt}`, doubled);
    const sum = tm.with({ name: 'sum' }).addNode(async (d: number, p: SoakParams) => {
      await interleave(p.id + 1);
      return d + p.id;
    }, doubled);
    answer = tm
      .with({ name: 'answer' })
      .addNode(
        (l: string, s: number, p: SoakParams): SoakAnswer => ({ id: p.id, label: l, sum: s, params: p }),
        label,
        sum,
      );
  });
  return { graph, answer };
}

/** The invocations whose answer does not match their own params, described. */
export function mismatchOf(params: SoakParams, got: SoakAnswer): string | undefined {
  const expected = `label:${params.id * 2}:${params.salt}`;
  if (got.params !== params) return `${params.id}: saw the params of ${got.params.id}`;
  if (got.id !== params.id || got.label !== expected || got.sum !== params.id * 3) {
    return `${params.id}: got ${JSON.stringify({ id: got.id, label: got.label, sum: got.sum })}`;
  }
  return undefined;
}

const paramsFor = (id: number): SoakParams => ({ id, salt: `s${(id * 2_654_435_761) % 1_000_003}` });

/** `count` invocations of one graph, all in flight at once. */
export async function concurrentInvocations(
  count: number,
): Promise<{ count: number; ms: number; mismatches: string[] }> {
  const { graph, answer } = smallGraph();
  const params = Array.from({ length: count }, (_, i) => paramsFor(i));
  const t0 = performance.now();
  const results = await Promise.all(params.map((p) => graph.invoke(p)));
  const ms = performance.now() - t0;
  const mismatches: string[] = [];
  results.forEach((result, i) => {
    const problem = mismatchOf(params[i]!, answer.extractResult(result));
    if (problem !== undefined && mismatches.length < 10) mismatches.push(problem);
  });
  return { count, ms, mismatches };
}

/** Forces a full collection; `undefined` when the runtime does not allow it. */
export type CollectGarbage = () => void;

export interface HeapSample {
  /** Invocations done when the sample was taken. */
  readonly after: number;
  /** `heapUsed` after a forced collection, in bytes. */
  readonly heapUsed: number;
}

/**
 * `count` invocations one after the other, after `warmup` more; samples the heap (after a forced
 * collection) `samples + 1` times, evenly. `growthPerInvocation` is the slope between the first
 * and last samples, in bytes: a leak of anything per invocation shows there.
 */
export async function sequentialInvocations(
  count: number,
  gc: CollectGarbage,
  { warmup = Math.min(2_000, count), samples = 4 } = {},
): Promise<{ count: number; ms: number; mismatches: string[]; heap: HeapSample[]; growthPerInvocation: number }> {
  const { graph, answer } = smallGraph();
  const mismatches: string[] = [];
  const once = async (id: number): Promise<void> => {
    const p = paramsFor(id);
    const problem = mismatchOf(p, answer.extractResult(await graph.invoke(p)));
    if (problem !== undefined && mismatches.length < 10) mismatches.push(problem);
  };
  for (let i = 0; i < warmup; i++) await once(-1 - i);
  const heap: HeapSample[] = [];
  const sample = (after: number): void => {
    gc();
    gc();
    heap.push({ after, heapUsed: process.memoryUsage().heapUsed });
  };
  const every = Math.max(1, Math.floor(count / samples));
  const t0 = performance.now();
  let timeInSamples = 0;
  sample(0);
  for (let i = 1; i <= count; i++) {
    await once(i);
    if (i % every === 0 || i === count) {
      if (heap[heap.length - 1]!.after === i) continue;
      const s0 = performance.now();
      sample(i);
      timeInSamples += performance.now() - s0;
    }
  }
  const ms = performance.now() - t0 - timeInSamples;
  const first = heap[0]!;
  const last = heap[heap.length - 1]!;
  return { count, ms, mismatches, heap, growthPerInvocation: (last.heapUsed - first.heapUsed) / count };
}

/** The shapes of the big graphs. */
export type Shape = 'chain' | 'fan-out' | 'random';

export interface BigGraphRun {
  readonly shape: Shape;
  readonly size: number;
  readonly edges: number;
  readonly buildMs: number;
  /** CPU time (user + system) of the build, in ms: what a busy machine does not inflate. */
  readonly buildCpuMs: number;
  /** The first invocation, then a second one (whatever was made lazily has been made; NaN if skipped). */
  readonly firstRunMs: number;
  readonly secondRunMs: number;
  /** An invocation with `concurrency` 8, which goes through the priority queue. */
  readonly limitedRunMs: number;
  /** CPU time of the first invocation, in ms. */
  readonly firstRunCpuMs: number;
  /** Node values that differed from an independent computation (should be 0). */
  readonly wrong: number;
}

/**
 * Builds a graph of `size` nodes of one shape and runs it three times (twice unlimited, once
 * with `concurrency: 8`; `again: false` skips the second), checking every node's value against
 * a plain loop's.
 *
 * - chain: node i depends on node i - 1; every 16th node is async.
 * - fan-out: one root, every other node depends on it alone.
 * - random: node i depends on up to 3 earlier nodes picked at random (seeded); every 16th async.
 */
export async function bigGraph(shape: Shape, size: number, { again = true } = {}): Promise<BigGraphRun> {
  const deps: number[][] = [];
  const random = seededRandom(size);
  for (let i = 0; i < size; i++) {
    if (i === 0) deps.push([]);
    else if (shape === 'chain') deps.push([i - 1]);
    else if (shape === 'fan-out') deps.push([0]);
    else {
      const count = Math.min(i, Math.floor(random() * 4));
      const picked = new Set<number>();
      while (picked.size < count) picked.add(Math.floor(random() * i));
      deps.push([...picked]);
    }
  }
  // value(i) = (i + sum of its dependencies' values) mod 1,000,003: cheap, and wrong if any wire is crossed.
  const expected = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let v = i;
    for (const d of deps[i]!) v += expected[d]!;
    expected[i] = v % 1_000_003;
  }
  const edges = deps.reduce((n, d) => n + d.length, 0);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const nodes: TaskNode<number>[] = new Array(size);
  const graph = buildDag((tm) => {
    for (let i = 0; i < size; i++) {
      const sync = (...values: unknown[]): number => {
        let v = i;
        for (let k = 0; k < values.length - 2; k++) v += values[k] as number;
        return v % 1_000_003;
      };
      const fn: (...values: unknown[]) => number | Promise<number> =
        shape !== 'fan-out' && i % 16 === 15 ? async (...values: unknown[]) => sync(...values) : sync;
      nodes[i] = tm.addNode(fn, ...deps[i]!.map((d) => nodes[d]!));
    }
  });
  const buildMs = performance.now() - t0;
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  const buildCpuMs = cpuMs(cpu0);

  let wrong = 0;
  const timedRun = async (concurrency?: number): Promise<{ ms: number; cpu: number }> => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await graph.invoke(undefined, concurrency === undefined ? undefined : { concurrency });
    const ms = performance.now() - start;
    const cpu = cpuMs(cpuStart);
    for (let i = 0; i < size; i++) if (nodes[i]!.extractResult(result) !== expected[i]) wrong++;
    return { ms, cpu };
  };
  const first = await timedRun();
  const secondRunMs = again ? (await timedRun()).ms : NaN;
  const limitedRunMs = (await timedRun(8)).ms;
  const firstRunMs = first.ms;
  const firstRunCpuMs = first.cpu;
  return { shape, size, edges, buildMs, buildCpuMs, firstRunMs, firstRunCpuMs, secondRunMs, limitedRunMs, wrong };
}

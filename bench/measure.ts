import { seededRandom } from './random-dag';

/**
 * Round-robin timing: every round takes one sample of each contender (in a shuffled order, so
 * that no contender always goes first or always follows the same one), each after a forced gc
 * and some untimed operations, so that the contenders see the same machine state and a slow
 * moment of a noisy machine hits them all alike.
 */

/** One implementation under test. `run` does one operation; its promise settles when the operation is done. */
export interface Contender {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

export interface MeasureOptions {
  /** Timed rounds. */
  readonly rounds: number;
  /** Untimed rounds first, to let the JIT settle. */
  readonly warmup: number;
  /** Operations per timed sample, at least (for operations too short to time one by one). */
  readonly batch?: number;
  /** A timed sample goes on until it has lasted this many ms, at least. */
  readonly sampleMs?: number;
  /**
   * Untimed operations after each forced gc, for at least this many ms, before the sample. A full
   * gc shrinks the young generation (and its threads keep working for a while), so the first
   * operations after it cost an allocating contender far more than they do in a process that
   * runs it all day: measured here, the first two 10,000-node invocations of async-dag after a gc
   * took about ten times the CPU of the third. Running untimed until the heap is back to its
   * working size measures the steady state instead.
   */
  readonly settleMs?: number;
  /**
   * Force a full gc before each sample (default `true`). `false` measures a process that runs
   * the contenders round after round with no forced collection, as a hot loop in a server does.
   */
  readonly forceGc?: boolean;
}

/** Per-operation times of one contender, in ms. */
export interface Summary {
  readonly name: string;
  /** Wall-clock time. */
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  /**
   * CPU time of the process (user + system, all threads), which a busy machine disturbs less
   * than wall-clock time: other processes' work does not count, waiting for the CPU does not count.
   */
  readonly cpuMedian: number;
  readonly samples: number;
}

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** `true` when the process runs with `--expose-gc`, so the figures are taken after a full gc. */
export const canForceGc = typeof (globalThis as { gc?: unknown }).gc === 'function';

/** Forces a full garbage collection (a no-op without `--expose-gc`). */
export function collectGarbage(): void {
  gc();
  gc();
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function summarize(name: string, samples: readonly number[], cpuSamples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    cpuMedian: quantile(
      [...cpuSamples].sort((a, b) => a - b),
      0.5,
    ),
    samples: sorted.length,
  };
}

export async function measure(contenders: readonly Contender[], options: MeasureOptions): Promise<Summary[]> {
  const samples = contenders.map(() => [] as number[]);
  const cpuSamples = contenders.map(() => [] as number[]);
  const random = seededRandom(7);
  const order = contenders.map((_, i) => i);
  for (let round = -options.warmup; round < options.rounds; round++) {
    // A new order each round (seeded), so that no contender always follows the same one.
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    for (const index of order) {
      const contender = contenders[index]!;
      if (options.forceGc !== false) collectGarbage();
      const settleUntil = performance.now() + (options.settleMs ?? 0);
      while (performance.now() < settleUntil) await contender.run();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const sampleUntil = t0 + (options.sampleMs ?? 0);
      let count = 0;
      while (count < (options.batch ?? 1) || performance.now() < sampleUntil) {
        await contender.run();
        count++;
      }
      const elapsed = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (round >= 0) {
        samples[index]!.push(elapsed / count);
        cpuSamples[index]!.push((cpu.user + cpu.system) / 1000 / count);
      }
    }
  }
  return contenders.map((c, i) => summarize(c.name, samples[i]!, cpuSamples[i]!));
}

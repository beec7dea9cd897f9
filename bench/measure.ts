/**
 * Round-robin timing: every round runs each contender once (in a rotating order, so that no
 * contender always goes first), with a forced gc before each, so that the contenders see the
 * same machine state and a slow moment of a noisy machine hits them all alike.
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
  /** Operations per timed sample (for operations too short to time one by one). */
  readonly batch?: number;
  /**
   * Untimed operations after each forced gc, before the sample. A full gc also shrinks the young
   * generation, so the first moments after it cost an allocating contender more than they would
   * in a process that runs it all day; a few untimed operations let the heap grow back.
   */
  readonly settle?: number;
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
    cpuMedian: quantile([...cpuSamples].sort((a, b) => a - b), 0.5),
    samples: sorted.length,
  };
}

export async function measure(contenders: readonly Contender[], options: MeasureOptions): Promise<Summary[]> {
  const { rounds, warmup, batch = 1, settle = 0 } = options;
  const samples = contenders.map(() => [] as number[]);
  const cpuSamples = contenders.map(() => [] as number[]);
  for (let round = -warmup; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + Math.max(round, 0)) % contenders.length;
      const contender = contenders[index]!;
      collectGarbage();
      for (let b = 0; b < settle; b++) await contender.run();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let b = 0; b < batch; b++) await contender.run();
      const elapsed = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (round >= 0) {
        samples[index]!.push(elapsed / batch);
        cpuSamples[index]!.push((cpu.user + cpu.system) / 1000 / batch);
      }
    }
  }
  return contenders.map((c, i) => summarize(c.name, samples[i]!, cpuSamples[i]!));
}

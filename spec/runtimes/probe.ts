// What scripts/check-runtimes.mjs runs in each runtime (Node, Bun, Deno, workerd, headless
// Chromium), bundled by esbuild against the built dist/index.mjs, once with legacy decorators
// and once with standard (TC39) ones. It runs the seed example on both front ends, and the
// engine's timers, failure and cancellation paths, and reports what it saw as plain data; the
// script decides what passes. Nothing here may need Node: it runs where there is no `process`.
import { buildDag, DagAbortedError, NodeFailedError, NodeTimeoutError, type NodeContext } from 'async-dag';
import { main as seedBuilder } from '../../examples/seed-builder';
import { main as seedClass } from '../../examples/seed-class';

/** One thing the probe tried: `ok`, or what went wrong. */
export interface ProbeCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProbeReport {
  readonly checks: readonly ProbeCheck[];
  /** The trace's smallest non-zero step between two readings, in ms: the clock's resolution there. */
  readonly traceStep: number;
  /** Whether trace times had fractions of a millisecond. */
  readonly subMillisecond: boolean;
}

/** Shrinks the seed's delays (100 ms .. 1 s) to 5 .. 50 ms. */
const SCALE = 0.05;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

function inOrder(lines: readonly string[]): string | undefined {
  const at = (text: string) => lines.findIndex((line) => line.endsWith(text));
  const expectations: [string, string][] = [
    ['fastTaskA task started...', 'fastTaskA task done!'],
    ['slowTaskB task started...', 'slowTaskA task done!'], // slowTaskB does not wait for slowTaskA
    ['slowTaskA task done!', 'fastTaskC task started...'],
    ['slowTaskB task done!', 'endTask task started...'],
  ];
  for (const [before, after] of expectations) {
    if (at(before) < 0 || at(after) < 0 || at(before) > at(after)) return `expected "${before}" before "${after}"`;
  }
  return undefined;
}

/** Runs one front end's seed example; its results must be 1 and 4, its log in the optimal order. */
function seed(name: string, run: (log: (line: string) => void) => Promise<readonly number[]>): Promise<ProbeCheck> {
  return attempt(name, async () => {
    const lines: string[] = [];
    const values = await run((line) => lines.push(line));
    if (values.join() !== '1,4') throw new Error(`results ${values.join(', ')}, expected 1, 4`);
    const wrong = inOrder(lines);
    if (wrong !== undefined) throw new Error(wrong);
    return 'results 1, 4, in the optimal order';
  });
}

async function attempt(name: string, fn: () => Promise<string>): Promise<ProbeCheck> {
  try {
    return { name, ok: true, detail: await fn() };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { name, ok: false, detail };
  }
}

export async function probe(): Promise<ProbeReport> {
  const checks: ProbeCheck[] = [];
  checks.push(
    await seed('seed, builder', async (log) => {
      const { fastA, end } = await seedBuilder(log, SCALE);
      return [fastA, end];
    }),
  );
  checks.push(
    await seed('seed, class DSL', async (log) => {
      const { fastTaskA, endTask } = await seedClass(log, SCALE);
      return [fastTaskA, endTask];
    }),
  );

  // A timeout is retried, then fails the run with the timeout as the cause.
  checks.push(
    await attempt('timeout, retry, fail fast', async () => {
      let attempts = 0;
      const dag = buildDag((tm) => {
        tm.with({ name: 'slow', timeout: 5, retry: 1 }).addNode(async (_params: void, ctx: NodeContext) => {
          attempts++;
          await sleep(200, ctx.signal);
        });
      });
      const error = await dag.invoke().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof NodeFailedError) || !(error.cause instanceof NodeTimeoutError) || attempts !== 2) {
        throw new Error(
          `expected NodeFailedError(NodeTimeoutError) after 2 attempts, got ${String(error)}, ${attempts}`,
        );
      }
      return `${error.code} after ${attempts} attempts`;
    }),
  );

  // Cancelling rejects promptly with DagAbortedError and aborts the running node's signal.
  checks.push(
    await attempt('cancel', async () => {
      const controller = new AbortController();
      let sawAbort = false;
      const dag = buildDag((tm) => {
        tm.addNode(async (_params: void, ctx: NodeContext) => {
          ctx.signal.addEventListener('abort', () => (sawAbort = true));
          await sleep(500, ctx.signal).catch(() => undefined);
        });
      });
      const pending = dag.invoke(undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      const error = await pending.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof DagAbortedError) || error.name !== 'AbortError' || !sawAbort) {
        throw new Error(`expected DagAbortedError and an aborted ctx.signal, got ${String(error)}, ${sawAbort}`);
      }
      return 'DagAbortedError, ctx.signal aborted';
    }),
  );

  // The trace: a chain a -> b -> c of 10 ms sleeps, in order, with the clock's resolution.
  let traceStep = Number.NaN;
  let subMillisecond = false;
  checks.push(
    await attempt('trace', async () => {
      const dag = buildDag((tm) => {
        const a = tm.with({ name: 'a' }).addNode(() => sleep(10));
        const b = tm.with({ name: 'b' }).addNode(() => sleep(10), a);
        tm.with({ name: 'c' }).addNode(() => sleep(10), b);
      });
      const { trace } = await dag.invoke();
      const [a, b, c] = ['a', 'b', 'c'].map((name) => trace.nodes.find((n) => n.name === name));
      if (a === undefined || b === undefined || c === undefined) throw new Error('a trace entry is missing');
      const times = [a.start, a.end, b.start, b.end, c.start, c.end].map((t) => t ?? Number.NaN);
      if (times.some(Number.isNaN)) throw new Error(`a time is missing: ${times.join(', ')}`);
      if (times.some((t, i) => i > 0 && t < times[i - 1]!)) throw new Error(`times out of order: ${times.join(', ')}`);
      const end = times[5]!;
      if (end < 25) throw new Error(`three 10 ms steps ended at ${end} ms`);
      const steps = times.flatMap((t, i) => (i > 0 && t > times[i - 1]! ? [t - times[i - 1]!] : []));
      traceStep = Math.min(...steps);
      subMillisecond = times.some((t) => !Number.isInteger(t));
      return `c ended at ${end.toFixed(2)} ms`;
    }),
  );
  return { checks, traceStep, subMillisecond };
}

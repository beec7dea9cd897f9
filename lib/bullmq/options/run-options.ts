import type { DagParams, DagResult, ExecutionResult, TaskGraph } from '../../index';

/**
 * Options of `executor.start()`: the invoke options that travel with a run to the process that
 * orchestrates it.
 *
 * @example
 * await executor.start(new ImportFlow(deps), { file: 'orders.csv' }, { runId: 'import-2026-12-04', concurrency: 4 });
 */
export interface StartOptions {
  /** Names the run (as the `runId` invoke option); default: a fresh UUID. Starting a `runId` again starts nothing new. */
  runId?: string | undefined;
  /** As the invoke option: `false` runs the flow in settle mode. Default `true`. */
  failFast?: boolean | undefined;
  /** As the invoke option: how many node bodies run at once. Default: no limit. */
  concurrency?: number | undefined;
}

/**
 * Options of `executor.wait()`.
 *
 * @example
 * const result = await executor.wait(flow, runId, { signal: AbortSignal.timeout(60_000) });
 */
export interface WaitOptions {
  /** Stops waiting (the run goes on): `wait` rejects with `DagAbortedError`. */
  signal?: AbortSignal | undefined;
}

/**
 * Where a durable run is, as `executor.status()` reads it from Redis: `'unknown'` (never
 * started, or forgotten after its retention), `'pending'` (started, and no live process
 * orchestrates it now: waiting in its queue of runs, or interrupted and not yet resumed),
 * `'running'` (a live process orchestrates it), `'fulfilled'` (its `invoke` resolved: in settle
 * mode some nodes may have failed), `'rejected'` (it failed fast), `'cancelled'`.
 *
 * @example
 * if ((await executor.status(runId)) === 'running') console.log('still going');
 */
export type RunStatus = 'unknown' | 'pending' | 'running' | 'fulfilled' | 'rejected' | 'cancelled';

/**
 * The `params` a flow takes: `P` of a `Dag<P>` or a `TaskGraph<P>`.
 *
 * @example
 * const params: FlowParams<ReportFlow> = { month: '2026-11' };
 */
export type FlowParams<F> = F extends TaskGraph<infer P> ? P : DagParams<F>;

/**
 * What invoking a flow resolves with: `DagResult<F>` for a class flow, `ExecutionResult` for a `TaskGraph`.
 *
 * @example
 * const result: FlowResult<ReportFlow> = await executor.wait(flow, runId);
 */
export type FlowResult<F> = F extends TaskGraph<never> ? ExecutionResult : DagResult<F>;

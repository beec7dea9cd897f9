import { DagAbortedError, NodeTimeoutError, type NodeContext } from '../index';
import type { ServedFlow } from './flow-registry';

/** What one attempt of a node on a worker needs. */
export interface NodeAttempt {
  readonly flow: ServedFlow;
  readonly index: number;
  readonly args: readonly unknown[];
  readonly params: unknown;
  readonly runId: string;
  readonly attempt: number;
  readonly timeout: number | undefined;
  /** The attempt's controller: aborted when the run stops; the timeout aborts it too. */
  readonly controller: AbortController;
}

/**
 * Runs one attempt as the scheduler would in-process: `fn(...args, params, ctx)` with `this` the
 * worker's flow instance. The timeout counts from here (queue wait does not count) and rejects
 * with `NodeTimeoutError`, aborting `ctx.signal`; a stop rejects with the stop's reason. Neither
 * waits for a body that ignores its signal, as in-process.
 */
export function callNode(attempt: NodeAttempt): Promise<unknown> {
  const { flow, index, args, params, runId, timeout, controller } = attempt;
  const { graph, self } = flow;
  const name = graph.names[index]!;
  const signal = controller.signal;
  const ctx: NodeContext = { signal, name, attempt: attempt.attempt, runId };
  return new Promise<unknown>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new DagAbortedError(signal.reason));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (timeout !== undefined) {
      timer = setTimeout(() => controller.abort(new NodeTimeoutError(name, timeout, attempt.attempt)), timeout);
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    try {
      const out: unknown = Reflect.apply(graph.runs[index]!, self, [...args, params, ctx]);
      Promise.resolve(out).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    } catch (error) {
      done();
      reject(error);
    }
  });
}

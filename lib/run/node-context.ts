/**
 * The last argument of every node call: `fn(...depValues, params, ctx)`.
 *
 * @example
 * @node('moonUrl')
 * async moonEvent(url: string, _p: Params, ctx: NodeContext) {
 *   return fetch(url, { signal: ctx.signal });
 * }
 */
export interface NodeContext {
  /** Aborts when the run is cancelled, fails fast, or this attempt times out. */
  readonly signal: AbortSignal;
  /** The node's name. */
  readonly name: string;
  /** The number of this attempt, counting from 1. */
  readonly attempt: number;
  /**
   * The run's id, as `run.id` in observer events: the `runId` invoke option when given, otherwise
   * unique to this invocation. A key for making a body's side effects idempotent.
   */
  readonly runId: string;
}

import type { Dag } from './dag';

/**
 * The `params` type of a class's invocations: `P` of `Dag<P>`, or `unknown` for a class that
 * does not extend `Dag` (run with `invokeDag`).
 *
 * @example
 * type P = DagParams<EventFlow>; // Params
 */
export type DagParams<T> = T extends Dag<infer P> ? P : unknown;

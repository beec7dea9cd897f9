/** Any function or method. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any function: `unknown[]` parameters would refuse `(x: number) => ...`
export type AnyFunction = (...args: any[]) => any;

/**
 * The names of the members of `T` that can be used as dependencies and read from a result:
 * its public string-named members, except `Dag`'s own (`invoke`).
 *
 * @example
 * type Names = NodeName<EventFlow>; // 'moonUrl' | 'moonEvent' | 'moonInsert' | 'log'
 */
export type NodeName<T> = Exclude<keyof T & string, DagOwnMember>;

/**
 * The public members of `Dag` itself, which are never nodes. Written out rather than read as
 * `keyof Dag` so that this file needs no import of the class (dag.ts checks that they agree).
 */
export type DagOwnMember = 'invoke';

/**
 * The value member `K` of `T` resolves to in a run: the awaited return type of a method, the
 * awaited type of a field or getter. This is what dependents receive and `result.get(K)` returns.
 *
 * @example
 * type Event = NodeValue<EventFlow, 'moonEvent'>; // what `async moonEvent(...)` resolves to
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any function: `unknown[]` parameters would refuse `(x: number) => ...`
export type NodeValue<T, K extends keyof T> = T[K] extends (...args: any[]) => any
  ? Settled<ReturnType<T[K]>>
  : Settled<T[K]>;

/**
 * What a value settles to: a promise's value, or the value itself. One level, unlike `Awaited`
 * (promises never nest), so that in a generic class `Promise<T>` settles to `T` and is checked
 * against a `T` parameter, where `Awaited<T>` would stay unresolved.
 */
export type Settled<V> = V extends PromiseLike<infer R> ? R : V;

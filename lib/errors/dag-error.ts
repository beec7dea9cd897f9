/**
 * Stable codes carried by {@link DagDefinitionError}.
 *
 * - `CYCLE`: the dependencies form a loop; the message shows it as `a -> b -> a`.
 * - `UNKNOWN_DEPENDENCY`: a dependency names a member that is not a node or an immediate.
 * - `DUPLICATE_NODE`: two nodes were given the same name.
 * - `SEALED`: `addNode` was called after `buildDag` returned.
 * - `FOREIGN_NODE`: a `TaskNode` of another builder was used as a dependency.
 * - `INVALID_NODE`: a node is not a function, or is declared on a member that cannot hold one.
 * - `INVALID_OPTION`: a node option (`timeout`, `retry`, `priority`, ...) is out of range.
 *
 * @example
 * const code: DagDefinitionErrorCode = 'CYCLE';
 */
export type DagDefinitionErrorCode =
  'CYCLE' | 'UNKNOWN_DEPENDENCY' | 'DUPLICATE_NODE' | 'SEALED' | 'FOREIGN_NODE' | 'INVALID_NODE' | 'INVALID_OPTION';

/**
 * Every error about a graph or a run is a `DagError`. Its `code` is stable across versions,
 * so branch on `code`, never on the message.
 *
 * Codes raised directly as `DagError` (not a subclass): `UNKNOWN_NODE` (`result.get` of a name
 * that is not a node), `NOT_FULFILLED` (`result.get` of a node that was rejected or skipped) and,
 * from `async-dag/nest`, `NOT_INJECTABLE` (a flow provider whose constructor Nest would not inject).
 *
 * @example
 * try {
 *   await flow.invoke(params);
 * } catch (error) {
 *   if (error instanceof DagError) console.error(error.code, error.message);
 * }
 */
export class DagError extends Error {
  /** A stable identifier of the kind of failure, such as `CYCLE` or `NODE_FAILED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The graph itself is wrong: raised when a graph is defined (by `buildDag`, or by the first
 * `new` of a `Dag` subclass), never halfway through a run.
 *
 * @example
 * try {
 *   buildDag((tm) => tm.with({ timeout: -1 }).addNode(fetchUser));
 * } catch (error) {
 *   if (error instanceof DagDefinitionError && error.code === 'INVALID_OPTION') console.error(error.message);
 * }
 */
export class DagDefinitionError extends DagError {
  declare readonly code: DagDefinitionErrorCode;

  // eslint-disable-next-line @typescript-eslint/no-useless-constructor -- narrows `code` to the definition codes
  constructor(code: DagDefinitionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

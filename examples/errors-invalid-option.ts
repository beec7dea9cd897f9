// INVALID_OPTION: a node option out of range, caught when the graph is defined.
// #region docs
import { buildDag, DagDefinitionError } from 'async-dag';

/** Provokes `INVALID_OPTION` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  try {
    buildDag((tm) => {
      tm.with({ name: 'fetchUser', timeout: -1 }).addNode(async () => 'Ada');
    });
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // INVALID_OPTION: Node "fetchUser": expected `timeout` to be a number of milliseconds above 0
    // and at most 2147483647, or Infinity, got `-1` (number).
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

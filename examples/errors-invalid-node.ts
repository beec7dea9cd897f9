// INVALID_NODE: something that cannot be a node.
// #region docs
import { buildDag, DagDefinitionError } from 'async-dag';

/** Provokes `INVALID_NODE` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  const handlers: Record<string, () => string> = { users: () => 'users' };
  try {
    buildDag((tm) => {
      tm.addNode(handlers['orders']!); // a typo'd lookup: undefined, not a function
    });
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // INVALID_NODE: addNode() expects a function as its first argument, got `undefined` (undefined).
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

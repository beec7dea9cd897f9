// DUPLICATE_NODE: two nodes with the same name.
// #region docs
import { buildDag, DagDefinitionError } from 'async-dag';

/** Provokes `DUPLICATE_NODE` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  try {
    buildDag((tm) => {
      tm.with({ name: 'fetch' }).addNode(() => 'users');
      tm.with({ name: 'fetch' }).addNode(() => 'orders');
    });
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // DUPLICATE_NODE: buildDag: two nodes are named "fetch". Give one of them another name.
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

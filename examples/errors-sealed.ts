// SEALED: adding a node after buildDag() has returned.
// #region docs
import { buildDag, DagDefinitionError, type DagBuilder } from 'async-dag';

/** Provokes `SEALED` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  let escaped!: DagBuilder;
  buildDag((tm) => {
    escaped = tm; // the builder outlives buildDag(), but the graph is already sealed
    tm.addNode(() => 1);
  });
  try {
    escaped.addNode(() => 2);
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // SEALED: This builder is sealed: buildDag() has returned, so its graph can no longer change.
    // Add every node inside the function given to buildDag().
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

// UNKNOWN_NODE: asking a result for a node the graph does not have.
// #region docs
import { buildDag, DagError } from 'async-dag';

/** Provokes `UNKNOWN_NODE` and returns the error. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    tm.addNode(function fetchUser() {
      return 'Ada';
    });
  });
  const result = await dag.invoke();
  try {
    result.get('fetchUsers');
  } catch (error) {
    if (error instanceof DagError) log(`${error.code}: ${error.message}`);
    // UNKNOWN_NODE: buildDag has no node named "fetchUsers". Did you mean "fetchUser"? Its nodes are: fetchUser.
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

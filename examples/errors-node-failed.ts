// NODE_FAILED: a node threw (after its retries) and the run failed fast.
// #region docs
import { buildDag, NodeFailedError } from 'async-dag';

/** Provokes `NODE_FAILED` and returns the error. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    const user = tm.addNode(function fetchUser() {
      return { id: 7 };
    });
    tm.addNode(function charge(u: { id: number }) {
      throw new Error(`card of user ${u.id} declined`);
    }, user);
  });
  try {
    await dag.invoke();
  } catch (error) {
    if (error instanceof NodeFailedError) {
      log(`${error.code}: ${error.message}`); // NODE_FAILED: Node "charge" failed: card of user 7 declined
      log(`node: ${error.node}, cause: ${String(error.cause)}`); // node: charge, cause: Error: card of user 7 declined
      log(`fetchUser was ${error.partial.status('fetchUser')}`); // fetchUser was fulfilled
    }
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

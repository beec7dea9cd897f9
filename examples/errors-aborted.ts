// ABORTED: the run was cancelled through its signal.
// #region docs
import { buildDag, DagAbortedError } from 'async-dag';

/** Provokes `ABORTED` and returns the error. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    tm.addNode(function wait() {
      return new Promise((resolve) => setTimeout(resolve, 100));
    });
  });
  try {
    await dag.invoke(undefined, { signal: AbortSignal.timeout(10) });
  } catch (error) {
    if (error instanceof DagAbortedError) {
      log(`${error.name} ${error.code}: ${error.message}`);
      // AbortError ABORTED: The run was aborted: The operation was aborted due to timeout
    }
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

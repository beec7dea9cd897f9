// NODE_TIMEOUT: an attempt ran past its timeout; it is the cause of the node's failure.
// #region docs
import { buildDag, NodeFailedError, NodeTimeoutError, type NodeContext } from 'async-dag';

/** Provokes `NODE_TIMEOUT` and returns the `NodeFailedError` that carries it. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    tm.with({ name: 'slowReport', timeout: 20 }).addNode(
      (_params: void, ctx: NodeContext) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          ctx.signal.addEventListener('abort', () => clearTimeout(timer)); // stop work on timeout
        }),
    );
  });
  try {
    await dag.invoke();
  } catch (error) {
    if (error instanceof NodeFailedError && error.cause instanceof NodeTimeoutError) {
      log(`${error.cause.code}: ${error.cause.message}`);
      // NODE_TIMEOUT: Node "slowReport" timed out after 20 ms (attempt 1).
      // Raise its `timeout` option or make the node honour `ctx.signal`.
    }
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

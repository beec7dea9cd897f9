// A bad invocation option: invoke rejects with a TypeError (misuse, not a DagError).
// #region docs
import { buildDag } from 'async-dag';

/** Provokes the `TypeError` of a bad invoke option and returns it. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    tm.addNode(function work() {
      return 1;
    });
  });
  const workers = Number(process.env['DAG_WORKERS'] ?? 0); // unset: 0
  try {
    await dag.invoke(undefined, { concurrency: workers });
  } catch (error) {
    if (error instanceof TypeError) log(`${error.name}: ${error.message}`);
    // TypeError: Expected `concurrency` to be an integer from 1 and up, got `0` (number)
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

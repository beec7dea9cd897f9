// NOT_FULFILLED: asking a settle-mode result for the value of a node that has none.
// #region docs
import { buildDag, DagError } from 'async-dag';

/** Provokes `NOT_FULFILLED` and returns the error. */
export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const dag = buildDag((tm) => {
    const rate = tm.addNode(function fetchRate(): number {
      throw new Error('rates unavailable');
    });
    tm.addNode(function convert(r: number) {
      return 100 * r;
    }, rate);
  });
  const result = await dag.invoke(undefined, { failFast: false });
  try {
    result.get('convert');
  } catch (error) {
    if (error instanceof DagError) log(`${error.code}: ${error.message}`);
    // NOT_FULFILLED: Node "convert" has no value: it was skipped: a dependency failed, or the run
    // stopped before it ended. Check `result.status("convert")` first.
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

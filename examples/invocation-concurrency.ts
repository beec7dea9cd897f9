// Limited concurrency: which ready node starts first (priority, then critical path, then order).
// #region docs
import { buildDag, type DagObserver } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one graph twice with `concurrency: 1` and logs the order in which nodes started. */
export async function main(log: (line: string) => void = console.log): Promise<string[][]> {
  const dag = buildDag((tm) => {
    tm.addNode(async function report() {
      await sleep(150);
    }); // one long node
    const extract = tm.addNode(async function extract() {
      await sleep(1);
    }); // a chain of two
    tm.addNode(async function load() {
      await sleep(1);
    }, extract);
    tm.with({ priority: 1 }).addNode(function ping() {
      return 'pong';
    }); // higher priority
  });

  const runs: string[][] = [];
  for (let run = 1; run <= 2; run++) {
    const started: string[] = [];
    const observer: DagObserver = { onNodeStart: ({ name }) => started.push(name) };
    await dag.invoke(undefined, { concurrency: 1, observer });
    log(`run ${run}: ${started.join(' -> ')}`);
    runs.push(started);
  }
  // run 1: ping -> extract -> report -> load   (priority first; then the longest chain in nodes)
  // run 2: ping -> report -> extract -> load   (now weighted by the durations measured in run 1)
  return runs;
}
// #endregion docs

if (require.main === module) void main();

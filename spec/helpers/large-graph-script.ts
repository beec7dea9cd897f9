// Run by spec/engine/large-graphs.spec.ts in a plain Node process (`node --import tsx`), where a
// million-node graph builds several times faster than inside a jest worker. Prints one JSON line.
import { buildDag, type TaskNode } from 'async-dag';

const MILLION = 1_000_000;

async function chain(): Promise<number[]> {
  let last!: TaskNode<number>;
  const [inc] = [(n: number) => n + 1];
  const dag = buildDag((tm) => {
    let previous = tm.addNode(() => 0);
    for (let i = 1; i < MILLION; i++) previous = tm.addNode(inc!, previous);
    last = previous;
  });
  const unlimited = last.extractResult(await dag.invoke());
  const limited = last.extractResult(await dag.invoke(undefined, { concurrency: 2 }));
  return [unlimited, limited];
}

async function fanOut(): Promise<number[]> {
  let sum = 0;
  let probe!: TaskNode<number>;
  const [leaf] = [
    (n: number) => {
      sum += n;
      return n;
    },
  ];
  const dag = buildDag((tm) => {
    const root = tm.addNode(async () => 1);
    for (let i = 0; i < MILLION; i++) probe = tm.addNode(leaf!, root);
  });
  const result = await dag.invoke();
  return [sum, probe.extractResult(result)];
}

const shapes: Record<string, () => Promise<number[]>> = { chain, fanOut };

async function main(): Promise<void> {
  const shape = shapes[process.argv[2] ?? ''];
  if (shape === undefined) throw new Error(`usage: large-graph-script.ts ${Object.keys(shapes).join('|')}`);
  const started = performance.now();
  const values = await shape();
  process.stdout.write(JSON.stringify({ values, ms: Math.round(performance.now() - started) }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exitCode = 1;
});

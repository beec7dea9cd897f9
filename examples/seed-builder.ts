// The seed's first example, with the builder: FastTask_A -> SlowTask_B -> EndTask and
// (SlowTask_A, FastTask_B) -> FastTask_C -> EndTask. Each task starts the moment its last
// dependency resolves, so SlowTask_B does not wait for SlowTask_A.
import { buildDag, graphOf, type TaskNode } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the example; `scale` shrinks the delays (tests use 0.2), `log` receives every line. */
export async function main(
  log: (line: string) => void = console.log,
  scale = 1,
): Promise<{ fastA: number; end: number }> {
  const t0 = performance.now();
  const stamp = () => `${String(Math.round(performance.now() - t0)).padStart(5)} ms`;

  function oneArgTask(name: string, delay: number) {
    const task = async (n: number): Promise<number> => {
      log(`${stamp()}  ${name} task started...`);
      await sleep(delay * scale);
      log(`${stamp()}  ${name} task done!`);
      return n + 1;
    };
    return Object.defineProperty(task, 'name', { value: name });
  }

  function twoArgTask(name: string, delay: number) {
    const task = async (a: number, b: number): Promise<number> => {
      log(`${stamp()}  ${name} task started...`);
      await sleep(delay * scale);
      log(`${stamp()}  ${name} task done!`);
      return a + b;
    };
    return Object.defineProperty(task, 'name', { value: name });
  }

  let fastTaskA!: TaskNode<number>;
  let endTask!: TaskNode<number>;
  const dag = buildDag<number>((tm) => {
    fastTaskA = tm.addNode(oneArgTask('fastTaskA', 100));
    const slowTaskB = tm.addNode(oneArgTask('slowTaskB', 1000), fastTaskA);
    const slowTaskA = tm.addNode(oneArgTask('slowTaskA', 500));
    const fastTaskB = tm.addNode(oneArgTask('fastTaskB', 100));
    const fastTaskC = tm.addNode(twoArgTask('fastTaskC', 100), slowTaskA, fastTaskB);
    endTask = tm.addNode(twoArgTask('endTask', 0), fastTaskC, slowTaskB);
  });

  const result = await dag.invoke(0);
  const fastA = fastTaskA.extractResult(result);
  const end = endTask.extractResult(result);
  log('');
  log(`fastTaskA result: ${fastA}`); // 1
  log(`endTask result: ${end}`); // 4
  log('');
  log('The graph (Mermaid):');
  log(graphOf(dag).toMermaid());
  log('The schedule:');
  log(result.trace.toTimeline(80));
  return { fastA, end };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

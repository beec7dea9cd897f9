// After: the same pipeline with async-dag. The edges are the arguments, and values flow from
// each node to the nodes that list it.
// #region docs
import { buildDag, type TaskNode } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the pipeline with async-dag and returns the published artefact's description. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  interface Config {
    target: string;
  }

  let published!: TaskNode<string>;
  const pipeline = buildDag((tm) => {
    const config = tm.addNode(async function config(): Promise<Config> {
      return { target: 'es2022' };
    });
    const bundle = tm.with({ priority: 1 }).addNode(async function compile(c: Config) {
      await sleep(20);
      return `bundle.${c.target}.js`;
    }, config);
    const lint = tm.addNode(async function lint(_c: Config) {
      await sleep(5);
    }, config);
    const tests = tm.addNode(async function test(_bundle: string) {
      await sleep(10);
      return 42;
    }, bundle);
    published = tm.addNode(
      function publish(b: string, passed: number) {
        const line = `${b} (${passed} tests passed)`;
        log(`published ${line}`);
        return line;
      },
      bundle,
      tests,
      lint,
    ); // lint only orders publish: its value is not needed
  });

  const result = await pipeline.invoke(undefined, { concurrency: 2 });
  return published.extractResult(result);
}
// #endregion docs

if (require.main === module) void main();

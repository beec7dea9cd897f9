// The seed's first example with the class DSL: FastTask_A -> SlowTask_B -> EndTask and
// (SlowTask_A, FastTask_B) -> FastTask_C -> EndTask. Each task starts the moment its last
// dependency resolves, so slowTaskB starts right after fastTaskA, without waiting for slowTaskA.
// The same file compiles with either decorator mode (spec/dsl and spec/tc39 run it in both).
// #region docs
import { Dag, graphOf, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class SeedFlow extends Dag<number> {
  constructor(
    private readonly log: (line: string) => void,
    private readonly scale = 1,
  ) {
    super();
  }

  @node() fastTaskA(n: number) {
    return this.task('fastTaskA', 100, () => n + 1);
  }
  @node('fastTaskA') slowTaskB(a: number) {
    return this.task('slowTaskB', 1000, () => a + 1);
  }
  @node() slowTaskA(n: number) {
    return this.task('slowTaskA', 500, () => n + 1);
  }
  @node() fastTaskB(n: number) {
    return this.task('fastTaskB', 100, () => n + 1);
  }
  @node('slowTaskA', 'fastTaskB') fastTaskC(a: number, b: number) {
    return this.task('fastTaskC', 100, () => a + b);
  }
  @node('fastTaskC', 'slowTaskB') endTask(c: number, b: number) {
    return this.task('endTask', 0, () => c + b);
  }

  /** Not a node: a helper that logs the start and the end of a task taking `delay` ms. */
  private async task(name: string, delay: number, compute: () => number): Promise<number> {
    this.log(`${name} task started...`);
    await sleep(delay * this.scale);
    this.log(`${name} task done!`);
    return compute();
  }
}

export async function main(log: (line: string) => void = console.log, scale = 1) {
  const flow = new SeedFlow(log, scale); // the graph is scanned and validated here, once per class
  const result = await flow.invoke(0);
  const fastTaskA = result.get('fastTaskA'); // number
  const endTask = result.get('endTask');
  log(`fastTaskA result: ${fastTaskA}`); // 1
  log(`endTask result: ${endTask}`); // 4
  log(graphOf(SeedFlow).toMermaid());
  return { fastTaskA, endTask };
}
// #endregion docs

if (require.main === module) void main();

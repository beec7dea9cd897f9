// Why a DAG: the seed's graph run in stages with Promise.all, and as a DAG. Each stage of
// Promise.all waits for its slowest task; the DAG starts each task when its own inputs are ready.
// #region docs
import { buildDag, graphOf } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The seed's delays, in ms. */
export const DELAYS = { fastTaskA: 100, slowTaskA: 500, fastTaskB: 100, slowTaskB: 1000, fastTaskC: 100, endTask: 0 };
type Task = keyof typeof DELAYS;

/** Each task's dependencies, as in the seed's diagram. */
export const DEPENDENCIES: Record<Task, readonly Task[]> = {
  fastTaskA: [],
  slowTaskA: [],
  fastTaskB: [],
  slowTaskB: ['fastTaskA'],
  fastTaskC: ['slowTaskA', 'fastTaskB'],
  endTask: ['fastTaskC', 'slowTaskB'],
};

/** The stages a `Promise.all` version runs: every task of a stage depends only on earlier stages. */
export const STAGES: readonly (readonly Task[])[] = [
  ['fastTaskA', 'slowTaskA', 'fastTaskB'],
  ['slowTaskB', 'fastTaskC'],
  ['endTask'],
];

/** Staged: the sum over stages of the slowest task of each. */
export function stagedDuration(): number {
  return STAGES.reduce((sum, stage) => sum + Math.max(...stage.map((task) => DELAYS[task])), 0);
}

/** Optimal: the longest path through the graph (each task starts when its last dependency ends). */
export function optimalDuration(): number {
  const finish = (task: Task): number => DELAYS[task] + Math.max(0, ...DEPENDENCIES[task].map(finish));
  return Math.max(...(Object.keys(DELAYS) as Task[]).map(finish));
}

/** Runs both versions with the delays multiplied by `scale`; logs the diagram and the numbers. */
export async function main(
  log: (line: string) => void = console.log,
  scale = 1,
): Promise<{
  staged: number;
  optimal: number;
  measuredStaged: number;
  measuredDag: number;
  mermaid: string;
  results: number[];
}> {
  const wait = (task: Task) => sleep(DELAYS[task] * scale);
  async function fastTaskA() {
    await wait('fastTaskA');
    return 1;
  }
  async function slowTaskA() {
    await wait('slowTaskA');
    return 1;
  }
  async function fastTaskB() {
    await wait('fastTaskB');
    return 1;
  }
  async function slowTaskB(a: number) {
    await wait('slowTaskB');
    return a + 1;
  }
  async function fastTaskC(slowA: number, b: number) {
    await wait('fastTaskC');
    return slowA + b;
  }
  async function endTask(c: number, slowB: number) {
    await wait('endTask');
    return c + slowB;
  }

  // Staged with Promise.all: each stage waits for its slowest task.
  async function staged(): Promise<number> {
    const [a, slowA, b] = await Promise.all([fastTaskA(), slowTaskA(), fastTaskB()]); // 0.5 s
    const [slowB, c] = await Promise.all([slowTaskB(a), fastTaskC(slowA, b)]); // + 1.0 s
    return endTask(c, slowB); // + 0 s = 1.5 s
  }

  // As a DAG: slowTaskB starts the moment fastTaskA is done, so the run takes 0.1 + 1.0 = 1.1 s.
  const dag = buildDag((tm) => {
    const a = tm.addNode(fastTaskA);
    const slowB = tm.addNode(slowTaskB, a);
    const c = tm.addNode(fastTaskC, tm.addNode(slowTaskA), tm.addNode(fastTaskB));
    tm.addNode(endTask, c, slowB);
  });

  const mermaid = graphOf(dag).toMermaid();
  log(mermaid);
  let t0 = performance.now();
  const stagedResult = await staged();
  const measuredStaged = performance.now() - t0;
  t0 = performance.now();
  const result = await dag.invoke();
  const measuredDag = performance.now() - t0;
  const staged_ = stagedDuration() * scale;
  const optimal = optimalDuration() * scale;
  const ms = (n: number) => `${Math.round(n)} ms`;
  log(`staged Promise.all: expected ${ms(staged_)}, measured ${ms(measuredStaged)}`);
  log(`async-dag:          expected ${ms(optimal)}, measured ${ms(measuredDag)}`);
  return {
    staged: staged_,
    optimal,
    measuredStaged,
    measuredDag,
    mermaid,
    results: [stagedResult, result.get('endTask') as number],
  };
}
// #endregion docs

if (require.main === module) void main();

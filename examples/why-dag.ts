// The README's "Why": the seed's tasks run in stages of Promise.all, then as a DAG.
// #region docs
import { buildDag } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The seed's tasks: each sleeps as long as its name says (fast: 100 ms, slow: 500 or 1000 ms).
async function fastTaskA() {
  await sleep(100);
  return 1;
}
async function slowTaskA() {
  await sleep(500);
  return 1;
}
async function fastTaskB() {
  await sleep(100);
  return 1;
}
async function slowTaskB(a: number) {
  await sleep(1000);
  return a + 1;
}
async function fastTaskC(slowA: number, b: number) {
  await sleep(100);
  return slowA + b;
}
async function endTask(c: number, slowB: number) {
  return c + slowB;
}

// Staged with Promise.all: each stage waits for its slowest task.
export async function staged(): Promise<number> {
  const [a, slowA, b] = await Promise.all([fastTaskA(), slowTaskA(), fastTaskB()]); // 0.5 s
  const [slowB, c] = await Promise.all([slowTaskB(a), fastTaskC(slowA, b)]); // + 1.0 s
  return endTask(c, slowB); // + 0 s = 1.5 s
}

// As a DAG: slowTaskB starts the moment fastTaskA is done, so the run takes 0.1 + 1.0 = 1.1 s.
export const dag = buildDag((tm) => {
  const a = tm.addNode(fastTaskA);
  const slowB = tm.addNode(slowTaskB, a);
  const c = tm.addNode(fastTaskC, tm.addNode(slowTaskA), tm.addNode(fastTaskB));
  tm.addNode(endTask, c, slowB);
});

export async function main(log = console.log): Promise<number[]> {
  let start = performance.now();
  const byStages = await staged();
  log(`stages of Promise.all: ${Math.round(performance.now() - start)} ms`); // about 1500 ms
  start = performance.now();
  const result = await dag.invoke();
  log(`async-dag: ${Math.round(performance.now() - start)} ms`); // about 1100 ms
  return [byStages, result.get('endTask') as number];
}
// #endregion docs

if (require.main === module) void main();

/**
 * The seed's first example (six nodes), with zero delays: fastTaskA -> slowTaskB -> endTask and
 * (slowTaskA, fastTaskB) -> fastTaskC -> endTask. This measures what one small invocation costs
 * on top of the work itself.
 */
import { buildDag, type TaskNode } from 'async-dag';
import { defineDagClass, type ClassDsl } from './class-dsl-contender';

const fastTaskA = async (n: number) => n + 1;
const slowTaskB = async (n: number) => n + 1;
const slowTaskA = async (n: number) => n + 1;
const fastTaskB = async (n: number) => n + 1;
const fastTaskC = async (a: number, b: number) => a + b;
const endTask = async (a: number, b: number) => a + b;

/** The optimal schedule written by hand: every root starts at once, each task chained on exactly what it needs. */
export async function handWritten(params: number): Promise<number> {
  const fastA = fastTaskA(params);
  const slowB = fastA.then(slowTaskB);
  const fastC = Promise.all([slowTaskA(params), fastTaskB(params)]).then(([a, b]) => fastTaskC(a, b));
  const [c, b] = await Promise.all([fastC, slowB]);
  return endTask(c, b);
}

/** The same graph with async-dag's builder; resolves to endTask's value. */
export function seedWithBuilder(): (params: number) => Promise<number> {
  let end!: TaskNode<number>;
  const dag = buildDag<number>((tm) => {
    const fastA = tm.addNode(fastTaskA);
    const slowB = tm.addNode(slowTaskB, fastA);
    const slowA = tm.addNode(slowTaskA);
    const fastB = tm.addNode(fastTaskB);
    const fastC = tm.addNode(fastTaskC, slowA, fastB);
    end = tm.addNode(endTask, fastC, slowB);
  });
  return async (params) => end.extractResult(await dag.invoke(params));
}

/** The same graph as a class-DSL `Dag`; resolves to endTask's value. */
export function seedWithClassDsl(dsl: ClassDsl): (params: number) => Promise<number> {
  const SeedFlow = defineDagClass(dsl, [
    { name: 'fastTaskA', deps: [], method: fastTaskA },
    { name: 'slowTaskB', deps: ['fastTaskA'], method: slowTaskB },
    { name: 'slowTaskA', deps: [], method: slowTaskA },
    { name: 'fastTaskB', deps: [], method: fastTaskB },
    { name: 'fastTaskC', deps: ['slowTaskA', 'fastTaskB'], method: fastTaskC },
    { name: 'endTask', deps: ['fastTaskC', 'slowTaskB'], method: endTask },
  ]);
  const flow = new SeedFlow();
  return async (params) => ((await flow.invoke(params)) as { get(name: string): number }).get('endTask');
}

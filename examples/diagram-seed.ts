// The seed's graph, seen three ways: its Mermaid diagram, the Mermaid gantt chart of a run, and
// the same run as a terminal timeline. docs/diagrams.md shows the real output of this file.
// #region docs
import { buildDag, graphOf } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A task that waits `delay` ms (times `scale`) and adds its inputs; named like the seed's tasks. */
function task(name: string, delay: number, scale: number) {
  const run = async (...inputs: unknown[]): Promise<number> => {
    await sleep(delay * scale);
    return inputs.filter((x): x is number => typeof x === 'number').reduce((a, b) => a + b, 0) + 1;
  };
  return Object.defineProperty(run, 'name', { value: name });
}

/** Runs the seed's graph once and logs its diagram, gantt chart and timeline; `scale` shrinks the delays. */
export async function main(
  log: (text: string) => void = console.log,
  scale = 1,
): Promise<{ mermaid: string; gantt: string; timeline: string }> {
  const dag = buildDag<number>((tm) => {
    const fastTaskA = tm.addNode(task('fastTaskA', 100, scale));
    const slowTaskB = tm.addNode(task('slowTaskB', 1000, scale), fastTaskA);
    const slowTaskA = tm.addNode(task('slowTaskA', 500, scale));
    const fastTaskB = tm.addNode(task('fastTaskB', 100, scale));
    const fastTaskC = tm.addNode(task('fastTaskC', 100, scale), slowTaskA, fastTaskB);
    tm.addNode(task('endTask', 0, scale), fastTaskC, slowTaskB);
  });

  // The graph: nodes, edges, and a Mermaid `graph TD` diagram. No run needed.
  const mermaid = graphOf(dag).toMermaid();

  // A run: `result.trace` has when each node started and ended, in ms since invoke().
  const result = await dag.invoke(0);
  const gantt = result.trace.toGantt(); // a Mermaid `gantt` chart
  const timeline = result.trace.toTimeline(80); // one row per node, at most 80 columns

  log(mermaid);
  log(gantt);
  log(timeline);
  return { mermaid, gantt, timeline };
}
// #endregion docs

if (require.main === module) void main();

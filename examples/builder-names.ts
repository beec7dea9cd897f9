// Node names and per-node options in the builder: tm.with({ name, timeout, retry, priority }).
// #region docs
import { buildDag, graphOf } from 'async-dag';

/** Logs the default and given names of a graph, its Mermaid diagram, and a value read by name. */
export async function main(log: (line: string) => void = console.log): Promise<readonly string[]> {
  const inc = (n: number) => n + 1;
  let flaky = 0;

  const dag = buildDag<number>((tm) => {
    const a = tm.addNode(inc); // named "inc": the function's name
    const b = tm.addNode(inc, a); // "inc_2": made unique with a numeric suffix
    tm.addNode((x: number) => x * 10, b); // "node_2": an anonymous function, by its index
    tm.with({ name: 'double', priority: 1 }).addNode((x: number) => x * 2, b);
    // Options apply to that one node: 50 ms per attempt, up to 3 attempts.
    tm.with({ name: 'fetchRate', timeout: 50, retry: 2 }).addNode(async () => {
      if (++flaky < 3) throw new Error('flaky service');
      return 1.5;
    });
  });

  const names = graphOf(dag).nodes.map((node) => node.name);
  log(names.join(', ')); // inc, inc_2, node_2, double, fetchRate
  log(graphOf(dag).toMermaid());

  const result = await dag.invoke(1);
  log(`double = ${String(result.get('double'))}`); // read by name: 6
  log(`fetchRate = ${String(result.get('fetchRate'))} after ${flaky} attempts`); // 1.5 after 3 attempts
  return names;
}
// #endregion docs

if (require.main === module) void main();

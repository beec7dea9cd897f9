// Graphs built in loops: an array of TaskNodes spread into addNode.
// #region docs
import { buildDag, type TaskNode } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fans out one node per region, then fans in with a spread array. */
export async function main(log: (line: string) => void = console.log): Promise<number> {
  const regions = ['eu', 'us', 'ap'];

  async function fetchSales(region: string): Promise<number> {
    await sleep(10);
    return { eu: 120, us: 200, ap: 80 }[region] ?? 0;
  }
  // A rest parameter receives the values of a spread array, followed by params and ctx:
  // keep the first regions.length of them.
  function sumAll(...sales: number[]): number {
    return sales.slice(0, regions.length).reduce((a, b) => a + b, 0);
  }

  let total!: TaskNode<number>;
  const dag = buildDag((tm) => {
    const perRegion: TaskNode<number>[] = [];
    for (const region of regions) {
      perRegion.push(tm.with({ name: `sales_${region}` }).addNode(fetchSales, region));
    }
    total = tm.addNode(sumAll, ...perRegion);
  });

  const result = await dag.invoke();
  for (const region of regions) log(`${region}: ${String(result.get(`sales_${region}`))}`);
  log(`total: ${total.extractResult(result)}`); // total: 400
  return total.extractResult(result);
}
// #endregion docs

if (require.main === module) void main();

// An observer that writes a run into logs: one structured line per event.
// #region docs
import { buildDag, type DagObserver, type NodeContext } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a small checkout graph whose payment fails once, and logs what the observer sees. */
export async function main(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const write = (line: string) => {
    lines.push(line);
    log(line);
  };
  // Any logger will do; this one writes `event key=value ...` lines. Durations are in ms. One
  // observer serves every run: each event carries its run, and `run.id` tells runs apart.
  const loggingObserver = (write: (line: string) => void): DagObserver => ({
    onRunStart: ({ run, graph }) => write(`run.start run=${run.id} graph=${graph.owner} nodes=${graph.nodes.length}`),
    onNodeStart: ({ run, name, attempt }) => write(`node.start run=${run.id} node=${name} attempt=${attempt}`),
    onNodeRetry: ({ run, name, attempt, error, delay }) =>
      write(`node.retry run=${run.id} node=${name} attempt=${attempt} delay=${delay} error="${String(error)}"`),
    onNodeEnd: ({ run, name, status, duration, attempts }) =>
      write(
        `node.end run=${run.id} node=${name} status=${status} attempts=${attempts} duration=${duration.toFixed(0)}`,
      ),
    onRunEnd: ({ run, status, duration }) =>
      write(`run.end run=${run.id} status=${status} duration=${duration.toFixed(0)}`),
  });

  let charges = 0;
  const checkout = buildDag<{ cartId: string }>((tm) => {
    const cart = tm.with({ name: 'cart' }).addNode(async (p: { cartId: string }) => {
      await sleep(10);
      return { id: p.cartId, total: 30 };
    });
    const pay = tm
      .with({ name: 'pay', retry: { retries: 2, delay: 5 } })
      .addNode(async (c: { total: number }, _p: unknown, ctx: NodeContext) => {
        charges++;
        if (ctx.attempt === 1) throw new Error('gateway timeout');
        return c.total;
      }, cart);
    tm.with({ name: 'receipt' }).addNode((amount: number) => `paid ${amount}`, pay);
  });

  // `runId` names the run; without it, run.id is a unique id made for this invocation.
  await checkout.invoke({ cartId: 'c-42' }, { observer: loggingObserver(write), runId: 'r1' });
  // run.start run=r1 graph=buildDag nodes=3
  // node.start run=r1 node=cart attempt=1
  // node.end run=r1 node=cart status=fulfilled attempts=1 duration=10
  // node.start run=r1 node=pay attempt=1
  // node.retry run=r1 node=pay attempt=1 delay=5 error="Error: gateway timeout"
  // node.start run=r1 node=pay attempt=2
  // node.end run=r1 node=pay status=fulfilled attempts=2 duration=6
  // node.start run=r1 node=receipt attempt=1
  // node.end run=r1 node=receipt status=fulfilled attempts=1 duration=0
  // run.end run=r1 status=fulfilled duration=17
  log(`charges: ${charges}`);
  return lines;
}
// #endregion docs

if (require.main === module) void main();

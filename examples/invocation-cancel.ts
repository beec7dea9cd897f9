// Cancelling a run with an AbortSignal; nodes see ctx.signal abort.
// #region docs
import { buildDag, DagAbortedError, type NodeContext } from 'async-dag';

/** Cancels a slow run after 30 ms, then shows that an already-aborted signal runs nothing. */
export async function main(log: (line: string) => void = console.log): Promise<string[]> {
  // A node that honours cancellation: it stops its own work when ctx.signal aborts.
  function download(_params: void, ctx: NodeContext): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('file'), 5_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        log(`${ctx.name} saw the abort`);
        reject(ctx.signal.reason);
      });
    });
  }
  let parsed = false;
  const dag = buildDag((tm) => {
    const file = tm.addNode(download);
    tm.addNode(function parse(text: string) {
      parsed = true;
      return text.length;
    }, file);
  });

  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('user pressed cancel')), 30);
  try {
    await dag.invoke(undefined, { signal: controller.signal });
  } catch (error) {
    if (error instanceof DagAbortedError) {
      log(`${error.name} ${error.code}: ${error.message}`); // AbortError ABORTED: The run was aborted: user pressed cancel
    }
  }
  log(`parse ran: ${parsed}`); // parse ran: false

  // A deadline for the whole run is a signal too; an aborted signal rejects at once, running nothing.
  const late = dag.invoke(undefined, { signal: AbortSignal.abort() });
  await late.catch((error: DagAbortedError) => log(`already aborted: ${error.code}`));
  return [String(parsed)];
}
// #endregion docs

if (require.main === module) void main();

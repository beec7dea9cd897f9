// Timeouts and retries: a timeout fails one attempt; a RetryPolicy decides whether to try again.
// #region docs
import {
  buildDag,
  NodeFailedError,
  NodeTimeoutError,
  type DagObserver,
  type NodeContext,
  type RetryPolicy,
} from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries a node that times out once, and shows a policy that refuses to retry a 404. */
export async function main(
  log: (line: string) => void = console.log,
): Promise<{ quote: number; attempts: number; lookups: number }> {
  const observer: DagObserver = {
    onNodeRetry: ({ name, attempt, error, delay }) =>
      log(
        `${name}: attempt ${attempt} failed (${error instanceof NodeTimeoutError ? error.code : String(error)}), next in ${delay} ms`,
      ),
  };

  // A timeout aborts the attempt's ctx.signal and fails that attempt with NodeTimeoutError;
  // `retry: 2` allows up to 3 attempts. Here attempt 1 hangs, attempt 2 answers at once.
  async function quote(_params: void, ctx: NodeContext): Promise<number> {
    if (ctx.attempt === 1) await sleep(1_000);
    return 42;
  }
  const quoteDag = buildDag((tm) => {
    tm.with({ timeout: 40, retry: 2 }).addNode(quote);
  });
  const result = await quoteDag.invoke(undefined, { observer });
  const [entry] = result.trace.nodes;
  log(`quote = ${String(result.get('quote'))} after ${entry?.attempts} attempts`);

  // A RetryPolicy: how many retries, how long to wait, and which errors deserve one.
  class HttpError extends Error {
    constructor(readonly status: number) {
      super(`HTTP ${status}`);
    }
  }
  const retryTransient: RetryPolicy = {
    retries: 3,
    delay: (attempt) => 10 * 2 ** (attempt - 1), // 10, 20, 40 ms after attempts 1, 2, 3
    when: (error) => !(error instanceof HttpError && error.status < 500), // never retry a 4xx
  };
  let lookups = 0;
  const lookupDag = buildDag((tm) => {
    tm.with({ name: 'lookup', retry: retryTransient }).addNode(async () => {
      lookups++;
      throw new HttpError(lookups < 3 ? 503 : 404);
    });
  });
  try {
    await lookupDag.invoke(undefined, { observer });
  } catch (error) {
    if (error instanceof NodeFailedError) log(`${error.node} failed after ${lookups} attempts: ${String(error.cause)}`);
  }
  // quote: attempt 1 failed (NODE_TIMEOUT), next in 0 ms
  // quote = 42 after 2 attempts
  // lookup: attempt 1 failed (Error: HTTP 503), next in 10 ms
  // lookup: attempt 2 failed (Error: HTTP 503), next in 20 ms
  // lookup failed after 3 attempts: Error: HTTP 404
  return { quote: result.get('quote') as number, attempts: entry?.attempts ?? 0, lookups };
}
// #endregion docs

if (require.main === module) void main();

// Run by spec/engine/timers.spec.ts in its own Node process: invocations with long timeouts
// and retry delays that all end early one way or another. Once they are done nothing of the
// library may keep the process alive, so it must exit at once (not after 30 s).
import { buildDag, type NodeContext } from 'async-dag';

const LONG = 30_000;
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  // 1. Long timeouts on nodes that end quickly, many times.
  const quick = buildDag((tm) => {
    const a = tm.with({ name: 'a', timeout: LONG }).addNode(async () => 1);
    tm.with({ name: 'b', timeout: LONG, retry: 2 }).addNode((n: number) => n + 1, a);
  });
  for (let i = 0; i < 200; i++) await quick.invoke();

  // 2. A retry after a short delay, under a long timeout.
  const retried = buildDag((tm) => {
    tm.with({ name: 'flaky', timeout: LONG, retry: { retries: 3, delay: 5 } }).addNode((_: void, ctx: NodeContext) => {
      if (ctx.attempt < 3) throw new Error('not yet');
      return ctx.attempt;
    });
  });
  for (let i = 0; i < 10; i++) await retried.invoke();

  // 3. Fail fast while another node waits out a long retry delay and a third hangs under a long timeout.
  const failing = buildDag((tm) => {
    tm.with({ name: 'waiting', retry: { retries: 1, delay: LONG } }).addNode(() => {
      throw new Error('retry me later');
    });
    tm.with({ name: 'hanging', timeout: LONG }).addNode(never);
    tm.with({ name: 'lateRejecter', timeout: LONG }).addNode(async (_: void, ctx: NodeContext) => {
      await sleep(20);
      throw new Error(`late, after the run stopped (aborted: ${ctx.signal.aborted})`);
    });
    tm.addNode(async function failer() {
      await sleep(5);
      throw new Error('fail fast');
    });
  });
  for (let i = 0; i < 10; i++) await failing.invoke().catch(() => undefined);

  // 4. Abort a run whose nodes hang under long timeouts and long retry delays.
  const hanging = buildDag((tm) => {
    tm.with({ name: 'h1', timeout: LONG }).addNode(never);
    tm.with({ name: 'h2', timeout: LONG, retry: { retries: 2, delay: LONG } }).addNode(() =>
      Promise.reject(new Error('x')),
    );
  });
  for (let i = 0; i < 10; i++) {
    const controller = new AbortController();
    const run = hanging.invoke(undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 2);
    await run.catch(() => undefined);
  }

  // 5. Settle mode: a short timeout fails one node, the long one is cleared when its node ends.
  const settling = buildDag((tm) => {
    tm.with({ name: 'short', timeout: 5 }).addNode(never);
    tm.with({ name: 'long', timeout: LONG }).addNode(async () => {
      await sleep(10);
      return 'ok';
    });
  });
  for (let i = 0; i < 5; i++) await settling.invoke(undefined, { failFast: false });

  // Let the late rejections of step 3 happen while the process is still listening.
  await sleep(50);
  const timers = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  process.stdout.write(`${JSON.stringify({ unhandled: unhandled.map(String), timers })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exitCode = 1;
});

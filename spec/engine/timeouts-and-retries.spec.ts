import {
  buildDag,
  NodeFailedError,
  NodeTimeoutError,
  type DagObserver,
  type NodeContext,
  type NodeRetryEvent,
} from 'async-dag';
import { sleep } from '../helpers/deferred';

/** A function named `name` that fails its first `failures` calls with `error(attempt)`, then returns `value`. */
function flaky<T>(name: string, failures: number, value: T, error = (attempt: number) => new Error(`fail ${attempt}`)) {
  const attempts: number[] = [];
  const fn = (...args: unknown[]) => {
    const ctx = args[args.length - 1] as NodeContext;
    attempts.push(ctx.attempt);
    if (ctx.attempt <= failures) return Promise.reject(error(ctx.attempt));
    return Promise.resolve(value);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return { fn, attempts };
}

describe('timeouts', () => {
  it('fails an attempt that runs past its timeout with NodeTimeoutError as the cause', async () => {
    let signal!: AbortSignal;
    const dag = buildDag((tm) => {
      tm.with({ timeout: 20 }).addNode(function stuck(_: void, ctx: NodeContext) {
        signal = ctx.signal;
        return new Promise(() => {});
      });
    });
    const t0 = performance.now();
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(elapsed).toBeLessThan(1000);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(error.node).toBe('stuck');
    const cause = error.cause as NodeTimeoutError;
    expect(cause).toBeInstanceOf(NodeTimeoutError);
    expect(cause.code).toBe('NODE_TIMEOUT');
    expect(cause.node).toBe('stuck');
    expect(cause.timeout).toBe(20);
    expect(cause.message).toMatch(/stuck.*20 ms/);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(cause);
  });

  it('leaves a node that ends in time alone', async () => {
    const dag = buildDag((tm) => {
      tm.with({ timeout: 1_000 }).addNode(async function quick() {
        await sleep(1);
        return 'in time';
      });
    });
    expect((await dag.invoke()).get('quick')).toBe('in time');
  });

  it('gives each attempt its own timeout and signal, and retries a timed-out attempt', async () => {
    const signals: AbortSignal[] = [];
    const dag = buildDag((tm) => {
      tm.with({ timeout: 30, retry: 2 }).addNode(function slowThenFast(_: void, ctx: NodeContext) {
        signals.push(ctx.signal);
        return ctx.attempt < 3 ? new Promise(() => {}) : Promise.resolve(ctx.attempt);
      });
    });
    const result = await dag.invoke();
    expect(result.get('slowThenFast')).toBe(3);
    expect(signals.map((s) => s.aborted)).toEqual([true, true, false]);
    expect(signals.map((s) => (s.reason as NodeTimeoutError | undefined)?.code)).toEqual([
      'NODE_TIMEOUT',
      'NODE_TIMEOUT',
      undefined,
    ]);
    expect(result.trace.nodes[0]!.attempts).toBe(3);
  });

  it('ignores the late value of an attempt that timed out', async () => {
    const dag = buildDag((tm) => {
      tm.with({ timeout: 20, retry: 1 }).addNode(function late(_: void, ctx: NodeContext) {
        return sleep(ctx.attempt === 1 ? 60 : 1).then(() => `attempt ${ctx.attempt}`);
      });
    });
    const result = await dag.invoke();
    expect(result.get('late')).toBe('attempt 2');
    await sleep(80);
    expect(result.get('late')).toBe('attempt 2');
  });

  it('aborts a timed-out node in settle mode and skips its dependents', async () => {
    const dag = buildDag((tm) => {
      const stuck = tm.with({ name: 'stuck', timeout: 10 }).addNode(() => new Promise<number>(() => {}));
      tm.addNode(function after(n: number) {
        return n;
      }, stuck);
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.status('stuck')).toBe('rejected');
    expect(result.status('after')).toBe('skipped');
    expect(result.errors[0]!.error).toBeInstanceOf(NodeTimeoutError);
  });
});

describe('retries', () => {
  it('retries a failing node up to `retry` more times, counting ctx.attempt from 1', async () => {
    const { fn, attempts } = flaky('shaky', 2, 'ok');
    const dag = buildDag((tm) => void tm.with({ retry: 2 }).addNode(fn));
    const result = await dag.invoke();
    expect(result.get('shaky')).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(result.trace.nodes[0]).toMatchObject({ status: 'fulfilled', attempts: 3 });
  });

  it('fails with the error of the last attempt when every attempt fails', async () => {
    const { fn, attempts } = flaky('hopeless', 10, 'never');
    const dag = buildDag((tm) => void tm.with({ retry: 2 }).addNode(fn));
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    expect(attempts).toEqual([1, 2, 3]);
    expect((error.cause as Error).message).toBe('fail 3');
    expect(error.partial.trace.nodes[0]).toMatchObject({ status: 'rejected', attempts: 3 });
  });

  it('retries a synchronous throw too', async () => {
    let calls = 0;
    const dag = buildDag((tm) => {
      tm.with({ name: 'sync', retry: 1 }).addNode(() => {
        if (++calls === 1) throw new Error('first');
        return calls;
      });
    });
    expect((await dag.invoke()).get('sync')).toBe(2);
  });

  it('waits `delay` ms between attempts', async () => {
    const starts: number[] = [];
    const dag = buildDag((tm) => {
      tm.with({ name: 'spaced', retry: { retries: 2, delay: 40 } }).addNode((_: void, ctx: NodeContext) => {
        starts.push(performance.now());
        if (ctx.attempt < 3) throw new Error('again');
        return 'done';
      });
    });
    expect((await dag.invoke()).get('spaced')).toBe('done');
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(35);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(35);
  });

  it('asks a delay function with the failed attempt and its error, and reports the delay to the observer', async () => {
    const asked: [number, string][] = [];
    const retries: NodeRetryEvent[] = [];
    const { fn } = flaky('backoff', 3, 'ok');
    const dag = buildDag((tm) => {
      tm.with({
        retry: {
          retries: 3,
          delay: (attempt, error) => {
            asked.push([attempt, (error as Error).message]);
            return 2 ** attempt;
          },
        },
      }).addNode(fn);
    });
    const observer: DagObserver = { onNodeRetry: (event) => void retries.push(event) };
    await dag.invoke(undefined, { observer });
    expect(asked).toEqual([
      [1, 'fail 1'],
      [2, 'fail 2'],
      [3, 'fail 3'],
    ]);
    expect(retries.map((r) => [r.name, r.attempt, r.delay])).toEqual([
      ['backoff', 1, 2],
      ['backoff', 2, 4],
      ['backoff', 3, 8],
    ]);
  });

  it('retries only the errors that `when` accepts', async () => {
    class Transient extends Error {}
    const { fn, attempts } = flaky('picky', 5, 'ok', (attempt) =>
      attempt < 3 ? new Transient('blip') : new Error('fatal'),
    );
    const dag = buildDag((tm) => {
      tm.with({ retry: { retries: 5, when: (error) => error instanceof Transient } }).addNode(fn);
    });
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    expect(attempts).toEqual([1, 2, 3]);
    expect((error.cause as Error).message).toBe('fatal');
  });

  it('fails the node with a TypeError when the delay function gives no usable number', async () => {
    const { fn, attempts } = flaky('badDelay', 1, 'ok');
    const dag = buildDag((tm) => void tm.with({ retry: { retries: 1, delay: () => -5 } }).addNode(fn));
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    expect(attempts).toEqual([1]);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as TypeError).message).toMatch(/Expected `retry.delay`.*`-5` \(number\)/);
  });

  it('fails the node with what `when` throws', async () => {
    const oops = new Error('when broke');
    const { fn } = flaky('badWhen', 1, 'ok');
    const dag = buildDag((tm) => {
      tm.with({
        retry: {
          retries: 1,
          when: () => {
            throw oops;
          },
        },
      }).addNode(fn);
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'badWhen', cause: oops });
  });

  it('counts attempts past 65,535 and still ends the run', async () => {
    let calls = 0;
    const dag = buildDag((tm) => {
      tm.with({ name: 'stubborn', retry: 70_000 }).addNode(() => {
        calls++;
        throw new Error('no');
      });
    });
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    expect(error.node).toBe('stubborn');
    expect(calls).toBe(70_001);
    expect(error.partial.trace.nodes[0]!.attempts).toBe(70_001);
  });

  it('treats retry: 0 as no retry', async () => {
    const { fn, attempts } = flaky('once', 1, 'ok');
    const dag = buildDag((tm) => void tm.with({ retry: 0 }).addNode(fn));
    await expect(dag.invoke()).rejects.toBeInstanceOf(NodeFailedError);
    expect(attempts).toEqual([1]);
  });

  it('cancels a pending retry when the run is aborted', async () => {
    const { fn, attempts } = flaky('waiting', 5, 'ok');
    const controller = new AbortController();
    const dag = buildDag((tm) => void tm.with({ retry: { retries: 5, delay: 30 } }).addNode(fn));
    const run = dag.invoke(undefined, { signal: controller.signal });
    await sleep(5);
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(60);
    expect(attempts).toEqual([1]);
  });

  it('starts no retry after another node failed the run', async () => {
    const { fn, attempts } = flaky('patient', 5, 'ok');
    const dag = buildDag((tm) => {
      tm.with({ retry: { retries: 5, delay: 20 } }).addNode(fn);
      tm.addNode(async function failer() {
        await sleep(5);
        throw new Error('failer');
      });
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'failer' });
    await sleep(50);
    expect(attempts).toEqual([1]);
  });

  it('retries in settle mode and counts the node fulfilled when a retry succeeds', async () => {
    const { fn } = flaky('recovers', 1, 7);
    const dag = buildDag((tm) => void tm.with({ retry: { retries: 1, delay: 5 } }).addNode(fn));
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.status('recovers')).toBe('fulfilled');
    expect(result.errors).toEqual([]);
  });
});

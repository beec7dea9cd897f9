import { buildDag, DagAbortedError, DagError, type NodeContext } from 'async-dag';
import { deferred, settleMicrotasks } from '../helpers/deferred';
import { Recorder } from '../helpers/recorder';
import { TimerTracker } from '../helpers/timer-tracker';

describe('cancellation through options.signal', () => {
  it('rejects promptly with DagAbortedError, aborts running nodes and starts nothing more', async () => {
    const rec = new Recorder();
    let nodeSignal!: AbortSignal;
    const dag = buildDag((tm) => {
      const forever = tm.addNode(function forever(_: void, ctx: NodeContext) {
        nodeSignal = ctx.signal;
        rec.push('start:forever');
        return new Promise<number>(() => {}); // never settles, ignores the signal
      });
      tm.addNode(function next() {
        rec.push('start:next');
      }, forever);
    });
    const controller = new AbortController();
    const reason = new Error('user left');
    const run = dag.invoke(undefined, { signal: controller.signal });
    const t0 = performance.now();
    controller.abort(reason);
    const error = (await run.catch((e: unknown) => e)) as DagAbortedError;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(error).toBeInstanceOf(DagAbortedError);
    expect(error).toBeInstanceOf(DagError);
    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
    expect(error.message).toContain('user left');
    expect(nodeSignal.aborted).toBe(true);
    expect(nodeSignal.reason).toBe(error);
    await settleMicrotasks();
    expect(rec.of('start')).toEqual(['forever']);
  });

  it('rejects at once and runs no node when the signal is already aborted', async () => {
    let ran = 0;
    const dag = buildDag((tm) => {
      tm.addNode(() => ran++);
      tm.addImmediateNode(1);
    });
    const observed: string[] = [];
    const run = dag.invoke(undefined, {
      signal: AbortSignal.abort('too late'),
      observer: {
        onRunStart: () => void observed.push('runStart'),
        onNodeStart: () => void observed.push('nodeStart'),
      },
    });
    expect(ran).toBe(0);
    await expect(run).rejects.toMatchObject({ name: 'AbortError', cause: 'too late' });
    expect(ran).toBe(0);
    expect(observed).toEqual([]);
  });

  it('gives the default reason of a bare abort() as the cause', async () => {
    const controller = new AbortController();
    const dag = buildDag((tm) => void tm.addNode(() => new Promise(() => {})));
    const run = dag.invoke(undefined, { signal: controller.signal });
    controller.abort();
    const error = (await run.catch((e: unknown) => e)) as DagAbortedError;
    expect((error.cause as Error).name).toBe('AbortError');
  });

  it('stops a run that a node aborts from inside, synchronously', async () => {
    const controller = new AbortController();
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      tm.addNode(function quitter() {
        rec.push('start:quitter');
        controller.abort('quit');
        return 'value';
      });
      tm.addNode(function other() {
        rec.push('start:other');
      });
    });
    await expect(dag.invoke(undefined, { signal: controller.signal })).rejects.toMatchObject({ cause: 'quit' });
    expect(rec.of('start')).toEqual(['quitter']);
  });

  it('absorbs the rejections of nodes that give up when they see the abort', async () => {
    const controller = new AbortController();
    const dag = buildDag((tm) => {
      for (let i = 0; i < 3; i++) {
        tm.addNode(
          (_: void, ctx: NodeContext) =>
            new Promise((_r, reject) => {
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            }),
        );
      }
    });
    const run = dag.invoke(undefined, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(DagAbortedError);
    await settleMicrotasks();
  });

  it('lets a run end normally, and then ignores a later abort of the same signal', async () => {
    const controller = new AbortController();
    const dag = buildDag((tm) => void tm.addNode(async () => 'done'));
    const result = await dag.invoke(undefined, { signal: controller.signal });
    controller.abort();
    expect(result.get('node_0')).toBe('done');
  });

  it('removes its abort listener when the run ends, so one signal can serve many runs', async () => {
    const controller = new AbortController();
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added.push(args[1]);
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed.push(args[1]);
      remove(...args);
    }) as typeof signal.removeEventListener;
    const dag = buildDag((tm) => void tm.addNode(async () => 1));
    for (let i = 0; i < 5; i++) await dag.invoke(undefined, { signal });
    expect(added).toHaveLength(5);
    expect(removed).toEqual(added);
  });

  it('does not abort ctx.signal of a run that ended normally', async () => {
    let seen!: AbortSignal;
    const gate = deferred();
    const dag = buildDag((tm) => {
      tm.addNode((_: void, ctx: NodeContext) => {
        seen = ctx.signal;
        return gate.promise;
      });
    });
    const run = dag.invoke();
    gate.resolve();
    await run;
    expect(seen.aborted).toBe(false);
  });
});

describe('cancellation from an observer hook', () => {
  it('does not call the body of a node whose onNodeStart hook aborted the run', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const dag = buildDag((tm) => {
      tm.addNode(function first() {
        ran.push('first');
      });
      tm.addNode(function second() {
        ran.push('second');
      });
    });
    const run = dag.invoke(undefined, {
      signal: controller.signal,
      observer: { onNodeStart: ({ name }) => name === 'second' && controller.abort('enough') },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError', cause: 'enough' });
    expect(ran).toEqual(['first']);
  });
});

describe('cancellation from an onNodeRetry hook', () => {
  it('leaves no retry timer behind', async () => {
    const timers = new TimerTracker();
    const restore = timers.install();
    try {
      const controller = new AbortController();
      const dag = buildDag((tm) => {
        tm.with({ name: 'flaky', retry: { retries: 1, delay: 10_000 } }).addNode(() => {
          throw new Error('once');
        });
      });
      const run = dag.invoke(undefined, {
        signal: controller.signal,
        observer: { onNodeRetry: () => controller.abort() },
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(timers.stacks).toEqual([]);
    } finally {
      restore();
    }
  });
});

describe('one signal shared by many runs', () => {
  it('gets one abort listener however many runs are in flight, and stops them all', async () => {
    const controller = new AbortController();
    const signal = controller.signal;
    let listeners = 0;
    let most = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      most = Math.max(most, ++listeners);
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof signal.removeEventListener;
    const dag = buildDag((tm) => void tm.addNode(() => new Promise<number>((resolve) => setTimeout(resolve, 5, 1))));
    const finished = await Promise.all(Array.from({ length: 30 }, () => dag.invoke(undefined, { signal })));
    expect(finished.map((r) => r.get('node_0'))).toEqual(Array.from({ length: 30 }, () => 1));
    expect(most).toBe(1);
    expect(listeners).toBe(0);
    const stopped = Array.from({ length: 30 }, () => dag.invoke(undefined, { signal }).catch((e: Error) => e.name));
    controller.abort();
    expect(await Promise.all(stopped)).toEqual(Array.from({ length: 30 }, () => 'AbortError'));
    expect(most).toBe(1);
  });

  it('notices an abort made by the onRunStart hook', async () => {
    const controller = new AbortController();
    let ran = false;
    const dag = buildDag((tm) => void tm.addNode(() => (ran = true)));
    const run = dag.invoke(undefined, {
      signal: controller.signal,
      observer: { onRunStart: () => controller.abort('early') },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError', cause: 'early' });
    expect(ran).toBe(false);
  });
});

describe('options that throw when read', () => {
  it('make invoke reject, never throw', async () => {
    const trap = new Error('getter');
    const dag = buildDag((tm) => void tm.addNode(() => 1));
    const options = {
      get concurrency(): number {
        throw trap;
      },
    };
    let run: Promise<unknown> | undefined;
    expect(() => {
      run = dag.invoke(undefined, options);
    }).not.toThrow();
    await expect(run).rejects.toBe(trap);
  });
});

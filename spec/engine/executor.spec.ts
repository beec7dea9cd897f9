import {
  buildDag,
  Dag,
  DagAbortedError,
  DagError,
  graphOf,
  node,
  NodeFailedError,
  type DagExecutor,
  type ExecutorRun,
  type ExecutorRunStart,
  type NodeContext,
  type RemoteNodeCall,
} from 'async-dag';
import { sleep } from '../helpers/deferred';

/**
 * An executor that runs each attempt in this process after `wait` ms "in the queue", calling
 * `body(call)`: enough to pin what the scheduler hands over and when.
 */
function fakeExecutor(body: (call: RemoteNodeCall) => unknown, wait = 5) {
  const runs: ExecutorRunStart[] = [];
  const calls: RemoteNodeCall[] = [];
  const executor: DagExecutor = {
    startRun(run) {
      runs.push(run);
      return {
        async runNode(call) {
          calls.push(call);
          await sleep(wait);
          call.signal.throwIfAborted();
          call.started();
          return body(call);
        },
      };
    },
  };
  return { executor, runs, calls };
}

const build = () =>
  buildDag<number>(
    (tm) => {
      const load = tm.addNode(function load(p: number) {
        return p + 1;
      });
      const render = tm.with({ queue: 'render', timeout: 500, priority: 2 }).addNode(function render(n: number) {
        return `local ${n}`;
      }, load);
      tm.addNode(
        function publish(s: string, n: number) {
          return `${s}/${n}`;
        },
        render,
        load,
      );
    },
    { name: 'report' },
  );

describe('executor seam', () => {
  it('lets the executor cancel the run (a cancellation heard from elsewhere), as an aborted signal would', async () => {
    const seen: string[] = [];
    const { executor, runs } = fakeExecutor(async (call) => {
      call.signal.addEventListener('abort', () => seen.push(`${call.node} aborted`));
      await sleep(200);
      return 'late';
    });
    const running = build().invoke(1, { executor });
    await sleep(30);
    runs[0]!.cancel('cancelled elsewhere');
    await expect(running).rejects.toMatchObject({ name: 'AbortError', code: 'ABORTED', cause: 'cancelled elsewhere' });
    expect(seen).toEqual(['render aborted']);
    // Once the run has settled, cancelling it again changes nothing.
    runs[0]!.cancel('again');
  });

  it('hands only the nodes with a queue to the executor, with their dependency values and options', async () => {
    const { executor, runs, calls } = fakeExecutor((call) => `remote ${String(call.args[0])}`);
    const result = await build().invoke(1, { executor, runId: 'r1' });
    expect(result.get('publish')).toBe('remote 2/2');
    expect(runs.map(({ runId, flow, params }) => ({ runId, flow, params }))).toEqual([
      { runId: 'r1', flow: 'report', params: 1 },
    ]);
    expect(
      calls.map(({ node, queue, attempt, args, dependencies, timeout, priority }) => ({
        node,
        queue,
        attempt,
        args,
        dependencies,
        timeout,
        priority,
      })),
    ).toEqual([
      { node: 'render', queue: 'render', attempt: 1, args: [2], dependencies: ['load'], timeout: 500, priority: 2 },
    ]);
    // The queue wait shows as `queued`, and the node's start is when the attempt started.
    const render = result.trace.nodes.find((n) => n.name === 'render')!;
    expect(render.queued).toBeGreaterThanOrEqual(3);
    expect(render.start! - result.trace.nodes[0]!.end!).toBeGreaterThanOrEqual(3);
    expect(result.trace.nodes.find((n) => n.name === 'load')!.queued).toBeUndefined();
  });

  it('runs everything in this process without an executor, and gives the executor nothing when no node has a queue', async () => {
    expect((await build().invoke(1)).get('publish')).toBe('local 2/2');
    const { executor, runs } = fakeExecutor(() => 'never');
    const plain = buildDag((tm) => void tm.addNode(() => 7));
    expect((await plain.invoke(undefined, { executor })).get('node_0')).toBe(7);
    expect(runs).toEqual([]);
  });

  it('retries a remote node by handing each attempt over again, counting attempts', async () => {
    const { executor, calls } = fakeExecutor((call) => {
      if (call.attempt < 3) throw new Error(`attempt ${call.attempt} failed`);
      return call.attempt;
    });
    class Flaky extends Dag {
      @node({ queue: 'q', retry: 2 }) async flaky(_p: void, ctx: NodeContext): Promise<number> {
        return ctx.attempt;
      }
    }
    const result = await new Flaky().invoke(undefined, { executor });
    expect(result.get('flaky')).toBe(3);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(result.trace.nodes[0]!.attempts).toBe(3);
    expect(graphOf(Flaky).nodes[0]!.options).toEqual({
      timeout: undefined,
      retry: { retries: 2 },
      priority: 0,
      queue: 'q',
    });
  });

  it('aborts the signal given to the executor when the run fails fast, and starts nothing after', async () => {
    const { executor, calls } = fakeExecutor(async (call) => {
      if (call.node === 'bad') throw new Error('bad');
      await sleep(50);
      return call.node;
    }, 1);
    const dag = buildDag(
      (tm) => {
        const slow = tm.with({ name: 'slow', queue: 'q' }).addNode(() => 0);
        tm.with({ name: 'bad', queue: 'q' }).addNode(() => 0);
        tm.with({ name: 'after', queue: 'q' }).addNode(() => 0, slow);
      },
      { name: 'failing' },
    );
    const error = await dag.invoke(undefined, { executor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).node).toBe('bad');
    expect(calls.find((c) => c.node === 'slow')!.signal.aborted).toBe(true);
    await sleep(80);
    expect(calls.map((c) => c.node)).toEqual(['slow', 'bad']);
  });

  it('rejects an unnamed builder graph with queued nodes before any node starts', async () => {
    const { executor, runs } = fakeExecutor(() => 0);
    let ran = false;
    const unnamed = buildDag((tm) => {
      tm.addNode(() => (ran = true));
      tm.with({ name: 'remote', queue: 'q' }).addNode(() => 0);
    });
    const error = await unnamed.invoke(undefined, { executor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DagError);
    expect((error as DagError).code).toBe('UNNAMED_FLOW');
    expect((error as DagError).message).toContain('remote');
    expect(ran).toBe(false);
    expect(runs).toEqual([]);
  });

  it('rejects with what startRun throws, before any node or hook runs', async () => {
    let hooks = 0;
    const refusing: DagExecutor = {
      startRun() {
        throw new DagError('UNSERIALIZABLE_VALUE', 'params.db cannot cross');
      },
    };
    const error = await build()
      .invoke(1, { executor: refusing, observer: { onRunStart: () => void hooks++ } })
      .catch((e: unknown) => e);
    expect((error as DagError).code).toBe('UNSERIALIZABLE_VALUE');
    expect(hooks).toBe(0);
  });

  it('validates the executor, the queue option and the name', async () => {
    await expect(build().invoke(1, { executor: {} as never })).rejects.toThrow(
      'Expected `executor` to be a DagExecutor (an object with startRun()), got',
    );
    expect(() => buildDag((tm) => void tm.with({ queue: '' }).addNode(() => 0))).toThrow(
      'expected `queue` to be a non-empty string',
    );
    expect(() => buildDag(() => undefined, { name: 3 as never })).toThrow(TypeError);
    expect(graphOf(build()).owner).toBe('report');
    expect(graphOf(build()).toMermaid()).toContain('queue render');
  });
});

describe('executor seam, scheduling', () => {
  it('dispatches remote nodes in the scheduler order: priority first under a concurrency limit', async () => {
    const { executor, calls } = fakeExecutor(() => 0, 2);
    const dag = buildDag(
      (tm) => {
        tm.with({ name: 'low', queue: 'q' }).addNode(() => 0);
        tm.with({ name: 'mid', queue: 'q', priority: 1 }).addNode(() => 0);
        tm.with({ name: 'high', queue: 'q', priority: 5 }).addNode(() => 0);
      },
      { name: 'prioritised' },
    );
    await dag.invoke(undefined, { executor, concurrency: 1 });
    expect(calls.map((c) => c.node)).toEqual(['high', 'mid', 'low']);
  });
});

describe('executor seam, the edges of a run', () => {
  it('fails a local producer whose value the executor refuses to carry to a worker, telling it which values cross', async () => {
    const told: [string, boolean][] = [];
    const { executor, calls } = fakeExecutor(() => 'remote');
    const refusing: DagExecutor = {
      startRun(run) {
        const session = executor.startRun(run) as ExecutorRun;
        return {
          ...session,
          fulfilled(node, value, crosses) {
            told.push([node, crosses]);
            if (crosses && typeof value === 'function')
              throw new DagError('UNSERIALIZABLE_VALUE', `${node} cannot cross`);
          },
        };
      },
    };
    let attempts = 0;
    const dag = buildDag(
      (tm) => {
        const prod = tm.with({ name: 'prod', retry: 1 }).addNode(() => (attempts++, () => 1));
        tm.with({ name: 'cons', queue: 'q', retry: 3 }).addNode((f: unknown) => f, prod);
        tm.with({ name: 'plain' }).addNode(() => 2);
      },
      { name: 'refused' },
    );
    const result = await dag.invoke(undefined, { executor: refusing, failFast: false });
    expect(result.status('prod')).toBe('rejected');
    expect(result.status('cons')).toBe('skipped');
    expect(result.errors[0]!.error).toMatchObject({ code: 'UNSERIALIZABLE_VALUE' });
    expect(attempts).toBe(2);
    expect(calls).toEqual([]);
    expect(told).toEqual([
      ['prod', true],
      ['plain', false],
      ['prod', true],
    ]);
  });

  it('ends the whole run when the executor calls stop, in settle mode too, retrying nothing', async () => {
    let stop!: (error: Error) => void;
    let retried = 0;
    const stopping: DagExecutor = {
      startRun(run) {
        stop = run.stop;
        return {
          runNode: (call) =>
            new Promise((_, reject) => call.signal.addEventListener('abort', () => reject(call.signal.reason))),
        };
      },
    };
    const dag = buildDag(
      (tm) => {
        tm.with({ name: 'remote', queue: 'q', retry: 3 }).addNode(() => 0);
        tm.with({ name: 'local' }).addNode(() => sleep(200));
      },
      { name: 'stopped' },
    );
    const running = dag.invoke(undefined, {
      executor: stopping,
      failFast: false,
      observer: { onNodeRetry: () => void retried++ },
    });
    await sleep(5);
    const closed = new DagError('EXECUTOR_CLOSED', 'closed');
    stop(closed);
    await expect(running).rejects.toBe(closed);
    expect(retried).toBe(0);
    // A JavaScript executor that stops with something that is not an Error still gets a DagError.
    const again = dag.invoke(undefined, { executor: stopping });
    stop('gone' as never);
    await expect(again).rejects.toMatchObject({ code: 'EXECUTOR_STOPPED', message: expect.stringContaining('"gone"') });
  });

  it('rejects at once when the signal aborts while the executor opens the run, and ends the run it opens later', async () => {
    let open!: (run: ExecutorRun) => void;
    let ended = 0;
    let ran = 0;
    const slow: DagExecutor = { startRun: () => new Promise<ExecutorRun>((resolve) => (open = resolve)) };
    const controller = new AbortController();
    const running = build().invoke(1, {
      executor: slow,
      signal: controller.signal,
      observer: { onRunStart: () => void ran++, onNodeStart: () => void ran++ },
    });
    await sleep(5);
    controller.abort(new Error('gone'));
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DagAbortedError);
    const ends: unknown[] = [];
    open({ runNode: async () => void ran++, end: (why) => void (ended++, ends.push(why)) });
    await sleep(5);
    expect(ended).toBe(1);
    expect(ran).toBe(0);
    // Told how the run ended: not as a run that resolved (a durable executor would store that).
    expect(ends[0]).toBeInstanceOf(DagAbortedError);
  });
});

describe('a resumed run, for nodes that run where invoke runs', () => {
  /** An executor that says earlier invocations started `made` attempts of `loc`, and records new ones. */
  function resumingExecutor(made: number) {
    const recorded: [string, number][] = [];
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: (call) => Promise.resolve(`remote ${call.node}`),
        attemptsMade: (name) => (name === 'loc' ? made : 0),
        attempted: (name, attempt) => void recorded.push([name, attempt]),
      }),
    };
    return { executor, recorded };
  }

  const flaky = (failUntil: number, seen: number[]) =>
    buildDag(
      (tm) => {
        const loc = tm.with({ retry: 2 }).addNode(function loc(_p: void, ctx: NodeContext) {
          seen.push(ctx.attempt);
          if (ctx.attempt < failUntil) throw new Error(`attempt ${ctx.attempt} failed`);
          return ctx.attempt;
        });
        tm.with({ queue: 'render' }).addNode(function render(n: number) {
          return n;
        }, loc);
      },
      { name: 'flaky' },
    );

  it('counts the attempts earlier invocations started: the one cut short runs again as the same attempt', async () => {
    const seen: number[] = [];
    const { executor, recorded } = resumingExecutor(2);
    const result = await flaky(3, seen).invoke(undefined, { executor, runId: 'resumed' });
    // Attempt 1 failed and attempt 2 was cut short before this invocation: attempt 2 runs again,
    // fails, and attempt 3, the last that `retry: 2` allows, fulfils.
    expect(seen).toEqual([2, 3]);
    expect(result.get('loc')).toBe(3);
    expect(result.trace.nodes.find((n) => n.name === 'loc')!.attempts).toBe(3);
    expect(recorded).toEqual([
      ['loc', 2],
      ['loc', 3],
    ]);
  });

  it('gives a node no more attempts than its policy allows, whatever earlier invocations made', async () => {
    const seen: number[] = [];
    const { executor } = resumingExecutor(3);
    const error = await flaky(99, seen)
      .invoke(undefined, { executor, runId: 'exhausted' })
      .catch((e: unknown) => e);
    expect(seen).toEqual([3]);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).node).toBe('loc');
  });

  it('starts a body only once the executor has recorded its attempt, when recording returns a promise', async () => {
    const events: string[] = [];
    let record!: () => void;
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: (call) => Promise.resolve(`remote ${call.node}`),
        attempted: (name, attempt) => {
          events.push(`recording ${name} ${attempt}`);
          return new Promise<void>((resolve) => (record = () => (events.push('recorded'), resolve())));
        },
      }),
    };
    const seen: number[] = [];
    const running = flaky(1, seen).invoke(undefined, { executor, runId: 'recorded first' });
    await sleep(20);
    expect(events).toEqual(['recording loc 1']);
    expect(seen).toEqual([]);
    record();
    const result = await running;
    expect(events).toEqual(['recording loc 1', 'recorded']);
    expect(seen).toEqual([1]);
    expect(result.get('render')).toBe('remote render');
  });

  it('records the next attempt when a retry is scheduled with a delay, so a process killed meanwhile does not run the failed one again', async () => {
    const recorded: [string, number][] = [];
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: (call) => Promise.resolve(`remote ${call.node}`),
        attempted: (name, attempt) => void recorded.push([name, attempt]),
      }),
    };
    const seen: number[] = [];
    const flow = buildDag(
      (tm) => {
        const loc = tm.with({ retry: { retries: 1, delay: 150 } }).addNode(function loc(_p: void, ctx: NodeContext) {
          seen.push(ctx.attempt);
          if (ctx.attempt < 2) throw new Error('first attempt fails');
          return ctx.attempt;
        });
        tm.with({ queue: 'render' }).addNode(function render(n: number) {
          return n;
        }, loc);
      },
      { name: 'delayed' },
    );
    const running = flow.invoke(undefined, { executor, runId: 'delayed retry' });
    await sleep(50);
    // Within the delay: attempt 1 failed, attempt 2 is recorded already, and has not started.
    expect(seen).toEqual([1]);
    expect(recorded).toEqual([
      ['loc', 1],
      ['loc', 2],
    ]);
    expect((await running).get('loc')).toBe(2);
  });

  it('records the next attempt of a node on a worker too when its retry waits out a delay', async () => {
    const recorded: [string, number][] = [];
    let calls = 0;
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: () => (++calls === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve('ok')),
        attempted: (name, attempt) => void recorded.push([name, attempt]),
      }),
    };
    const flow = buildDag(
      (tm) => {
        tm.with({ name: 'far', queue: 'render', retry: { retries: 1, delay: 150 } }).addNode(() => 'never here');
      },
      { name: 'delayedRemote' },
    );
    const running = flow.invoke(undefined, { executor, runId: 'delayed remote retry' });
    await sleep(50);
    expect(calls).toBe(1);
    expect(recorded).toEqual([['far', 2]]);
    expect((await running).get('far')).toBe('ok');
  });

  it('starts from attempt 1 in a run that has none recorded', async () => {
    const seen: number[] = [];
    const { executor, recorded } = resumingExecutor(0);
    await flaky(2, seen).invoke(undefined, { executor, runId: 'fresh' });
    expect(seen).toEqual([1, 2]);
    expect(recorded).toEqual([
      ['loc', 1],
      ['loc', 2],
    ]);
  });
});

describe('stored failures and how a run ended', () => {
  /** A chain a -> b (on a queue) -> c, a and d (no dependencies) local; bodies log their calls. */
  const chain = (log: string[]) =>
    buildDag(
      (tm) => {
        const a = tm.with({ retry: 2 }).addNode(function a() {
          log.push('a');
          return 1;
        });
        const b = tm.with({ queue: 'q' }).addNode(function b(n: number) {
          log.push('b');
          return n + 1;
        }, a);
        tm.addNode(function c(n: number) {
          log.push('c');
          return n + 1;
        }, b);
        tm.addNode(function d() {
          log.push('d');
          return 'd';
        });
      },
      { name: 'chain' },
    );

  /** An executor with stored outcomes, that records what the run tells it. */
  function storingExecutor(stored: Record<string, { value: unknown } | { failed: true; error: unknown }>) {
    const failed: [string, unknown][] = [];
    const ends: (Error | undefined)[] = [];
    const calls: string[] = [];
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: (call) => {
          calls.push(call.node);
          return Promise.resolve((call.args[0] as number) + 1);
        },
        stored: (name) => stored[name],
        failed: (name, error) => void failed.push([name, error]),
        end: (error) => void ends.push(error),
      }),
    };
    return { executor, failed, ends, calls };
  }

  it('fails a node with a stored failure again, with no retry and without running it; its dependents are skipped', async () => {
    const log: string[] = [];
    const declined = new Error('card declined');
    const { executor, failed, ends, calls } = storingExecutor({ a: { failed: true, error: declined } });
    const result = await chain(log).invoke(undefined, { executor, failFast: false });
    expect(log).toEqual(['d']);
    expect(calls).toEqual([]);
    expect([result.status('a'), result.status('b'), result.status('c'), result.status('d')]).toEqual([
      'rejected',
      'skipped',
      'skipped',
      'fulfilled',
    ]);
    expect(result.errors).toEqual([{ node: 'a', error: declined }]);
    // Already stored: not told again. The run resolved: `end` has no error.
    expect(failed).toEqual([]);
    expect(ends).toEqual([undefined]);
  });

  it('ends a fail-fast run with a stored failure at once, as it had ended, running no node', async () => {
    const log: string[] = [];
    const lost = new Error('render lost');
    const { executor, ends, calls } = storingExecutor({ a: { value: 1 }, b: { failed: true, error: lost } });
    const error = (await chain(log)
      .invoke(undefined, { executor })
      .catch((e: unknown) => e)) as NodeFailedError;
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(error.node).toBe('b');
    expect(error.cause).toBe(lost);
    // `d` was ready, but the run had ended before: nothing runs. The stored value is in `partial`.
    expect(log).toEqual([]);
    expect(calls).toEqual([]);
    expect(error.partial.get('a')).toBe(1);
    expect(error.partial.status('d')).not.toBe('fulfilled');
    expect(ends).toEqual([error]);
  });

  it('tells the executor of each node that failed for good, once, wherever it ran, and not of retried attempts', async () => {
    const failed: [string, string][] = [];
    const ends: (Error | undefined)[] = [];
    let tries = 0;
    const graph = buildDag(
      (tm) => {
        tm.with({ retry: 1 }).addNode(function local() {
          tries++;
          throw new Error(`local ${tries}`);
        });
        tm.with({ queue: 'q' }).addNode(function remote() {
          return 1;
        });
      },
      { name: 'failing' },
    );
    const executor: DagExecutor = {
      startRun: () => ({
        runNode: () => Promise.reject(new Error('remote broke')),
        failed: (name, error) => void failed.push([name, (error as Error).message]),
        end: (error) => void ends.push(error),
      }),
    };
    await graph.invoke(undefined, { executor, failFast: false });
    expect(failed.sort()).toEqual([
      ['local', 'local 2'],
      ['remote', 'remote broke'],
    ]);
    expect(ends).toEqual([undefined]);
  });

  it('asks a durable executor to start every run of a named flow, also one with no node on a queue', async () => {
    const started: string[] = [];
    const stored: string[] = [];
    const durable: DagExecutor = {
      durable: true,
      startRun: (run) => {
        started.push(run.flow);
        expect(run.nodes.map((n) => [n.name, n.queue])).toEqual([['only', undefined]]);
        return {
          runNode: () => Promise.reject(new Error('no node is remote')),
          fulfilled: (name) => void stored.push(name),
        };
      },
    };
    const named = buildDag(
      (tm) =>
        void tm.addNode(function only() {
          return 1;
        }),
      { name: 'local-only' },
    );
    const unnamed = buildDag(
      (tm) =>
        void tm.addNode(function only() {
          return 1;
        }),
    );
    expect((await named.invoke(undefined, { executor: durable })).status('only')).toBe('fulfilled');
    expect(started).toEqual(['local-only']);
    expect(stored).toEqual(['only']);
    // Unnamed, it could not be found again: the executor is not asked.
    await unnamed.invoke(undefined, { executor: durable });
    expect(started).toEqual(['local-only']);
    // Not durable: only runs with queued nodes reach it.
    const plain: DagExecutor = { startRun: durable.startRun };
    await named.invoke(undefined, { executor: plain });
    expect(started).toEqual(['local-only']);
  });
});

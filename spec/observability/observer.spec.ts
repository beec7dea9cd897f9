import {
  buildDag,
  Dag,
  DagAbortedError,
  graphOf,
  immediate,
  node,
  NodeFailedError,
  NodeTimeoutError,
  type DagObserver,
  type ExecutionResult,
  type GraphView,
  type NodeContext,
} from 'async-dag';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as observerModule from '../../lib/run/observer';
import { deferred, flush, recordingObserver } from './recording-observer';

/**
 * What the nodes of the test graph do, handed in as params so that both front ends build the
 * same graph: `url` (immediate) -> `fetch` (retried once after 5 ms) -> `store`, and a root
 * `audit` that runs beside them until the test releases it.
 */
interface Script {
  fetch(url: string, attempt: number): Promise<string>;
  store(event: string): Promise<number>;
  audit(): Promise<string>;
}

interface FrontEnd {
  readonly name: string;
  readonly owner: string;
  invoke(
    script: Script,
    options: Parameters<ReturnType<typeof buildDag<Script>>['invoke']>[1],
  ): Promise<ExecutionResult>;
  graph(): GraphView;
}

const builderGraph = buildDag<Script>((tm) => {
  const url = tm.addImmediateNode('moon');
  const fetch = tm
    .with({ name: 'fetch', retry: { retries: 1, delay: 5 } })
    .addNode((u: string, script: Script, ctx: NodeContext) => script.fetch(u, ctx.attempt), url);
  tm.with({ name: 'store' }).addNode((e: string, script: Script) => script.store(e), fetch);
  tm.with({ name: 'audit' }).addNode((script: Script) => script.audit());
});

class EventFlow extends Dag<Script> {
  @immediate url() {
    return 'moon';
  }

  @node('url', { retry: { retries: 1, delay: 5 } })
  fetch(u: string, script: Script, ctx: NodeContext) {
    return script.fetch(u, ctx.attempt);
  }

  @node('fetch')
  store(e: string, script: Script) {
    return script.store(e);
  }

  @node()
  audit(script: Script) {
    return script.audit();
  }
}

const frontEnds: FrontEnd[] = [
  {
    name: 'the builder',
    owner: 'buildDag',
    invoke: (script, options) => builderGraph.invoke(script, options),
    graph: () => graphOf(builderGraph),
  },
  {
    name: 'a Dag class',
    owner: 'EventFlow',
    invoke: (script, options) =>
      new EventFlow().invoke(script, options) as Promise<unknown> as Promise<ExecutionResult>,
    graph: () => graphOf(EventFlow),
  },
];

/** Names used in the event lines: the class names its immediate `url`, the builder `immediate_0`. */
const url = (frontEnd: FrontEnd) => (frontEnd.owner === 'buildDag' ? 'immediate_0' : 'url');

const succeed: Script = {
  fetch: async (u) => `event:${u}`,
  store: async (e) => e.length,
  audit: async () => 'audited',
};

describe.each(frontEnds)('DagObserver, through $name', (frontEnd) => {
  it('sees the run start with its graph, each node start and end in order, and the run end', async () => {
    const observer = recordingObserver();
    const result = await frontEnd.invoke(succeed, { observer });
    expect(result.get('store')).toBe('event:moon'.length);
    const lines = observer.lines();
    expect(lines[0]).toBe(`run start ${frontEnd.owner}`);
    expect(lines.at(-1)).toBe('run end fulfilled');
    expect([...lines].sort()).toEqual(
      [
        `run start ${frontEnd.owner}`,
        `start ${url(frontEnd)}#1`,
        `end ${url(frontEnd)} fulfilled x1`,
        'start fetch#1',
        'end fetch fulfilled x1',
        'start store#1',
        'end store fulfilled x1',
        'start audit#1',
        'end audit fulfilled x1',
        'run end fulfilled',
      ].sort(),
    );
    // Immediates end before any node starts; a node starts right after its last dependency ends.
    const at = (line: string) => lines.indexOf(line);
    expect(at(`end ${url(frontEnd)} fulfilled x1`)).toBeLessThan(at('start fetch#1'));
    expect(at('start fetch#1')).toBeLessThan(at('start audit#1'));
    expect(at('start audit#1')).toBeLessThan(at('end fetch fulfilled x1'));
    expect(at('start store#1')).toBe(at('end fetch fulfilled x1') + 1);
    const start = observer.events[0]!;
    expect(start.hook === 'onRunStart' && start.graph).toBe(frontEnd.graph());
    for (const event of observer.events) {
      if (event.hook === 'onNodeEnd' || event.hook === 'onRunEnd') expect(event.hasError).toBe(false);
    }
  });

  it('reports each failed attempt that will be retried, with its error and delay, before the next attempt starts', async () => {
    const observer = recordingObserver();
    const flaky = new Error('503');
    const result = await frontEnd.invoke(
      {
        ...succeed,
        fetch: async (u, attempt) => {
          if (attempt === 1) throw flaky;
          return `event:${u}`;
        },
      },
      { observer },
    );
    expect(result.status('fetch')).toBe('fulfilled');
    const lines = observer.lines().filter((line) => line.includes('fetch'));
    expect(lines).toEqual(['start fetch#1', 'retry fetch#1 +5ms', 'start fetch#2', 'end fetch fulfilled x2']);
    const retry = observer.events.find((e) => e.hook === 'onNodeRetry');
    expect(retry).toMatchObject({ name: 'fetch', attempt: 1, delay: 5 });
    expect(retry!.hook === 'onNodeRetry' && retry!.error).toBe(flaky);
  });

  it('fail fast: ends the failed node as rejected with its error, the nodes in flight as skipped, then the run as rejected', async () => {
    const observer = recordingObserver();
    const audit = deferred<string>();
    const boom = new Error('boom');
    const error: unknown = await frontEnd
      .invoke({ ...succeed, fetch: async () => Promise.reject(boom), audit: () => audit.promise }, { observer })
      .catch((e: unknown) => e);
    audit.resolve('late');
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(observer.lines()).toEqual([
      `run start ${frontEnd.owner}`,
      `start ${url(frontEnd)}#1`,
      `end ${url(frontEnd)} fulfilled x1`,
      'start fetch#1',
      'start audit#1',
      'retry fetch#1 +5ms',
      'start fetch#2',
      'end fetch rejected x2',
      'end audit skipped x1',
      'run end rejected',
    ]);
    const fetchEnd = observer.events.find((e) => e.hook === 'onNodeEnd' && e.name === 'fetch');
    expect(fetchEnd!.hook === 'onNodeEnd' && fetchEnd!.error).toBe(boom);
    const auditEnd = observer.events.find((e) => e.hook === 'onNodeEnd' && e.name === 'audit');
    expect(auditEnd!.hook === 'onNodeEnd' && auditEnd!.hasError).toBe(false);
    const runEnd = observer.events.at(-1)!;
    expect(runEnd.hook === 'onRunEnd' && runEnd.error).toBe(error);
    await flush();
    expect(observer.events).toHaveLength(10);
  });

  it('settle mode: never reports the dependents of a failure, which never start, and ends the run as fulfilled', async () => {
    const observer = recordingObserver();
    const result = await frontEnd.invoke(
      { ...succeed, fetch: async () => Promise.reject(new Error('down')) },
      { observer, failFast: false },
    );
    expect(result.status('store')).toBe('skipped');
    expect(observer.lines().filter((line) => line.includes('store'))).toEqual([]);
    expect(observer.lines()).toContain('end fetch rejected x2');
    expect(observer.lines()).toContain('end audit fulfilled x1');
    expect(observer.lines().at(-1)).toBe('run end fulfilled');
  });

  it('cancellation: ends the nodes in flight as skipped and the run as rejected with the DagAbortedError', async () => {
    const observer = recordingObserver();
    const controller = new AbortController();
    const fetch = deferred<string>();
    const running = frontEnd.invoke(
      { ...succeed, fetch: () => fetch.promise, audit: () => new Promise<string>(() => {}) },
      { observer, signal: controller.signal },
    );
    controller.abort(new Error('user left'));
    const error: unknown = await running.catch((e: unknown) => e);
    fetch.resolve('too late');
    await flush();
    expect(error).toBeInstanceOf(DagAbortedError);
    expect(observer.lines().slice(-3)).toEqual(['end fetch skipped x1', 'end audit skipped x1', 'run end rejected']);
    const runEnd = observer.events.at(-1)!;
    expect(runEnd.hook === 'onRunEnd' && runEnd.error).toBe(error);
  });

  it("gives durations that match the trace: each node's from its first start to its end, the run's from start to end", async () => {
    const observer = recordingObserver();
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const result = await frontEnd.invoke(
      {
        fetch: async (u) => {
          await sleep(15);
          return u;
        },
        store: async () => {
          await sleep(10);
          return 1;
        },
        audit: async () => 'ok',
      },
      { observer },
    );
    for (const entry of result.trace.nodes) {
      const end = observer.events.find((e) => e.hook === 'onNodeEnd' && e.name === entry.name);
      expect(end!.hook === 'onNodeEnd' && end!.duration).toBeCloseTo(entry.duration!, 6);
    }
    const fetchEnd = observer.events.find((e) => e.hook === 'onNodeEnd' && e.name === 'fetch');
    expect(fetchEnd!.hook === 'onNodeEnd' && fetchEnd!.duration).toBeGreaterThanOrEqual(10);
    const runEnd = observer.events.at(-1)!;
    expect(runEnd.hook === 'onRunEnd' && runEnd.duration).toBeCloseTo(result.trace.duration, 6);
  });
});

describe('DagObserver', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  const chain = () =>
    buildDag<number>((tm) => {
      const a = tm.addNode(async function a(n: number) {
        return n + 1;
      });
      tm.addNode(async function b(x: number) {
        return x * 10;
      }, a);
    });

  it('calls hooks at the moment they describe: the roots start inside invoke(), synchronously', () => {
    const observer = recordingObserver();
    const running = chain().invoke(1, { observer });
    expect(observer.lines()).toEqual(['run start buildDag', 'start a#1']);
    return running;
  });

  it('calls hooks as methods of the observer, so a class can keep state in `this`', async () => {
    class Counter implements DagObserver {
      starts = 0;
      ends: string[] = [];
      onNodeStart() {
        this.starts++;
      }
      onNodeEnd({ name, status }: { name: string; status: string }) {
        this.ends.push(`${name}:${status}`);
      }
    }
    const counter = new Counter();
    await chain().invoke(1, { observer: counter });
    expect(counter.starts).toBe(2);
    expect(counter.ends).toEqual(['a:fulfilled', 'b:fulfilled']);
  });

  it('reports a timeout as the error of the retried attempt', async () => {
    const observer = recordingObserver();
    const dag = buildDag((tm) => {
      tm.with({ name: 'slow', timeout: 10, retry: 1 }).addNode(async (_p: void, ctx: NodeContext) => {
        if (ctx.attempt === 1) await new Promise((resolve) => setTimeout(resolve, 200));
        return 'ok';
      });
    });
    await dag.invoke(undefined, { observer });
    const retry = observer.events.find((e) => e.hook === 'onNodeRetry');
    expect(retry!.hook === 'onNodeRetry' && retry!.error).toBeInstanceOf(NodeTimeoutError);
    expect(observer.lines()).toEqual([
      'run start buildDag',
      'start slow#1',
      'retry slow#1 +0ms',
      'start slow#2',
      'end slow fulfilled x2',
      'run end fulfilled',
    ]);
  });

  it('hears nothing from a run that never starts: an aborted signal or a bad option', async () => {
    const observer = recordingObserver();
    await expect(chain().invoke(1, { observer, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DagAbortedError);
    await expect(chain().invoke(1, { observer, concurrency: 0 })).rejects.toBeInstanceOf(TypeError);
    expect(observer.events).toEqual([]);
  });

  it('keeps concurrent runs apart when each has its own observer', async () => {
    const dag = chain();
    const first = recordingObserver();
    const second = recordingObserver();
    const results = await Promise.all([dag.invoke(1, { observer: first }), dag.invoke(2, { observer: second })]);
    expect(results.map((r) => r.get('b'))).toEqual([20, 30]);
    expect(first.lines()).toEqual(second.lines());
    expect(first.lines()).toHaveLength(6);
  });

  it('never waits for an async hook', async () => {
    const never = new Promise<void>(() => {});
    const result = await chain().invoke(1, {
      observer: { onRunStart: () => never, onNodeStart: () => never, onNodeEnd: () => never },
    });
    expect(result.get('b')).toBe(20);
  });

  it('accepts an observer with no hooks, or only some', async () => {
    await expect(chain().invoke(1, { observer: {} })).resolves.toBeDefined();
    const ends: string[] = [];
    await chain().invoke(1, { observer: { onRunEnd: ({ status }) => void ends.push(status) } });
    expect(ends).toEqual(['fulfilled']);
  });

  it('rejects an observer that is not an object with a TypeError', async () => {
    await expect(chain().invoke(1, { observer: 'log' as unknown as DagObserver })).rejects.toThrow(
      /Expected `observer` to be an object of hooks, got `"log"` \(string\)/,
    );
  });

  it('costs nothing without an observer: no hook is ever looked up', async () => {
    const notify = jest.spyOn(observerModule, 'notify');
    try {
      const result = await chain().invoke(1);
      expect(result.get('b')).toBe(20);
      expect(notify).not.toHaveBeenCalled();
      await chain().invoke(1, { observer: {} });
      expect(notify).toHaveBeenCalled();
    } finally {
      notify.mockRestore();
    }
  });

  describe('a hook that fails', () => {
    const everyHookThrows = (error: unknown): DagObserver => ({
      onRunStart: () => {
        throw error;
      },
      onNodeStart: () => {
        throw error;
      },
      onNodeRetry: () => {
        throw error;
      },
      onNodeEnd: () => {
        throw error;
      },
      onRunEnd: () => {
        throw error;
      },
    });

    it('never changes the run: same values, same statuses, same trace shape', async () => {
      const dag = chain();
      const quiet = await dag.invoke(1);
      const noisy = await dag.invoke(1, { observer: everyHookThrows(new Error('observer bug')) });
      expect(noisy.get('b')).toBe(quiet.get('b'));
      expect(noisy.trace.nodes.map((n) => [n.name, n.status, n.attempts])).toEqual(
        quiet.trace.nodes.map((n) => [n.name, n.status, n.attempts]),
      );
    });

    it('never turns a failed run into another failure', async () => {
      const boom = new Error('node failed');
      const dag = buildDag((tm) => {
        tm.addNode(async function bad() {
          throw boom;
        });
      });
      const error: unknown = await dag
        .invoke(undefined, { observer: everyHookThrows('not even an Error') })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NodeFailedError);
      expect((error as NodeFailedError).cause).toBe(boom);
    });

    it('never stops a retry, nor a settle-mode run', async () => {
      let calls = 0;
      const dag = buildDag((tm) => {
        const flaky = tm.with({ name: 'flaky', retry: 1 }).addNode(async () => {
          if (++calls === 1) throw new Error('once');
          return 1;
        });
        tm.with({ name: 'bad' }).addNode(async (): Promise<number> => Promise.reject(new Error('no')));
        tm.with({ name: 'after' }).addNode((x: number) => x + 1, flaky);
      });
      const result = await dag.invoke(undefined, { failFast: false, observer: everyHookThrows(new Error('x')) });
      expect(result.get('after')).toBe(2);
      expect(result.errors.map((e) => e.node)).toEqual(['bad']);
    });

    it('is reported once per observer, as a process warning of type DagObserverWarning that names the hook', async () => {
      const observer = everyHookThrows(new Error('observer bug'));
      await chain().invoke(1, { observer });
      await chain().invoke(1, { observer });
      expect(warn).toHaveBeenCalledTimes(1);
      const [message, options] = warn.mock.calls[0]!;
      expect(message).toMatch(
        /^A DagObserver's onRunStart hook failed; the run went on unchanged\. Error: observer bug/,
      );
      expect(options).toEqual({ type: 'DagObserverWarning', code: 'ASYNC_DAG_OBSERVER_ERROR' });

      await chain().invoke(1, { observer: everyHookThrows(new Error('another observer')) });
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[1]![0])).toContain('another observer');
    });

    it('is reported when it returns a promise that rejects, and that rejection is never unhandled', async () => {
      const observer: DagObserver = { onNodeEnd: async ({ name }) => Promise.reject(new Error(`cannot log ${name}`)) };
      const result = await chain().invoke(1, { observer });
      await flush();
      expect(result.get('b')).toBe(20);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(
        /onNodeEnd hook failed; the run went on unchanged\. Error: cannot log a/,
      );
    });

    it('is contained even when reading the hook throws (a getter, a Proxy)', async () => {
      const observer = new Proxy({} as DagObserver, {
        get: () => {
          throw new Error('no hooks here');
        },
      });
      const result = await chain().invoke(1, { observer });
      expect(result.get('b')).toBe(20);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/onRunStart hook failed.*no hooks here/s);
    });

    it('reports a thrown value that is not an Error as text', async () => {
      await chain().invoke(1, { observer: { onRunEnd: () => Promise.reject('plain string') } });
      await flush();
      expect(String(warn.mock.calls[0]![0])).toBe(
        "A DagObserver's onRunEnd hook failed; the run went on unchanged. plain string",
      );
    });
  });
});

describe('the DagObserverWarning channel', () => {
  // Jest gives each test file its own `process` object, whose listeners never hear warnings
  // emitted on the real one; so this runs in a Node process of its own, as a user's app would.
  it('reaches process.on("warning") listeners, once per observer', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, 'fixtures/warning-channel.ts')], {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const seen = JSON.parse(run.stdout) as { name: string; code: string; message: string }[];
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: 'DagObserverWarning', code: 'ASYNC_DAG_OBSERVER_ERROR' });
    expect(seen[0]!.message).toMatch(
      /^A DagObserver's onNodeStart hook failed; the run went on unchanged\. Error: broken logger/,
    );
  });
});

// Issue 14: no value a user's code produces can hang a run, escape it as an unhandled error, or
// outlive it. One test per class of defect; spec/reliability/hostile-fuzz.spec.ts generates the
// values at random and puts them in every entry point.
import {
  buildDag,
  Dag,
  DagAbortedError,
  immediate,
  node,
  NodeFailedError,
  type DagObserver,
  type NodeContext,
} from 'async-dag';
import { describe as describeValue, shown } from '../../lib/errors';
import { renderTimeline } from '../../lib/pictures';
import { TimerTracker } from '../helpers/timer-tracker';
import { inFreshProcess, rejectionOf, sleep } from './guards';

jest.setTimeout(30_000);

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwingGetters = (): object =>
  Object.defineProperties(
    {},
    {
      message: {
        get() {
          throw new Error('message getter');
        },
      },
      stack: {
        get() {
          throw new Error('stack getter');
        },
      },
      [Symbol.toStringTag]: {
        get() {
          throw new Error('tag getter');
        },
      },
      toString: {
        value() {
          throw new Error('toString');
        },
      },
    },
  );

const hostile: ReadonlyArray<readonly [string, () => unknown]> = [
  ['throwing getters', throwingGetters],
  ['a revoked proxy', revokedProxy],
  ['a null-prototype object', () => Object.create(null) as object],
  ['a symbol', () => Symbol('s')],
  ['undefined', () => undefined],
  ['a toString that returns an object', () => ({ toString: () => ({}), valueOf: () => ({}) })],
  [
    'a function whose name getter throws',
    () =>
      Object.defineProperty(() => 0, 'name', {
        get() {
          throw new Error('name');
        },
      }),
  ],
];

describe('describing a hostile value', () => {
  it.each(hostile)('describe and shown never throw for %s', (_, make) => {
    const value = make();
    expect(typeof describeValue(value)).toBe('string');
    expect(typeof shown(value)).toBe('string');
  });
});

describe('a node that throws or rejects with a hostile value', () => {
  it.each(hostile)('fails the run with NodeFailedError whose cause is that very value: %s', async (_, make) => {
    for (const async of [false, true]) {
      const value = make();
      const dag = buildDag((tm) => {
        tm.with({ name: 'bad' }).addNode(
          async
            ? () => Promise.reject(value)
            : () => {
                throw value;
              },
        );
      });
      const error = await rejectionOf(dag.invoke());
      expect(error).toBeInstanceOf(NodeFailedError);
      expect((error as NodeFailedError).node).toBe('bad');
      expect(Object.is((error as NodeFailedError).cause, value)).toBe(true);
    }
  });

  it('fails a node that returns a revoked proxy (its `then` cannot be read), as awaiting it would', async () => {
    const dag = buildDag((tm) => {
      tm.with({ name: 'bad' }).addNode(() => revokedProxy());
    });
    const error = await rejectionOf(dag.invoke());
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).cause).toBeInstanceOf(TypeError);
  });
});

describe('signals', () => {
  it('rejects (never throws) with DagAbortedError for an already-aborted signal whose reason is hostile', async () => {
    for (const [, make] of hostile) {
      const controller = new AbortController();
      const reason = make();
      controller.abort(reason);
      let ran = false;
      const dag = buildDag((tm) => {
        tm.addNode(() => (ran = true));
      });
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = dag.invoke(undefined, { signal: controller.signal }))).not.toThrow();
      const error = await rejectionOf(pending!);
      expect(error).toBeInstanceOf(DagAbortedError);
      expect(Object.is((error as DagAbortedError).cause, controller.signal.reason)).toBe(true);
      if (reason !== undefined) expect(Object.is(controller.signal.reason, reason)).toBe(true);
      expect(ran).toBe(false);
    }
  });

  it('rejects a signal-like object without removeEventListener before any node starts', async () => {
    let ran = false;
    const dag = buildDag((tm) => {
      tm.addNode(() => (ran = true));
    });
    const signal = { aborted: false, reason: undefined, addEventListener: () => {} } as unknown as AbortSignal;
    const error = await rejectionOf(dag.invoke(undefined, { signal }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/has no `removeEventListener`/);
    expect(ran).toBe(false);
  });

  it('stops the run, with no uncaught exception, when a signal aborts with a hostile reason or has a throwing reason getter', async () => {
    const report = await inFreshProcess(`
      const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
      const seen = [];
      process.on('uncaughtException', (e) => { seen.push('uncaught ' + e.message); });
      const dag = lib.buildDag((tm) => { tm.addNode((_p, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', r))); });
      const controller = new AbortController();
      const run = dag.invoke(undefined, { signal: controller.signal });
      controller.abort(proxy);
      const error = await run.catch((e) => e);
      if (!(error instanceof lib.DagAbortedError) || error.cause !== proxy) throw new Error('expected DagAbortedError');
      const target = new EventTarget();
      const signalLike = { aborted: false, get reason() { throw new Error('reason getter'); },
        addEventListener: (t, l, o) => target.addEventListener(t, l, o), removeEventListener: (t, l) => target.removeEventListener(t, l) };
      const second = dag.invoke(undefined, { signal: signalLike });
      target.dispatchEvent(new Event('abort'));
      const other = await second.catch((e) => e);
      if (!(other instanceof lib.DagAbortedError)) throw new Error('expected DagAbortedError, got ' + other);
      if (seen.length > 0) throw new Error(seen.join(', '));
    `);
    expect(report.unhandled).toEqual([]);
  });

  it('gives no MaxListenersExceededWarning when many nodes pass ctx.signal to timers/promises', async () => {
    const report = await inFreshProcess(`
      const { setTimeout: wait } = require('node:timers/promises');
      const dag = lib.buildDag((tm) => { for (let i = 0; i < 20; i++) tm.addNode((_p, ctx) => wait(5, i, { signal: ctx.signal })); });
      await dag.invoke();
      const controller = new AbortController();
      await dag.invoke(undefined, { signal: controller.signal });
    `);
    expect(report.warnings).toEqual([]);
    expect(report.unhandled).toEqual([]);
  });
});

describe('the listener limit of ctx.signal', () => {
  function signalsSeen(build: typeof buildDag): Promise<AbortSignal[]> {
    const seen: AbortSignal[] = [];
    const dag = build((tm) => {
      for (let i = 0; i < 3; i++) tm.addNode((_p: unknown, ctx: NodeContext) => void seen.push(ctx.signal));
    });
    return dag.invoke().then(() => seen);
  }

  it('shares one run signal where Node can lift its listener limit', async () => {
    const [a, b, c] = await signalsSeen(buildDag);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('gives each attempt its own signal on a Node without process.getBuiltinModule', async () => {
    const original = process.getBuiltinModule;
    let isolated: typeof buildDag | undefined;
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    try {
      jest.isolateModules(() => {
        isolated = (require('async-dag') as { buildDag: typeof buildDag }).buildDag;
      });
      const [a, b, c] = await signalsSeen(isolated!);
      expect(new Set([a, b, c]).size).toBe(3);
    } finally {
      process.getBuiltinModule = original;
    }
  });
});

describe('observers', () => {
  it('leaves the run unchanged when a hook throws or rejects with a hostile value, with no unhandled rejection', async () => {
    const report = await inFreshProcess(`
      const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
      const hooks = ['onRunStart', 'onNodeStart', 'onNodeEnd', 'onRunEnd'];
      for (const mode of ['throw', 'reject']) {
        const observer = {};
        for (const hook of hooks) observer[hook] = () => { if (mode === 'throw') throw proxy; return Promise.reject(proxy); };
        const dag = lib.buildDag((tm) => { const a = tm.addNode(async () => 1); tm.with({ name: 'b' }).addNode((a) => a + 1, a); });
        const result = await dag.invoke(undefined, { observer });
        if (result.get('b') !== 2) throw new Error('the run changed');
      }
    `);
    expect(report.unhandled).toEqual([]);
    expect(report.warnings.filter((w) => !w.startsWith('DagObserverWarning'))).toEqual([]);
  });
});

describe('stopping the run from inside a retry policy', () => {
  it.each(['when', 'delay'] as const)(
    'leaves no timer armed, ends each node once and nothing after onRunEnd when `%s` aborts',
    async (where) => {
      const timers = new TimerTracker();
      const restore = timers.install();
      try {
        const controller = new AbortController();
        const events: string[] = [];
        const observer: DagObserver = {
          onNodeEnd: ({ name, status }) => void events.push(`end:${name}:${status}`),
          onRunEnd: ({ status }) => void events.push(`runEnd:${status}`),
        };
        const abort = () => controller.abort(new Error('stop'));
        const dag = buildDag((tm) => {
          tm.with({
            name: 'flaky',
            retry: {
              retries: 3,
              when: () => (where === 'when' ? (abort(), true) : true),
              delay: () => (where === 'delay' ? (abort(), 10_000) : 10_000),
            },
          }).addNode(() => Promise.reject(new Error('fail')));
        });
        const before = timers.pending;
        const error = await rejectionOf(dag.invoke(undefined, { signal: controller.signal, observer }));
        expect(error).toBeInstanceOf(DagAbortedError);
        expect(timers.pending).toBe(before);
        await sleep(5);
        expect(events).toEqual(['end:flaky:skipped', 'runEnd:rejected']);
      } finally {
        restore();
      }
    },
  );

  it('never changes a stopped run: a node whose `when` aborts the run and refuses the retry ends once, cut short', async () => {
    for (const failFast of [true, false]) {
      const controller = new AbortController();
      const events: string[] = [];
      const observer: DagObserver = {
        onNodeRetry: ({ name }) => void events.push(`retry:${name}`),
        onNodeEnd: ({ name, status }) => void events.push(`end:${name}:${status}`),
        onRunEnd: ({ status }) => void events.push(`runEnd:${status}`),
      };
      const dag = buildDag((tm) => {
        tm.with({
          name: 'flaky',
          retry: { retries: 1, when: () => (controller.abort('stop'), false) },
        }).addNode(() => Promise.reject(new Error('fail')));
      });
      const error = await rejectionOf(dag.invoke(undefined, { signal: controller.signal, failFast, observer }));
      expect(error).toBeInstanceOf(DagAbortedError);
      await sleep(5);
      expect(events).toEqual(['end:flaky:skipped', 'runEnd:rejected']);
    }
  });
});

describe('concurrency with timeouts', () => {
  it('never runs more than `concurrency` bodies: a timed-out body that ignores its signal keeps its slot until it settles', async () => {
    let running = 0;
    let most = 0;
    const body = async (_p: unknown, _ctx: NodeContext) => {
      running++;
      most = Math.max(most, running);
      await sleep(30); // ignores its signal
      running--;
      return 1;
    };
    const dag = buildDag((tm) => {
      tm.with({ name: 'slow', timeout: 5, retry: 1 }).addNode(body);
      tm.with({ name: 'other' }).addNode(body);
    });
    const result = await dag.invoke(undefined, { concurrency: 1, failFast: false });
    expect(most).toBe(1);
    expect(result.status('slow')).toBe('rejected');
    expect(result.status('other')).toBe('fulfilled');
  });
});

describe('class DSL', () => {
  it('runs the nodes of a class whose static field made an instance before its decorators ran', async () => {
    class Flow extends Dag {
      static shared = new Flow();
      @immediate base() {
        return 2;
      }
      @node('base') double(n: number) {
        return n * 2;
      }
    }
    class Sub extends Flow {
      static early = new Sub();
      override double(n: number) {
        return n * 3;
      }
    }
    expect((await Flow.shared.invoke()).get('double')).toBe(4);
    expect((await new Flow().invoke()).get('double')).toBe(4);
    expect((await Sub.early.invoke()).get('double')).toBe(6);
  });

  it('rejects Dag.prototype.invoke.call(undefined) with the descriptive TypeError, never a synchronous throw', async () => {
    const invoke = Dag.prototype.invoke as (this: unknown) => Promise<unknown>;
    for (const self of [undefined, null, 1, 'x', {}]) {
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = invoke.call(self))).not.toThrow();
      const error = await rejectionOf(pending!);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^Expected `this` to be an instance of a Dag subclass, got /);
    }
  });
});

describe('terminal timeline', () => {
  it('keeps every row within `width` when names hold emoji and CJK characters', () => {
    const names = [
      '数据库查询',
      '🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀',
      '❤️'.repeat(12),
      '👨‍👩‍👧 family',
      'ｆｕｌｌｗｉｄｔｈ',
      '⚡☕⛄ weather',
    ];
    const trace = {
      duration: 10,
      nodes: names.map((name, i) => ({
        name,
        kind: 'node' as const,
        status: 'fulfilled' as const,
        start: i,
        end: i + 3,
        duration: 3,
        attempts: 1,
      })),
    };
    for (const width of [30, 40, 80]) {
      for (const row of renderTimeline(trace, width).trimEnd().split('\n')) {
        expect(displayWidth(row)).toBeLessThanOrEqual(width);
      }
    }
  });
});

/** Display width as a terminal counts it (East Asian Wide/Fullwidth and emoji presentation are 2 columns). */
function displayWidth(text: string): number {
  let width = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (/\p{Mark}|\u200d|\p{Default_Ignorable_Code_Point}/u.test(c)) continue;
    const wide =
      /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        c,
      );
    const emojiByVariation = chars[i + 1] === '\ufe0f' && /\p{Emoji}/u.test(c);
    width += wide || emojiByVariation ? 2 : 1;
  }
  return width;
}

// The core of spec/reliability/hostile-fuzz.spec.ts, run in a process of its own (jest catches
// unhandled rejections itself and keeps the process alive): fast-check generates graphs whose
// user code produces hostile values everywhere a user value enters a run, and every case is
// checked against the invariants of issue 14. Prints one JSON line: the number of cases run,
// and the failures (empty when every invariant held). The process must then exit by itself: a
// timer of a run left armed would keep it alive, and the spec would time out.
//
// Usage: node --import tsx spec/reliability/hostile-fuzz-script.ts <cases> <seed>
import fc from 'fast-check';
import {
  buildDag,
  Dag,
  DagAbortedError,
  ExecutionResult,
  immediate,
  invokeDag,
  node,
  NodeFailedError,
  NodeTimeoutError,
  type DagObserver,
  type InvokeOptions,
  type NodeContext,
  type TaskNode,
} from '../../lib/index';
import { TimerTracker } from '../helpers/timer-tracker';

const cases = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? Date.now() % 100_000);
/** A run that has not settled after this long counts as hung (every body here ends within a few ms). */
const SETTLE_BOUND_MS = 2_000;

const escaped: string[] = [];
process.on('unhandledRejection', (reason) => escaped.push(`unhandledRejection: ${safeText(reason)}`));
process.on('uncaughtException', (error) => escaped.push(`uncaughtException: ${safeText(error)}`));
// Observer failures are reported as process warnings, which is their contract; nothing else may warn.
const warnings: string[] = [];
process.on('warning', (warning) => {
  if (warning.name !== 'DagObserverWarning') warnings.push(`${warning.name}: ${warning.message}`);
});

const timers = new TimerTracker();
timers.install();

/** `value instanceof Class`, false where that check throws (a Proxy's `getPrototypeOf` trap). */
function is(value: unknown, Class: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof Class;
  } catch {
    return false;
  }
}

function safeText(value: unknown): string {
  try {
    return is(value, Error) ? (value as Error).message : String(value);
  } catch {
    return '[unprintable]';
  }
}

// ---- Hostile values -------------------------------------------------------------------------

type Maker = (produced: Set<unknown>) => unknown;

/** Errors thrown by the getters and traps below: a node may fail with one (reading a value's `then`). */
const thrownByTraps = new WeakSet<object>();

const throwing = (what: string) => () => {
  const error = new Error(`${what} getter`);
  thrownByTraps.add(error);
  throw error;
};

const makers: Record<string, Maker> = {
  error: () => new Error('plain'),
  number: () => 42,
  string: () => 'text',
  undefined: () => undefined,
  symbol: () => Symbol('hostile'),
  nullPrototype: () => Object.create(null) as object,
  throwingGetters: () =>
    Object.defineProperties(
      {},
      {
        message: { get: throwing('message') },
        stack: { get: throwing('stack') },
        name: { get: throwing('name') },
        code: { get: throwing('code') },
        [Symbol.toStringTag]: { get: throwing('tag') },
        toString: { value: throwing('toString') },
      },
    ),
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  trappedProxy: () =>
    new Proxy(
      {},
      {
        get: throwing('trap'),
        getPrototypeOf: throwing('getPrototypeOf'),
        has: throwing('has'),
        ownKeys: throwing('ownKeys'),
        getOwnPropertyDescriptor: throwing('descriptor'),
      },
    ),
  functionWithThrowingName: () => Object.defineProperty(() => 0, 'name', { get: throwing('name') }),
  thenableResolvingTwice: () => ({
    then(resolve: (v: unknown) => void) {
      resolve(1);
      resolve(2);
    },
  }),
  thenableThrowingAfterResolving: () => ({
    then(resolve: (v: unknown) => void) {
      resolve(1);
      throw new Error('after resolving');
    },
  }),
  thenableRejectingHostile: (produced) => ({
    then(_: unknown, reject: (e: unknown) => void) {
      const value = makers.revokedProxy!(produced);
      produced.add(value);
      reject(value);
    },
  }),
  thenableWhoseThenThrows: () => ({
    then: throwing('then'),
  }),
};
const makerNames = Object.keys(makers);

function make(name: string, produced: Set<unknown>): unknown {
  const value = makers[name]!(produced);
  produced.add(value);
  return value;
}

// ---- Scenarios --------------------------------------------------------------------------------

type Body =
  | { kind: 'return'; value: string }
  | { kind: 'throw'; value: string }
  | { kind: 'reject'; value: string }
  | { kind: 'honourSignal' }
  | { kind: 'ignoreSignal'; turns: number }
  | { kind: 'abortRun'; value: string };

type When = 'true' | 'false' | 'hostileTruthy' | 'throw' | 'abort';
type Delay = 'zero' | 'one' | 'hostile' | 'throw' | 'abort';
type Hook = 'none' | 'throw' | 'reject' | 'hostileThenable' | 'abort';
type Signal = 'none' | 'fresh' | 'preAborted' | 'abortLater' | 'noRemove' | 'throwingReason' | 'notBoolean';

interface NodeSpec {
  deps: number[];
  body: Body;
  timeout: boolean;
  retry: { retries: number; when: When; delay: Delay } | undefined;
  plainDep: string | undefined;
}

interface Scenario {
  entry: 'builder' | 'class';
  nodes: NodeSpec[];
  hooks: Record<'onRunStart' | 'onNodeStart' | 'onNodeRetry' | 'onNodeEnd' | 'onRunEnd', Hook>;
  hookValue: string;
  signal: Signal;
  reason: string;
  abortAfterTurns: number;
  concurrency: number | undefined;
  failFast: boolean;
  throwingOptionGetter: string | undefined;
}

const value = fc.constantFrom(...makerNames);
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ kind: fc.constant('return' as const), value }),
  fc.record({ kind: fc.constant('throw' as const), value }),
  fc.record({ kind: fc.constant('reject' as const), value }),
  fc.record({ kind: fc.constant('honourSignal' as const) }),
  fc.record({ kind: fc.constant('ignoreSignal' as const), turns: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('abortRun' as const), value }),
);
const hookArb = fc.constantFrom<Hook>('none', 'none', 'throw', 'reject', 'hostileThenable', 'abort');

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 4 }).chain((size) =>
  fc.record({
    entry: fc.constantFrom('builder' as const, 'builder' as const, 'class' as const),
    nodes: fc.tuple(
      ...Array.from({ length: size }, (_, i) =>
        fc.record({
          deps: fc.subarray(Array.from({ length: i }, (_, d) => d)),
          body: bodyArb,
          timeout: fc.boolean(),
          retry: fc.option(
            fc.record({
              retries: fc.integer({ min: 1, max: 2 }),
              when: fc.constantFrom<When>('true', 'false', 'hostileTruthy', 'throw', 'abort'),
              delay: fc.constantFrom<Delay>('zero', 'one', 'hostile', 'throw', 'abort'),
            }),
            { nil: undefined },
          ),
          plainDep: fc.option(value, { nil: undefined }),
        }),
      ),
    ),
    hooks: fc.record({
      onRunStart: hookArb,
      onNodeStart: hookArb,
      onNodeRetry: hookArb,
      onNodeEnd: hookArb,
      onRunEnd: hookArb,
    }),
    hookValue: value,
    signal: fc.constantFrom<Signal>(
      'none',
      'fresh',
      'preAborted',
      'abortLater',
      'abortLater',
      'noRemove',
      'throwingReason',
      'notBoolean',
    ),
    reason: value,
    abortAfterTurns: fc.integer({ min: 0, max: 4 }),
    concurrency: fc.constantFrom(undefined, 1, 2),
    failFast: fc.boolean(),
    throwingOptionGetter: fc.option(value, { freq: 8, nil: undefined }),
  }),
);

// ---- One case ---------------------------------------------------------------------------------

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Signals of a kind the validation must refuse (`expectTypeError`) or must accept. */
function makeSignal(
  scenario: Scenario,
  controller: AbortController,
  produced: Set<unknown>,
): { signal: AbortSignal | undefined; refused: boolean } {
  const { signal } = controller;
  switch (scenario.signal) {
    case 'none':
      return { signal: undefined, refused: false };
    case 'fresh':
    case 'abortLater':
      return { signal, refused: false };
    case 'preAborted':
      controller.abort(make(scenario.reason, produced));
      return { signal, refused: false };
    case 'noRemove':
      return {
        signal: { aborted: false, reason: undefined, addEventListener: () => {} } as unknown as AbortSignal,
        refused: true,
      };
    case 'notBoolean':
      return {
        signal: {
          aborted: 'no',
          reason: undefined,
          addEventListener: () => {},
          removeEventListener: () => {},
        } as unknown as AbortSignal,
        refused: true,
      };
    case 'throwingReason':
      // Delegates to the real signal, except that reading its reason throws.
      return {
        signal: {
          get aborted() {
            return signal.aborted;
          },
          get reason(): unknown {
            throw make(scenario.reason, produced);
          },
          addEventListener: (type: string, listener: () => void, options?: { once?: boolean }) =>
            signal.addEventListener(type, listener, options),
          removeEventListener: (type: string, listener: () => void) => signal.removeEventListener(type, listener),
        } as unknown as AbortSignal,
        refused: false,
      };
  }
}

async function runCase(scenario: Scenario): Promise<string[]> {
  const problems: string[] = [];
  const produced = new Set<unknown>();
  const controller = new AbortController();
  const abortRun = (): void => controller.abort(make(scenario.reason, produced));
  /** Whether aborting `controller` stops this run. */
  const listening =
    scenario.signal === 'fresh' || scenario.signal === 'abortLater' || scenario.signal === 'throwingReason';
  const pendingBefore = timers.pending;

  const bodyOf =
    (spec: NodeSpec) =>
    (...args: unknown[]): unknown => {
      const ctx = args[args.length - 1] as NodeContext;
      const { body } = spec;
      switch (body.kind) {
        case 'return':
          return make(body.value, produced);
        case 'throw':
          throw make(body.value, produced);
        case 'reject':
          return turn().then(() => Promise.reject(make(body.value, produced)));
        case 'honourSignal':
          // Rejects when its signal aborts; without a timeout or an abort it would never end, so
          // after a while (longer than the 5 ms timeout) it resolves.
          return new Promise((resolve, reject) => {
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
            let chain = turn();
            for (let t = 0; t < 30; t++) chain = chain.then(turn);
            void chain.then(() => resolve('in time'));
          });
        case 'ignoreSignal': {
          let chain = turn();
          for (let t = 0; t < body.turns; t++) chain = chain.then(turn);
          return chain.then(() => 'late');
        }
        case 'abortRun':
          abortRun();
          throw make(body.value, produced);
      }
    };

  const optionsOf = (spec: NodeSpec) => {
    const options: { timeout?: number; retry?: unknown } = {};
    if (spec.timeout) options.timeout = 5;
    if (spec.retry !== undefined) {
      const { retries, when, delay } = spec.retry;
      options.retry = {
        retries,
        when: (): boolean => {
          if (when === 'throw') throw make(scenario.reason, produced);
          if (when === 'abort') abortRun();
          if (when === 'hostileTruthy') return make('trappedProxy', produced) as boolean;
          return when !== 'false';
        },
        delay: (): number => {
          if (delay === 'throw') throw make(scenario.reason, produced);
          if (delay === 'hostile') return make(scenario.reason, produced) as number;
          if (delay === 'abort') {
            abortRun();
            // When that abort stops the run: long enough that a timer left armed would keep the
            // process alive, and be seen. (Without a signal the run goes on and must wait it.)
            return listening ? 60_000 : 1;
          }
          return delay === 'one' ? 1 : 0;
        },
      };
    }
    return options;
  };

  const events: string[] = [];
  let runEnded = false;
  const endsByNode = new Map<string, number>();
  const hook =
    (name: keyof Scenario['hooks'], record: (event: { name?: unknown }) => void) =>
    (event: object): unknown => {
      record(event);
      const kind = scenario.hooks[name];
      if (kind === 'throw') throw make(scenario.hookValue, produced);
      if (kind === 'reject') return Promise.reject(make(scenario.hookValue, produced));
      if (kind === 'hostileThenable') return make('thenableRejectingHostile', produced);
      if (kind === 'abort') abortRun();
      return undefined;
    };
  const observer: DagObserver = {
    onRunStart: hook('onRunStart', () => events.push('runStart')),
    onNodeStart: hook('onNodeStart', (e) => {
      if (runEnded) problems.push(`onNodeStart of ${String(e.name)} after onRunEnd`);
    }),
    onNodeRetry: hook('onNodeRetry', (e) => {
      if (runEnded) problems.push(`onNodeRetry of ${String(e.name)} after onRunEnd`);
    }),
    onNodeEnd: hook('onNodeEnd', (e) => {
      const name = String(e.name);
      if (runEnded) problems.push(`onNodeEnd of ${name} after onRunEnd`);
      endsByNode.set(name, (endsByNode.get(name) ?? 0) + 1);
      if (endsByNode.get(name)! > 1) problems.push(`onNodeEnd of ${name} twice`);
    }),
    onRunEnd: hook('onRunEnd', () => {
      if (runEnded) problems.push('onRunEnd twice');
      runEnded = true;
    }),
  };

  const { signal, refused } = makeSignal(scenario, controller, produced);
  const options: InvokeOptions = { observer, failFast: scenario.failFast };
  if (scenario.concurrency !== undefined) options.concurrency = scenario.concurrency;
  if (signal !== undefined) options.signal = signal;
  let getterValue: unknown;
  if (scenario.throwingOptionGetter !== undefined) {
    getterValue = make(scenario.throwingOptionGetter, produced);
    Object.defineProperty(options, 'concurrency', {
      enumerable: true,
      get() {
        throw getterValue;
      },
    });
  }

  let pending: Promise<unknown>;
  try {
    if (scenario.entry === 'builder') {
      const dag = buildDag((tm) => {
        const handles: TaskNode<unknown>[] = [];
        scenario.nodes.forEach((spec, i) => {
          const deps: unknown[] = spec.deps.map((d) => handles[d]!);
          if (spec.plainDep !== undefined) deps.push(make(spec.plainDep, produced));
          handles.push(
            tm
              .with({ name: `n${i}`, ...optionsOf(spec) } as never)
              .addNode(bodyOf(spec) as () => unknown, ...(deps as never[])),
          );
        });
      });
      pending = dag.invoke(undefined, options);
    } else {
      pending = invokeDag(classFlow(scenario.nodes[0]!, bodyOf(scenario.nodes[0]!), produced), undefined, options);
    }
  } catch (error) {
    return [`buildDag or invoke threw synchronously: ${safeText(error)}`];
  }
  if (scenario.signal === 'abortLater' || scenario.signal === 'throwingReason') {
    void (async () => {
      for (let t = 0; t < scenario.abortAfterTurns; t++) await turn();
      abortRun();
    })();
  }

  let bound: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    pending.then(
      (result) => ({ kind: 'resolved' as const, value: result }),
      (error: unknown) => ({ kind: 'rejected' as const, value: error }),
    ),
    new Promise<{ kind: 'hung' }>((resolve) => {
      bound = setTimeout(() => resolve({ kind: 'hung' }), SETTLE_BOUND_MS);
    }),
  ]);
  clearTimeout(bound);
  if (outcome.kind === 'hung') return [`did not settle within ${SETTLE_BOUND_MS} ms`];

  // The contract's outcomes: a result, or one of its error types (or what an option getter threw).
  const snapshot = (): string => {
    const result = is(outcome.value, ExecutionResult)
      ? (outcome.value as ExecutionResult)
      : is(outcome.value, NodeFailedError)
        ? (outcome.value as NodeFailedError).partial
        : undefined;
    if (result === undefined) return '';
    return JSON.stringify(result.trace.nodes.map((n) => [n.name, n.status, n.attempts, n.end]));
  };
  if (outcome.kind === 'resolved') {
    if (!is(outcome.value, ExecutionResult)) problems.push('resolved with something else than a result');
  } else {
    const error = outcome.value;
    if (scenario.throwingOptionGetter !== undefined) {
      if (!Object.is(error, getterValue))
        problems.push(`an option getter threw, but invoke rejected with ${safeText(error)}`);
    } else if (refused) {
      if (!is(error, TypeError)) problems.push(`a bad signal was not refused with a TypeError: ${safeText(error)}`);
    } else if (is(error, NodeFailedError)) {
      const { cause } = error as NodeFailedError;
      const fromTrap = typeof cause === 'object' && cause !== null && thrownByTraps.has(cause);
      if (!(produced.has(cause) || fromTrap || is(cause, NodeTimeoutError) || is(cause, TypeError))) {
        problems.push(`NodeFailedError whose cause came from nowhere: ${safeText(cause)}`);
      }
    } else if (!is(error, DagAbortedError)) {
      problems.push(`rejected with something outside the contract: ${safeText(error)}`);
    }
  }

  // After it settled, nothing of the run may run or change.
  const before = snapshot();
  const eventsBefore = events.length;
  for (let t = 0; t < 6; t++) await turn();
  if (snapshot() !== before) problems.push('the result changed after the run settled');
  if (events.length !== eventsBefore) problems.push('events after the run settled');
  // Bodies that ignore their signal end within a few turns: by now no timer of the run may remain.
  if (timers.pending !== pendingBefore) {
    problems.push(`${timers.pending - pendingBefore} timer(s) alive after the run settled`);
  }
  return problems;
}

/** A class-DSL flow: an immediate (a getter, which may throw), and the node under test after it. */
function classFlow(spec: NodeSpec, body: (...args: unknown[]) => unknown, produced: Set<unknown>): object {
  class HostileFlow extends Dag {
    @immediate get seed(): unknown {
      if (spec.plainDep === undefined) return 1;
      if (spec.body.kind === 'throw') throw make(spec.plainDep, produced);
      return make(spec.plainDep, produced);
    }
    @node('seed') use(seed: unknown, params: unknown, ctx: NodeContext): unknown {
      return body(seed, params, ctx);
    }
  }
  return new HostileFlow();
}

async function main(): Promise<void> {
  let ran = 0;
  const failures: string[] = [];
  await fc
    .assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        ran++;
        let problems: string[];
        try {
          problems = await runCase(scenario);
        } catch (error) {
          problems = [`the check itself threw: ${error instanceof Error ? error.stack : safeText(error)}`];
        }
        // Unhandled rejections are flagged after the microtasks of a turn: one more turn first.
        await turn();
        problems.push(...escaped.splice(0), ...warnings.splice(0));
        if (problems.length > 0) {
          failures.push(`${problems.join('; ')}\n  in ${JSON.stringify(scenario)}`);
          return false;
        }
        return true;
      }),
      { numRuns: cases, seed, endOnFailure: true },
    )
    .catch((error: unknown) => {
      // A failed invariant is in `failures` already; anything else (the property threw) is reported here.
      if (failures.length === 0) failures.push(`the property threw: ${safeText(error)}`);
    });
  process.stdout.write(JSON.stringify({ cases: ran, seed, failures: failures.slice(0, 3) }) + '\n');
}

void main();

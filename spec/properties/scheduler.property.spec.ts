import fc from 'fast-check';
import {
  buildDag,
  DagAbortedError,
  NodeFailedError,
  type DagObserver,
  type ExecutionResult,
  type NodeContext,
  type NodeOptions,
  type TaskNode,
} from 'async-dag';
import { TimerTracker } from '../helpers/timer-tracker';

// Random DAGs (each node up to 3 random earlier dependencies, repeats allowed), random
// concurrency limits, random failures (synchronous throws, rejections, hangs cut by a timeout,
// failures that retries may or may not cure) and random abort moments. The scheduler's promises
// are checked on every run. Jest fails a test on any unhandled rejection, so each run also
// proves that none happened.

jest.setTimeout(60_000);

const timers = new TimerTracker();
let restoreTimers: () => void;
beforeAll(() => {
  restoreTimers = timers.install();
});
afterAll(() => restoreTimers());

type Delay = 'sync' | 'micro' | 0 | 1 | 2;
type Behaviour =
  | { kind: 'ok'; delay: Delay }
  | { kind: 'throw' }
  | { kind: 'reject'; delay: Delay }
  | { kind: 'hang' } // settles only when its signal aborts; only its timeout ends an attempt
  | { kind: 'flaky'; failures: number; delay: Delay };

interface NodeModel {
  deps: number[];
  /** A plain value given as a last dependency (it becomes an immediate), maybe as a promise. */
  extra: { value: number; async: boolean } | undefined;
  behaviour: Behaviour;
  retries: number;
  retryDelay: number;
  timeout: number | undefined;
  priority: number;
}

interface Scenario {
  nodes: NodeModel[];
  concurrency: number | undefined;
  failFast: boolean;
  abortAfter: number | undefined;
}

const delayArb: fc.Arbitrary<Delay> = fc.constantFrom<Delay>('sync', 'micro', 0, 1, 2);

function nodeArb(index: number, failures: boolean): fc.Arbitrary<NodeModel> {
  const behaviour: fc.Arbitrary<Behaviour> = failures
    ? fc.oneof(
        { weight: 6, arbitrary: delayArb.map((delay) => ({ kind: 'ok' as const, delay })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'throw' as const }) },
        { weight: 1, arbitrary: delayArb.map((delay) => ({ kind: 'reject' as const, delay })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('flaky' as const),
            failures: fc.integer({ min: 1, max: 2 }),
            delay: delayArb,
          }),
        },
      )
    : delayArb.map((delay) => ({ kind: 'ok' as const, delay }));
  return fc.record({
    deps: index === 0 ? fc.constant([]) : fc.array(fc.nat(index - 1), { maxLength: 3 }),
    extra: fc.option(fc.record({ value: fc.integer({ min: 0, max: 99 }), async: fc.boolean() }), {
      nil: undefined,
      freq: 3,
    }),
    behaviour,
    retries: failures ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    retryDelay: fc.constantFrom(0, 1),
    timeout: fc.constantFrom(undefined, 2_000),
    priority: fc.constantFrom(0, 0, 1, -1),
  });
}

function scenarioArb(options: { failures: boolean; abort: boolean }): fc.Arbitrary<Scenario> {
  return fc
    .integer({ min: 1, max: 10 })
    .chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => nodeArb(i, options.failures))))
    .chain((nodes) =>
      fc.record({
        nodes: fc.constant(nodes),
        concurrency: fc.constantFrom(undefined, 1, 2, 3),
        failFast: options.failures ? fc.boolean() : fc.constant(true),
        abortAfter: options.abort ? fc.constantFrom(undefined, 0, 1, 3, 6) : fc.constant(undefined),
      }),
    );
}

/** Does attempt `attempt` (from 1) of this node fail? */
function attemptFails(node: NodeModel, attempt: number): boolean {
  const { behaviour } = node;
  return behaviour.kind === 'flaky' ? attempt <= behaviour.failures : behaviour.kind !== 'ok';
}

function finallyFails(node: NodeModel): boolean {
  return attemptFails(node, node.retries + 1);
}

/** A node's value: its index plus the values it received, so a wrong argument shows up downstream. */
function expectedValues(nodes: NodeModel[]): number[] {
  const values: number[] = [];
  nodes.forEach((node, i) => {
    values.push((i + node.deps.reduce((sum, d) => sum + values[d]!, 0) + (node.extra?.value ?? 0)) % 1_000_003);
  });
  return values;
}

const wait = (delay: Delay): Promise<void> | undefined =>
  delay === 'sync'
    ? undefined
    : delay === 'micro'
      ? Promise.resolve()
      : new Promise((resolve) => setTimeout(resolve, delay));

type Event = {
  type: 'start' | 'retry' | 'end' | 'runEnd';
  node: number;
  attempt: number;
  status?: string;
  insideInvoke?: boolean;
};

interface Outcome {
  result: ExecutionResult | undefined;
  error: unknown;
  events: Event[];
  violations: string[];
  mostRunning: number;
  attemptsSeen: number[];
}

async function run(scenario: Scenario): Promise<Outcome> {
  const { nodes } = scenario;
  const expected = expectedValues(nodes);
  const violations: string[] = [];
  const events: Event[] = [];
  const attemptsSeen = nodes.map(() => 0);
  let running = 0;
  let mostRunning = 0;
  const handles: TaskNode<number>[] = [];

  const body =
    (i: number) =>
    (...args: unknown[]): number | Promise<number> => {
      const node = nodes[i]!;
      const ctx = args[args.length - 1] as NodeContext;
      const wanted = node.deps.map((d) => expected[d]!);
      if (node.extra !== undefined) wanted.push(node.extra.value);
      const received = args.slice(0, wanted.length);
      if (JSON.stringify(received) !== JSON.stringify(wanted)) {
        violations.push(`node ${i} received ${JSON.stringify(received)}, expected ${JSON.stringify(wanted)}`);
      }
      if (ctx.name !== `n${i}`) violations.push(`node ${i} got ctx.name ${ctx.name}`);
      attemptsSeen[i] = Math.max(attemptsSeen[i]!, ctx.attempt);
      // A body runs until it settles or its attempt's signal aborts (timeout, fail fast, abort).
      running++;
      mostRunning = Math.max(mostRunning, running);
      let over = false;
      const finish = () => {
        if (!over) {
          over = true;
          running--;
        }
      };
      ctx.signal.addEventListener('abort', finish, { once: true });
      const fails = attemptFails(node, ctx.attempt);
      const { behaviour } = node;
      const value = (i + wanted.reduce((sum, v) => sum + v, 0)) % 1_000_003;
      if (behaviour.kind === 'throw') {
        finish();
        throw new Error(`n${i} throws`);
      }
      // Settles only when its signal aborts (its timeout, fail fast, abort): a timed-out body keeps
      // its concurrency slot until it settles, so one that never settled would hold it for ever.
      if (behaviour.kind === 'hang') {
        return new Promise<number>((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new Error(`n${i} cut short`)), { once: true });
        });
      }
      const delay = behaviour.delay;
      const pending = wait(delay);
      if (pending === undefined) {
        finish();
        if (fails) throw new Error(`n${i} fails attempt ${ctx.attempt}`);
        return value;
      }
      return pending.then(() => {
        finish();
        if (fails) throw new Error(`n${i} fails attempt ${ctx.attempt}`);
        return value;
      });
    };

  const dag = buildDag((tm) => {
    nodes.forEach((node, i) => {
      const options: NodeOptions & { name: string } = {
        name: `n${i}`,
        retry: { retries: node.retries, delay: node.retryDelay },
        priority: node.priority,
      };
      const timeout = node.behaviour.kind === 'hang' ? 4 : node.timeout;
      if (timeout !== undefined) options.timeout = timeout;
      const deps: unknown[] = node.deps.map((d) => handles[d]!);
      if (node.extra !== undefined) deps.push(node.extra.async ? Promise.resolve(node.extra.value) : node.extra.value);
      handles.push(tm.with(options).addNode(body(i) as (...args: unknown[]) => number, ...deps));
    });
  });

  // Immediates made from plain values (immediate_<k>) report to the observer too; only nodes count here.
  const index = (name: string) => (name.startsWith('n') ? Number(name.slice(1)) : -1);
  const observer: DagObserver = {
    onNodeStart: ({ name, attempt }) =>
      void (index(name) >= 0 && events.push({ type: 'start', node: index(name), attempt, insideInvoke })),
    onNodeRetry: ({ name, attempt }) =>
      void (index(name) >= 0 && events.push({ type: 'retry', node: index(name), attempt })),
    onNodeEnd: ({ name, attempts, status }) =>
      void (index(name) >= 0 && events.push({ type: 'end', node: index(name), attempt: attempts, status })),
    onRunEnd: () => void events.push({ type: 'runEnd', node: -1, attempt: 0 }),
  };
  const controller = new AbortController();
  const timersBefore = timers.pending;
  const abortTimer =
    scenario.abortAfter === undefined ? undefined : setTimeout(() => controller.abort('stop'), scenario.abortAfter);
  let result: ExecutionResult | undefined;
  let error: unknown;
  let insideInvoke = true;
  try {
    const pending = dag.invoke(undefined, {
      concurrency: scenario.concurrency,
      failFast: scenario.failFast,
      signal: controller.signal,
      observer,
    });
    insideInvoke = false;
    result = await pending;
  } catch (e) {
    error = e;
  }
  if (abortTimer !== undefined) clearTimeout(abortTimer);
  // Bodies cut off by a stop may still be sleeping (at most 2 ms). Timers fire in the order they
  // fall due, so once a 3 ms timer set now has fired, theirs have too; then no timer may remain.
  await new Promise((resolve) => setTimeout(resolve, 3));
  if (timers.pending > timersBefore)
    violations.push(`${timers.pending - timersBefore} timer(s) left behind:\n${timers.stacks.join('\n')}`);
  return { result, error, events, violations, mostRunning, attemptsSeen };
}

function checkCommon(scenario: Scenario, outcome: Outcome): void {
  const { nodes } = scenario;
  const { events } = outcome;
  expect(outcome.violations).toEqual([]);
  if (scenario.concurrency !== undefined) expect(outcome.mostRunning).toBeLessThanOrEqual(scenario.concurrency);
  // No node starts before all of its dependencies have fulfilled.
  events.forEach((event, at) => {
    if (event.type !== 'start' || event.attempt !== 1) return;
    for (const d of nodes[event.node]!.deps) {
      const fulfilledAt = events.findIndex((e) => e.type === 'end' && e.node === d && e.status === 'fulfilled');
      expect({ node: event.node, dep: d, fulfilledBeforeStart: fulfilledAt >= 0 && fulfilledAt < at }).toEqual({
        node: event.node,
        dep: d,
        fulfilledBeforeStart: true,
      });
    }
  });
  // Nothing starts once the run has ended (fail fast, abort, or done).
  const runEnd = events.findIndex((e) => e.type === 'runEnd');
  expect(runEnd).toBeGreaterThanOrEqual(0);
  expect(events.slice(runEnd + 1).filter((e) => e.type === 'start')).toEqual([]);
  // At most 1 + retries attempts, and exactly one start of attempt 1, per node that started.
  nodes.forEach((node, i) => {
    const starts = events.filter((e) => e.type === 'start' && e.node === i);
    expect(starts.length).toBeLessThanOrEqual(1 + node.retries);
    expect(starts.filter((e) => e.attempt === 1).length).toBeLessThanOrEqual(1);
    expect(starts.map((e) => e.attempt)).toEqual(starts.map((_, k) => k + 1));
    expect(outcome.attemptsSeen[i]).toBe(starts.length);
  });
}

describe('the scheduler, on random graphs', () => {
  it('runs every node exactly once, after its dependencies, with their values, within the limit, when nothing fails', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ failures: false, abort: false }), async (scenario) => {
        const outcome = await run(scenario);
        checkCommon(scenario, outcome);
        expect(outcome.error).toBeUndefined();
        const result = outcome.result!;
        const expected = expectedValues(scenario.nodes);
        scenario.nodes.forEach((_, i) => {
          expect(result.status(`n${i}`)).toBe('fulfilled');
          expect(result.get(`n${i}`)).toBe(expected[i]);
          expect(outcome.events.filter((e) => e.type === 'start' && e.node === i)).toHaveLength(1);
        });
        expect(result.errors).toEqual([]);
        if (scenario.concurrency === undefined) {
          // Unlimited: every root starts synchronously inside invoke(), unless it waits for a promise immediate.
          const roots = scenario.nodes.flatMap((n, i) => (n.deps.length === 0 && n.extra?.async !== true ? [i] : []));
          for (const root of roots) {
            expect(outcome.events.find((e) => e.type === 'start' && e.node === root)).toMatchObject({
              insideInvoke: true,
            });
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('keeps its promises when nodes throw, reject, hang past timeouts and get retried', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ failures: true, abort: false }), async (scenario) => {
        const outcome = await run(scenario);
        checkCommon(scenario, outcome);
        const { nodes } = scenario;
        // What the model says: a node is skipped when a dependency did not fulfil, else it
        // fails when its last allowed attempt fails.
        const status: string[] = [];
        nodes.forEach((node, i) => {
          status.push(
            node.deps.some((d) => status[d] !== 'fulfilled')
              ? 'skipped'
              : finallyFails(node)
                ? 'rejected'
                : 'fulfilled',
          );
          void i;
        });
        const anyFailure = status.includes('rejected');
        if (!scenario.failFast) {
          // Settle mode runs exactly the nodes that do not depend on a failure, and says so.
          expect(outcome.error).toBeUndefined();
          const result = outcome.result!;
          expect(nodes.map((_, i) => result.status(`n${i}`))).toEqual(status);
          const started = new Set(outcome.events.filter((e) => e.type === 'start').map((e) => e.node));
          nodes.forEach((node, i) => {
            expect(started.has(i)).toBe(status[i] !== 'skipped');
            if (status[i] === 'rejected') expect(outcome.attemptsSeen[i]).toBe(node.retries + 1);
            if (status[i] !== 'skipped')
              expect(result.trace.nodes.find((n) => n.name === `n${i}`)!.attempts).toBe(outcome.attemptsSeen[i]);
          });
          expect(result.errors.map((e) => e.node).sort()).toEqual(
            status.flatMap((s, i) => (s === 'rejected' ? [`n${i}`] : [])).sort(),
          );
        } else if (anyFailure) {
          expect(outcome.error).toBeInstanceOf(NodeFailedError);
          const failed = outcome.error as NodeFailedError;
          expect(status[Number(failed.node.slice(1))]).toBe('rejected');
          // The first rejection ends the run: it is the last 'end' before runEnd, and nothing starts after it.
          const ends = outcome.events.filter((e) => e.type === 'end' && e.status === 'rejected');
          expect(ends).toHaveLength(1);
          expect(ends[0]!.node).toBe(Number(failed.node.slice(1)));
          // Partial results agree with the model for every node that fulfilled.
          nodes.forEach((_, i) => {
            if (failed.partial.status(`n${i}`) === 'fulfilled') expect(status[i]).toBe('fulfilled');
          });
        } else {
          expect(outcome.error).toBeUndefined();
          expect(nodes.map((_, i) => outcome.result!.status(`n${i}`))).toEqual(status);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('stops at a random abort: rejects with DagAbortedError unless the run ended first, and starts nothing after', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ failures: true, abort: true }), async (scenario) => {
        const outcome = await run(scenario);
        checkCommon(scenario, outcome);
        if (outcome.error !== undefined) {
          expect([DagAbortedError, NodeFailedError].some((type) => outcome.error instanceof type)).toBe(true);
          if (outcome.error instanceof DagAbortedError) {
            expect(outcome.error.name).toBe('AbortError');
            expect(outcome.error.cause).toBe('stop');
          }
        } else {
          for (let i = 0; i < scenario.nodes.length; i++)
            expect(['fulfilled', 'rejected', 'skipped']).toContain(outcome.result!.status(`n${i}`));
        }
      }),
      { numRuns: 60 },
    );
  });
});

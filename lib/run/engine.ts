import { exactNow, now, turnNow } from './clock';
import { criticalPathRanks, learnDurations } from './critical-path';
import { DagAbortedError, NodeFailedError, NodeTimeoutError } from './run-errors';
import {
  ExecutionResult,
  FULFILLED,
  PENDING,
  REJECTED,
  RUNNING,
  SKIPPED,
  WAITING,
  statusOf,
  type NodeError,
  type RunRecord,
} from './execution-result';
import type { Graph } from '../graph';
import { graphView } from '../graph';
import type { NodeContext } from './node-context';
import { hasHook, notify, type DagObserver } from './observer';
import { MAX_TIMER_DELAY, type ResolvedNodeOptions } from '../graph';
import { resolveInvokeOptions, type InvokeOptions } from './invoke-options';
import type { DagExecutor } from './executor';
import { DagError, shown } from '../errors';
import { ReadyQueue } from './ready-queue';
import { RunIdentity } from './run-info';
import { openRemoteNodes, type RemoteNodes } from './remote-nodes';
import { abortedState, isPromise, reasonOf } from './hostile-values';
import { allowManyListeners, attemptsNeedOwnSignals } from './listener-limit';

/**
 * `call(fn, self, ...args)` is `fn.call(self, ...args)` without reading `fn.call`: node bodies
 * come in many shapes (arrows, methods, bound functions, functions renamed by a bundler), and
 * reading a property of each makes that read megamorphic, which costs more than the call.
 * Measured (`npm run bench -- --only=tricks`, case `call`, against `run.call(self, ...)`): the seed
 * graph's invocation 5-9% faster in four runs (0.84 vs 0.92 µs); 200 nodes of nine function
 * shapes, no gain (-5% to -1%, noise there about 1%).
 */
const call: <A extends unknown[]>(fn: (...args: A) => unknown, self: unknown, ...args: A) => unknown =
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the point: `call` bound to itself takes the function as `this`
  Function.prototype.call.bind(Function.prototype.call) as never;

/**
 * Graphs up to this many nodes keep a run's per-node rows in two arrays, larger ones in five. The
 * state rows take 3 × 8 bytes a node, and V8 puts an array over 128 KB in its large-object space
 * (an mmap per array): measured, a 10,000-node run took about half as long again with them merged.
 * Measured (`npm run bench -- --only=tricks`, cases `rows` and `rows-merged`): merged rows make
 * the seed graph's invocation 10-13% faster (0.83 vs 0.92 µs), 1,000 and 5,000 nodes 1-5%;
 * merged at 10,000 nodes too, a run takes 70% longer (2.5 vs 4.2 ms).
 */
const ROWS_IN_ONE_ARRAY_UP_TO = 5_000;

/** Shared by every run until its first failure; frozen, so a write by mistake would throw. */
const NO_ERRORS: unknown[] = Object.freeze([]) as unknown as unknown[];

/**
 * Runs `graph` once. Nodes are called as `fn.apply(self, [...depValues, params, ctx])`.
 *
 * Never throws: a bad option or an already-aborted signal becomes a rejected promise.
 */
export function runGraph(
  graph: Graph,
  params: unknown,
  options: InvokeOptions | undefined,
  self: unknown,
): Promise<ExecutionResult> {
  let resolved: ReturnType<typeof resolveInvokeOptions>;
  try {
    // Reading the options runs the caller's getters (or a Proxy's traps), which may throw; so may
    // an already-aborted signal's reason, read here for the same reason: `invoke` never throws.
    resolved = resolveInvokeOptions(options);
    if (resolved instanceof TypeError) return Promise.reject(resolved);
    const state = resolved.signal === undefined ? undefined : abortedState(resolved.signal);
    if (state?.aborted === true) return Promise.reject(new DagAbortedError(state.reason));
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = resolved;
  let resolve!: (result: ExecutionResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<ExecutionResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  try {
    const run = new Run(
      graph,
      params,
      self,
      resolved.concurrency,
      resolved.failFast,
      resolved.observer,
      signal,
      resolve,
      reject,
      resolved.runId,
    );
    // Before `begin`: an executor that refuses the run (params that cannot cross) rejects it
    // before any hook is called or any node starts.
    const opening = resolved.executor === undefined ? undefined : run.useExecutor(resolved.executor);
    // An executor that reads a run's stored state first (a resume) delays its start.
    if (opening === undefined) run.begin();
    else run.beginOnceOpen(opening);
  } catch (error) {
    reject(error);
  }
  return promise;
}

/**
 * The runs in flight on each caller signal. A signal gets one 'abort' listener however many runs
 * share it (a server's shutdown signal, say): Node warns of a leak past 10 listeners. The
 * listener is removed when the last of its runs ends.
 */
const runsBySignal = new WeakMap<AbortSignal, { readonly runs: Set<Run>; readonly listener: () => void }>();

function watchSignal(signal: AbortSignal, run: Run): void {
  let entry = runsBySignal.get(signal);
  if (entry === undefined) {
    const runs = new Set<Run>();
    // An event listener must never throw (Node reports it as an uncaught exception): the reason
    // is read safely, and each run stops on its own.
    const listener = (): void => {
      runsBySignal.delete(signal);
      const reason = reasonOf(signal);
      // A copy: each run leaves the set as it stops.
      for (const each of [...runs]) {
        try {
          each.abortedBySignal(reason);
        } catch {
          // Unreachable by design (stopping a run throws nothing); kept so one run cannot keep another from stopping.
        }
      }
    };
    // A signal-like object's `addEventListener` may throw: then nothing is recorded, and the run stops.
    signal.addEventListener('abort', listener, { once: true });
    entry = { runs, listener };
    runsBySignal.set(signal, entry);
    entry.runs.add(run);
    return;
  }
  entry.runs.add(run);
}

function unwatchSignal(signal: AbortSignal, run: Run): void {
  const entry = runsBySignal.get(signal);
  if (entry === undefined || !entry.runs.delete(run) || entry.runs.size > 0) return;
  runsBySignal.delete(signal);
  try {
    signal.removeEventListener('abort', entry.listener);
  } catch {
    // A signal-like object's own method threw; the listener it keeps is inert (its runs are gone).
  }
}

/** The `ctx` of one attempt. Its signal is made on first use, so nodes that ignore it cost nothing. */
class Context implements NodeContext {
  readonly name: string;
  readonly attempt: number;
  readonly #run: Run;
  #signal: AbortSignal | undefined;

  constructor(run: Run, name: string, attempt: number, signal: AbortSignal | undefined) {
    this.#run = run;
    this.name = name;
    this.attempt = attempt;
    this.#signal = signal;
  }

  get signal(): AbortSignal {
    return (this.#signal ??= this.#run.attemptSignal());
  }

  get runId(): string {
    return this.#run.identity.id;
  }
}

/**
 * The mutable state of one invocation. Everything here is private to this run, so one graph
 * serves any number of concurrent runs.
 *
 * Invariants: `counters[countersAt + i]` counts the dependencies of `i` (repeats included) that
 * have not fulfilled; it reaches 0 exactly once, and that is when `i` starts or is queued.
 * `remaining` counts nodes not yet fulfilled, rejected or skipped; the run ends when it reaches
 * 0, or on the first failure in fail-fast mode, or on abort. After `done`, every late callback is
 * ignored.
 */
class Run implements RunRecord {
  readonly values: unknown[];
  // Plain arrays copied from the graph's templates, not typed arrays: V8 puts a typed array of
  // more than 64 bytes outside the heap, which costs a microsecond or more per array and per
  // invocation from about 9 nodes up, while copying a small packed array costs nanoseconds.
  readonly states: number[];
  readonly attempts: number[];
  readonly attemptsAt: number;
  readonly starts: number[];
  readonly ends: number[];
  readonly endsAt: number;
  readonly counters: number[];
  readonly countersAt: number;
  // Most runs have no failure: both start as one shared empty array, replaced at the first failure.
  lastErrors: unknown[] = NO_ERRORS;
  errorList: NodeError[] = NO_ERRORS as NodeError[];
  duration = 0;

  readonly #t0: number;
  /** ms since `#t0` of the current synchronous stretch, or -1 when it must be read again. */
  #clock = 0;
  /** Times events with the turn clock (the graph's last run was quick), not the exact one. */
  readonly #turnClock: boolean;
  #remaining: number;
  #done = false;
  /** Whether `begin` ran: a run stopped before (its executor still opening it) calls no hook. */
  #begun = false;
  /** While true (during the immediates phase), released nodes are not queued yet. */
  #starting = true;
  #draining = false;
  /** Node bodies running, counted only when a concurrency limit applies (with `#heap`). */
  #running = 0;
  /** FIFO of ready nodes when concurrency is unlimited (no heap on that path). */
  #queue: number[] | undefined;
  #head = 0;
  readonly #heap: ReadyQueue | undefined;
  #controller: AbortController | undefined;
  #identity: RunIdentity | undefined;
  /** Set only for a run with an executor and queued nodes: the hot path checks it once per node. */
  #remote: RemoteNodes | undefined;
  /** Where attempts need signals of their own (see listener-limit.ts): theirs, aborted when the run stops. */
  #signalControllers: AbortController[] | undefined;
  #stopReason: unknown = undefined;
  /** Timed-out attempts whose bodies still run and hold their concurrency slot, as `i + attempt * size`. */
  #heldSlots: Set<number> | undefined;
  #timers: (ReturnType<typeof setTimeout> | undefined)[] | undefined;
  #attemptControllers: (AbortController | undefined)[] | undefined;
  /** Whether the observer has these per-node hooks, read once: a hook it lacks costs nothing per node. */
  readonly #onNodeStart: boolean;
  readonly #onNodeEnd: boolean;

  constructor(
    readonly graph: Graph,
    readonly params: unknown,
    readonly self: unknown,
    readonly limit: number,
    readonly failFast: boolean,
    readonly observer: DagObserver | undefined,
    readonly externalSignal: AbortSignal | undefined,
    readonly resolve: (result: ExecutionResult) => void,
    readonly reject: (error: unknown) => void,
    readonly runId: string | undefined,
  ) {
    const size = graph.size;
    this.#onNodeStart = hasHook(observer, 'onNodeStart');
    this.#onNodeEnd = hasHook(observer, 'onNodeEnd');
    this.#turnClock = graph.learning.quick;
    this.#t0 = exactNow();
    this.values = new Array(size);
    // PENDING is 0. Few arrays while they stay small; past that, one per row: V8 allocates an
    // array over 128 KB in a space of its own, which costs more than the extra arrays.
    const { initialStates, zeroTimes } = graph;
    if (size <= ROWS_IN_ONE_ARRAY_UP_TO) {
      this.states = this.attempts = this.counters = initialStates.slice();
      this.starts = this.ends = zeroTimes.slice();
      this.attemptsAt = this.endsAt = size;
      this.countersAt = 2 * size;
    } else {
      this.states = initialStates.slice(0, size);
      this.attempts = initialStates.slice(size, 2 * size);
      this.counters = initialStates.slice(2 * size);
      this.starts = zeroTimes.slice(0, size);
      this.ends = zeroTimes.slice(size);
      this.attemptsAt = this.endsAt = this.countersAt = 0;
    }
    this.#remaining = size;
    if (limit !== Infinity) {
      const { options } = graph;
      this.#heap = new ReadyQueue(
        graph.hasOptions ? (i) => options[i]?.priority ?? 0 : () => 0,
        criticalPathRanks(graph),
      );
    }
  }

  /** `run` of this run's observer events (and `ctx.runId`), made on first use. */
  get identity(): RunIdentity {
    return (this.#identity ??= new RunIdentity(this.runId));
  }

  /** The signal of the whole run, made on first use (and already aborted if the run has stopped). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      // Shared by every node without a timeout: many may listen to it at once (see listener-limit.ts).
      allowManyListeners(this.#controller.signal);
      if (this.#done && this.#stopReason !== undefined) this.#controller.abort(this.#stopReason);
    }
    return this.#controller.signal;
  }

  /** ms each remote node waited in its queue, for the trace; `undefined` without remote nodes. */
  get queued(): readonly (number | undefined)[] | undefined {
    return this.#remote?.queued;
  }

  useExecutor(executor: DagExecutor): Promise<RemoteNodes> | undefined {
    const remote = openRemoteNodes(
      this.graph,
      executor,
      this.identity.id,
      this.params,
      this.failFast,
      this.signal,
      (reason) => this.abortedBySignal(reason),
      (error) => this.stoppedByExecutor(error),
    );
    if (remote instanceof Promise) return remote;
    // `stop` may have been called inside `startRun`: then the run has ended, and so must its executor side.
    if (this.#done) remote?.end(this.#stopError());
    else this.#remote = remote;
    return undefined;
  }

  /**
   * Begins once the executor has opened the run (read what a resumed run stored). Meanwhile the
   * caller's signal still ends it promptly, and so does the executor's `stop`, with no hook called:
   * nothing has begun. An executor side that opens after that is told to end at once.
   */
  beginOnceOpen(opening: Promise<RemoteNodes>): void {
    const { externalSignal } = this;
    if (externalSignal !== undefined) {
      try {
        watchSignal(externalSignal, this);
      } catch (error) {
        this.#stop(
          new TypeError('Expected `signal.addEventListener` to accept an abort listener, but it threw', {
            cause: error,
          }),
        );
      }
    }
    opening
      .then(
        (remote) => {
          if (this.#done) return remote.end(this.#stopError());
          this.#remote = remote;
          this.begin();
        },
        (error: unknown) => {
          if (this.#done) return;
          this.#release();
          this.reject(error);
        },
      )
      // `begin` never throws by design; a throw there must still settle `invoke`.
      .catch(this.reject);
  }

  /**
   * The `ctx.signal` of an attempt that has no timeout: the run's signal, or, on a Node that
   * cannot lift a signal's listener limit, one of the attempt's own, aborted when the run stops.
   */
  attemptSignal(): AbortSignal {
    if (!attemptsNeedOwnSignals()) return this.signal;
    const controller = new AbortController();
    if (this.#done && this.#stopReason !== undefined) controller.abort(this.#stopReason);
    else (this.#signalControllers ??= []).push(controller);
    return controller.signal;
  }

  begin(): void {
    // A method, not `this.#done`: TypeScript would take the field as false for the rest of `begin`.
    if (this.#ended()) return;
    this.#begun = true;
    const { graph, observer, externalSignal } = this;
    if (hasHook(observer, 'onRunStart'))
      notify(observer!, 'onRunStart', { run: this.identity, graph: graphView(graph) });
    if (externalSignal !== undefined) {
      try {
        watchSignal(externalSignal, this);
      } catch (error) {
        return this.#stop(
          new TypeError('Expected `signal.addEventListener` to accept an abort listener, but it threw', {
            cause: error,
          }),
        );
      }
      // The onRunStart hook may have aborted it already, before there was a listener to hear it.
      const state = abortedState(externalSignal);
      if (state.aborted) return this.abortedBySignal(state.reason);
    }
    if (graph.size === 0) return this.#finish();

    // Immediates first: their values are known before any node starts.
    const { immediates, runs, roots } = graph;
    for (const i of immediates) {
      if (this.#done) return;
      this.#markStarted(i);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a call above may end the run, which TypeScript's narrowing does not see
      if (this.#done) return;
      let value: unknown;
      try {
        value = call(runs[i]!, this.self, this.params);
      } catch (error) {
        this.#attemptFailed(i, 1, error);
        continue;
      }
      this.#settle(i, 1, value);
    }
    if (this.#done) return;
    // Immediates may do synchronous work (a DSL getter or method): the roots start after it.
    if (immediates.length > 0) this.#clock = -1;
    if (this.failFast && this.#remote !== undefined) {
      // A fail-fast run with a stored failure had ended with it: it ends so again, running nothing.
      const failure = this.#remote.storedFailure();
      if (failure !== undefined) return this.#endAsStored(failure.index, failure.error);
    }

    // Nodes ready at the start (no dependencies, or only resolved immediates) start in declaration
    // order: at once when nothing limits them, through the ready queue otherwise. Nodes they
    // release (a synchronous body) are queued, and start after them.
    // (A root whose immediate is still pending, or failed, is not ready: it starts, or is skipped, later.)
    this.#starting = false;
    const { counters, countersAt, states } = this;
    const heap = this.#heap;
    if (heap === undefined) this.#draining = true;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a call above may end the run, which TypeScript's narrowing does not see
    for (let r = 0; r < roots.length && !this.#done; r++) {
      const i = roots[r]!;
      if (counters[countersAt + i] !== 0 || states[i] !== PENDING) continue;
      if (heap === undefined) this.#startNode(i);
      else heap.push(i);
    }
    if (heap === undefined) this.#draining = false;
    this.#drain();
  }

  /**
   * A resumed fail-fast run that had failed with node `failed`: the nodes whose values were
   * stored fulfil (the rejection's `partial`), and it fails again with the stored error.
   */
  #endAsStored(failed: number, error: unknown): void {
    const { graph } = this;
    const at = this.#time();
    for (let i = 0; i < graph.size; i++) {
      if (graph.kinds[i] !== 'node' || i === failed) continue;
      const stored = this.#remote!.stored(i);
      if (stored === undefined || 'failed' in stored) continue;
      this.values[i] = stored.value;
      this.states[i] = FULFILLED;
      this.attempts[this.attemptsAt + i] = 1;
      this.starts[i] = at;
      this.ends[this.endsAt + i] = at;
    }
    this.attempts[this.attemptsAt + failed] = 1;
    this.starts[failed] = at;
    this.#rejectNode(failed, error, false);
  }

  #markStarted(i: number): number {
    const attempt = ++this.attempts[this.attemptsAt + i]!;
    if (attempt === 1) this.starts[i] = this.#time();
    this.states[i] = RUNNING;
    if (this.#onNodeStart)
      notify(this.observer!, 'onNodeStart', { run: this.identity, name: this.graph.names[i]!, attempt });
    return attempt;
  }

  /**
   * Reading the clock costs as much as running a small node, so one reading serves every event
   * of a synchronous stretch. It is read again after each asynchronous entry (a settled promise,
   * a timer, an abort) and after each synchronous body, whose own time must count; the first
   * slice of an async body (up to its first `await`) is counted as part of the next event.
   * A quick graph's run asks the turn clock instead (see `clock.ts`), which reads once per turn
   * of the event loop for every run in it.
   */
  #time(): number {
    let t = this.#clock;
    if (t < 0) t = this.#clock = (this.#turnClock ? turnNow() : now()) - this.#t0;
    return t;
  }

  #enqueue(i: number): void {
    if (this.#heap === undefined) (this.#queue ??= []).push(i);
    else this.#heap.push(i);
  }

  /** Starts queued nodes until none is ready or no slot is free; a loop, never recursion, so any depth is fine. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const heap = this.#heap;
    if (heap === undefined) {
      const queue = this.#queue;
      // Never shrunk during a run: resetting the array costs more than it saves.
      if (queue !== undefined) while (this.#head < queue.length && !this.#done) this.#startNode(queue[this.#head++]!);
    } else {
      while (this.#running < this.limit && heap.size > 0 && !this.#done) this.#startNode(heap.pop());
    }
    this.#draining = false;
  }

  #startNode(i: number): void {
    if (this.#heap !== undefined) this.#running++;
    const remote = this.#remote;
    if (remote !== undefined && this.attempts[this.attemptsAt + i] === 0) {
      // A resumed run: the attempts earlier invocations started count, and the last of them, cut
      // short with its process, runs again as the same attempt (as a worker's job taken over does).
      // (For a node on a worker, the executor counts them only once its value is stored: its
      // attempts otherwise replay through their jobs.)
      const made = remote.attemptsMade(i);
      if (made > 1) {
        this.attempts[this.attemptsAt + i] = made - 1;
        this.starts[i] = this.#time();
      }
    }
    const attempt = this.#markStarted(i);
    // An onNodeStart hook may cancel the run (abort its signal): then this body must not start.
    if (this.observer !== undefined && this.#done) return;
    if (this.#remote !== undefined) {
      // A node whose result the executor stored (a resumed run) is not run again.
      const stored = this.#remote.stored(i);
      if (stored !== undefined) {
        if (!('failed' in stored)) return this.#fulfil(i, attempt, stored.value);
        // It failed for good in an earlier invocation: it fails again, with no retry.
        if (this.#endAttempt(i, attempt)) this.#rejectNode(i, stored.error, false);
        return;
      }
      if (this.#remote.queues[i] !== undefined) return this.#startRemote(i, attempt);
      const recording = this.#remote.attempted(i, attempt);
      if (recording !== undefined) {
        // A durable executor records the attempt before its body starts: a resume counts it even
        // if this process dies the moment the body begins.
        const start = (): void => {
          this.#clock = -1;
          if (this.#done || this.states[i] !== RUNNING || this.attempts[this.attemptsAt + i] !== attempt) return;
          this.#runBody(i, attempt);
        };
        recording.then(start, start);
        return;
      }
    }
    this.#runBody(i, attempt);
  }

  /** Calls attempt `attempt` of node `i`'s body (it has started: its slot is taken, its hooks called). */
  #runBody(i: number, attempt: number): void {
    const { graph, values } = this;
    const options = graph.hasOptions ? graph.options[i] : undefined;
    let attemptSignal: AbortSignal | undefined;
    if (options?.timeout !== undefined) attemptSignal = this.#armTimeout(i, attempt, options.timeout);

    const deps = graph.deps[i]!;
    // A body that cannot see its `ctx` (it declares no parameter for it) gets none made.
    const ctx = graph.seesContext[i] ? new Context(this, graph.names[i]!, attempt, attemptSignal) : undefined;
    const run = graph.runs[i]!;
    const { self, params } = this;
    let out: unknown;
    try {
      // Up to three dependencies (most nodes) are passed without building an argument array.
      switch (deps.length) {
        case 0:
          out = call(run, self, params, ctx);
          break;
        case 1:
          out = call(run, self, values[deps[0]!], params, ctx);
          break;
        case 2:
          out = call(run, self, values[deps[0]!], values[deps[1]!], params, ctx);
          break;
        case 3:
          out = call(run, self, values[deps[0]!], values[deps[1]!], values[deps[2]!], params, ctx);
          break;
        default: {
          const count = deps.length;
          const args = new Array<unknown>(count + 2);
          for (let d = 0; d < count; d++) args[d] = values[deps[d]!];
          args[count] = params;
          args[count + 1] = ctx;
          out = Reflect.apply(run, self, args);
        }
      }
    } catch (error) {
      this.#clock = -1;
      this.#attemptFailed(i, attempt, error);
      return;
    }
    if (isPromise(out)) return this.#await(i, attempt, out);
    // A synchronous body's own time counts (on the exact clock): the clock is read again after it.
    this.#clock = -1;
    this.#settle(i, attempt, out);
  }

  /**
   * Hands an attempt to the executor. Its timeout is the executor's to enforce (from when the
   * attempt starts where it runs); its trace `start` is that moment, and the wait before it `queued`.
   */
  #startRemote(i: number, attempt: number): void {
    const remote = this.#remote!;
    const dispatched = this.#time();
    const started = (): void => {
      if (this.#done || this.states[i] !== RUNNING || this.attempts[this.attemptsAt + i] !== attempt) return;
      this.#clock = -1;
      const now = this.#time();
      remote.queued[i] = (remote.queued[i] ?? 0) + (now - dispatched);
      if (attempt === 1) this.starts[i] = now;
    };
    this.#await(i, attempt, remote.run(i, attempt, this.values, this.signal, started));
  }

  /** A timeout gets its own controller, so that only this attempt's `ctx.signal` aborts when it fires. */
  #armTimeout(i: number, attempt: number, timeout: number): AbortSignal {
    const controller = new AbortController();
    (this.#attemptControllers ??= [])[i] = controller;
    (this.#timers ??= [])[i] = setTimeout(() => {
      this.#clock = -1;
      this.#timers![i] = undefined;
      const error = new NodeTimeoutError(this.graph.names[i]!, timeout, attempt);
      controller.abort(error);
      // The body still runs (it may ignore its signal): under a concurrency limit it keeps its slot
      // until it settles, so that no more than `concurrency` bodies ever run at once.
      const holdsSlot = this.#heap !== undefined && !this.#done;
      if (holdsSlot) (this.#heldSlots ??= new Set()).add(i + attempt * this.graph.size);
      this.#attemptFailed(i, attempt, error, holdsSlot);
    }, timeout);
    return controller.signal;
  }

  #settle(i: number, attempt: number, out: unknown): void {
    if (isPromise(out)) return this.#await(i, attempt, out);
    if (out !== null && (typeof out === 'object' || typeof out === 'function')) {
      let then: unknown;
      try {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- read once to test for a thenable (a getter may throw); never called from here
        then = (out as PromiseLike<unknown>).then;
      } catch (error) {
        this.#attemptFailed(i, attempt, error);
        return;
      }
      if (typeof then === 'function') return this.#await(i, attempt, Promise.resolve(out));
    }
    this.#fulfil(i, attempt, out);
  }

  /** Settles attempt `attempt` of node `i` with `promise`; both handlers are an asynchronous entry. */
  #await(i: number, attempt: number, promise: Promise<unknown>): void {
    try {
      promise.then(
        (value: unknown) => {
          this.#clock = -1;
          if (this.#heldSlots === undefined || !this.#freeHeldSlot(i, attempt)) this.#fulfil(i, attempt, value);
        },
        (error: unknown) => {
          this.#clock = -1;
          if (this.#heldSlots === undefined || !this.#freeHeldSlot(i, attempt)) this.#attemptFailed(i, attempt, error);
        },
      );
    } catch (error) {
      // A promise whose own `then` throws: that attempt fails, and the run goes on.
      this.#attemptFailed(i, attempt, error);
    }
  }

  /**
   * The body of a timed-out attempt has settled at last: its slot is free. `false` if that
   * attempt did not time out holding one (then this is an ordinary settlement).
   */
  #freeHeldSlot(i: number, attempt: number): boolean {
    if (!this.#heldSlots!.delete(i + attempt * this.graph.size)) return false;
    this.#running--;
    if (!this.#done) this.#drain();
    return true;
  }

  /**
   * Ends the current attempt's timer and controller. `false` if this callback is stale.
   * `keepsSlot`: the attempt timed out and its body, still running, keeps its concurrency slot.
   */
  #endAttempt(i: number, attempt: number, keepsSlot = false): boolean {
    if (this.#done || this.states[i] !== RUNNING || this.attempts[this.attemptsAt + i] !== attempt) return false;
    // Retry delays make `#timers` without `#attemptControllers`, so each is checked on its own.
    if (this.#timers !== undefined) {
      const timer = this.#timers[i];
      if (timer !== undefined) {
        clearTimeout(timer);
        this.#timers[i] = undefined;
      }
    }
    if (this.#attemptControllers !== undefined) this.#attemptControllers[i] = undefined;
    // Immediates settle here too, but never took a slot.
    if (this.#heap !== undefined && this.graph.kinds[i] === 'node' && !keepsSlot) this.#running--;
    return true;
  }

  #fulfil(i: number, attempt: number, value: unknown): void {
    const remote = this.#remote;
    if (remote !== undefined) {
      if (this.#done || this.states[i] !== RUNNING || this.attempts[this.attemptsAt + i] !== attempt) return;
      // A value a worker needs that cannot cross fails the node that made it (and may be retried
      // under its own policy), not the dependent on the worker.
      const refused = remote.fulfilled(i, value);
      if (refused !== undefined) return this.#attemptFailed(i, attempt, refused.error);
    }
    if (!this.#endAttempt(i, attempt)) return;
    this.values[i] = value;
    this.states[i] = FULFILLED;
    this.ends[this.endsAt + i] = this.#time();
    if (this.#onNodeEnd) this.#notifyEnd(i, undefined);
    const { dependentStart, dependents } = this.graph;
    const { counters, countersAt } = this;
    const end = dependentStart[i + 1]!;
    // Outside a drain and with no limit (a promise settled), the nodes this one releases start
    // right here, in declaration order; what their synchronous bodies release meanwhile is
    // queued and starts after them. Inside a drain, they are queued.
    const direct = !this.#draining && !this.#starting && this.#heap === undefined;
    if (direct) this.#draining = true;
    for (let e = dependentStart[i]!; e < end; e++) {
      const k = dependents[e]!;
      if (--counters[countersAt + k]! !== 0 || this.#starting) continue;
      if (!direct) this.#enqueue(k);
      else if (!this.#done) this.#startNode(k);
    }
    if (direct) this.#draining = false;
    if (--this.#remaining === 0) this.#finish();
    else this.#drain();
  }

  #attemptFailed(i: number, attempt: number, error: unknown, keepsSlot = false): void {
    if (!this.#endAttempt(i, attempt, keepsSlot)) return;
    const options = this.graph.hasOptions ? this.graph.options[i] : undefined;
    if (options?.retry !== undefined && attempt <= options.retry.retries) {
      const decision = this.#retryDelay(options, attempt, error);
      // `when` or `delay` may have stopped the run (aborted its signal): then nothing of it may
      // run or change any more, no retry timer and no second end of this node.
      if (this.#done) return;
      if (decision.retry) return this.#scheduleRetry(i, attempt, error, decision.delay);
      error = decision.error;
    }
    this.#rejectNode(i, error);
  }

  #retryDelay(
    options: ResolvedNodeOptions,
    attempt: number,
    error: unknown,
  ): { retry: true; delay: number } | { retry: false; error: unknown } {
    const { when, delay } = options.retry!;
    try {
      if (when !== undefined && !when(error)) return { retry: false, error };
      const ms = typeof delay === 'function' ? delay(attempt, error) : (delay ?? 0);
      if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_TIMER_DELAY)) {
        return {
          retry: false,
          error: new TypeError(
            `Expected \`retry.delay\` to give a number of milliseconds from 0 to ${MAX_TIMER_DELAY}, got ${shown(ms)}`,
            {
              cause: error,
            },
          ),
        };
      }
      return { retry: true, delay: ms };
    } catch (thrown) {
      return { retry: false, error: thrown };
    }
  }

  #scheduleRetry(i: number, attempt: number, error: unknown, delay: number): void {
    this.states[i] = WAITING;
    if (this.observer !== undefined) {
      notify(this.observer, 'onNodeRetry', { run: this.identity, name: this.graph.names[i]!, attempt, error, delay });
    }
    // The hook may have cancelled the run; a retry timer set now would outlive it.
    if (this.#done) return;
    // A durable executor records the next attempt now: a process that dies before it starts leaves
    // the failed attempt counted, and a resume starts the next one. (A node on a worker counts its
    // attempts no other way, and its old jobs may be gone by then; a local one records each
    // attempt as it starts, so only a delay needs it.)
    if (this.#remote !== undefined && (delay > 0 || this.#remote.queues[i] !== undefined)) {
      this.#remote.attempted(i, attempt + 1)?.then(undefined, () => undefined);
    }
    if (delay === 0) {
      this.states[i] = PENDING;
      this.#enqueue(i);
      this.#drain();
      return;
    }
    (this.#timers ??= [])[i] = setTimeout(() => {
      this.#clock = -1;
      this.#timers![i] = undefined;
      this.states[i] = PENDING;
      this.#enqueue(i);
      this.#drain();
    }, delay);
  }

  #rejectNode(i: number, error: unknown, store = true): void {
    if (store && this.#remote !== undefined) this.#remote.failed(i, error);
    this.states[i] = REJECTED;
    this.ends[this.endsAt + i] = this.#time();
    if (this.lastErrors === NO_ERRORS) {
      this.lastErrors = [];
      this.errorList = [];
    }
    this.lastErrors[i] = error;
    this.errorList.push({ node: this.graph.names[i]!, error });
    if (this.#onNodeEnd) {
      this.#notifyEnd(i, error);
      // The hook may have stopped the run: its result must not change after that.
      if (this.#done) return;
    }
    if (this.failFast) {
      this.#stop(new NodeFailedError(this.graph.names[i]!, error, new ExecutionResult(this)));
      return;
    }
    this.#remaining--;
    // Everything downstream of a failure is skipped; a skipped node never started, so its
    // counter never reached 0 and it is in no queue.
    const { dependentStart, dependents } = this.graph;
    const stack = [i];
    while (stack.length > 0) {
      const j = stack.pop()!;
      for (let e = dependentStart[j]!; e < dependentStart[j + 1]!; e++) {
        const k = dependents[e]!;
        if (this.states[k] === PENDING) {
          this.states[k] = SKIPPED;
          this.#remaining--;
          stack.push(k);
        }
      }
    }
    if (this.#remaining === 0) this.#finish();
    else this.#drain();
  }

  #notifyEnd(i: number, error: unknown): void {
    const state = this.states[i];
    notify(this.observer!, 'onNodeEnd', {
      run: this.identity,
      name: this.graph.names[i]!,
      status: statusOf(state!),
      duration: this.ends[this.endsAt + i]! - this.starts[i]!,
      attempts: this.attempts[this.attemptsAt + i]!,
      ...(state === REJECTED ? { error } : {}),
    });
  }

  #release(error?: Error): void {
    this.#done = true;
    // Always exact: the turn clock may not have moved since the run began.
    this.duration = this.#turnClock ? exactNow() - this.#t0 : this.#time();
    if (this.externalSignal !== undefined) unwatchSignal(this.externalSignal, this);
    this.#remote?.end(error);
  }

  #finish(): void {
    if (this.#done) return;
    this.#release();
    learnDurations(this, !this.#turnClock);
    const result = new ExecutionResult(this);
    if (this.observer !== undefined)
      notify(this.observer, 'onRunEnd', { run: this.identity, status: 'fulfilled', duration: this.duration });
    this.resolve(result);
  }

  /** Why a run that ended before its executor side opened was stopped (what `invoke` rejected with). */
  #stopError(): Error {
    const reason = this.#stopReason;
    return reason instanceof Error ? reason : new DagAbortedError(reason);
  }

  /** Whether the run has ended (settled, or stopped before it began). */
  #ended(): boolean {
    return this.#done;
  }

  /** Called once when the caller's signal aborts. */
  abortedBySignal(reason: unknown): void {
    this.#clock = -1;
    this.#stop(new DagAbortedError(reason));
  }

  /** The executor can no longer serve this run (it was closed): the whole run ends now, in either mode. */
  stoppedByExecutor(error: unknown): void {
    this.#clock = -1;
    this.#stop(
      error instanceof Error
        ? error
        : new DagError('EXECUTOR_STOPPED', `The executor stopped the run, giving ${shown(error)} as the reason.`),
    );
  }

  /** Fail fast, abort, or the executor's stop: reject now, abort every running node's signal, start nothing more. */
  #stop(error: Error): void {
    if (this.#done) return;
    this.#release(error);
    if (!this.#begun) {
      // Stopped while the executor was still opening the run: no node ran and no hook was called.
      this.#stopReason = error;
      this.#controller?.abort(error);
      this.reject(error);
      return;
    }
    // A stopped run teaches how long it took (a slow one makes the next run exact again), not
    // its node durations.
    learnDurations(this, false);
    this.#stopReason = error;
    this.#controller?.abort(error);
    const signalControllers = this.#signalControllers;
    if (signalControllers !== undefined) for (const controller of signalControllers) controller.abort(error);
    const stoppedAt = this.#time();
    const timers = this.#timers;
    if (timers !== undefined) {
      for (const timer of timers) if (timer !== undefined) clearTimeout(timer);
    }
    const controllers = this.#attemptControllers;
    if (controllers !== undefined) {
      for (const controller of controllers) controller?.abort(error);
    }
    for (let i = 0; i < this.graph.size; i++) {
      const state = this.states[i];
      if (state === RUNNING || state === WAITING || (state === PENDING && this.attempts[this.attemptsAt + i]! > 0)) {
        this.ends[this.endsAt + i] = stoppedAt;
        if (this.#onNodeEnd) this.#notifyEnd(i, undefined);
      }
    }
    if (this.observer !== undefined) {
      notify(this.observer, 'onRunEnd', { run: this.identity, status: 'rejected', duration: this.duration, error });
    }
    this.reject(error);
  }
}

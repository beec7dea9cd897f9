import { Queue, QueueEvents } from 'bullmq';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  DagAbortedError,
  DagError,
  NodeFailedError,
  type DagExecutor,
  type ExecutorRun,
  type ExecutorNode,
  type ExecutorRunStart,
  type RemoteNodeCall,
  type StoredFailure,
  type StoredValue,
} from '../index';
import { shown } from '../errors';
import { encodeIdPart, jobIdOf, runJobIdOf } from './job-id';
import {
  ATTEMPTS,
  CANCELLED,
  ERROR,
  FAILED,
  FINGERPRINT,
  HOLDER,
  INCARNATION,
  OUTCOME,
  START,
  outcomeChannelOf,
  runKeyOf,
  runsQueueOf,
  stopChannelOf,
  stoppedRunOf,
  storedOutcome,
  VALUE,
  type RunJob,
  type RunJobData,
  WIRE_VERSION,
  type NodeJobData,
  type NodeOutcome,
  type OutcomeMessage,
} from './job-data';
import {
  closedMidRun,
  executorClosed,
  leaseLost,
  notStarted,
  runInProgress,
  runMismatch,
  unknownRun,
  unserializable,
} from './messages';
import { invokeFlow, servedFlow } from './flow-registry';
import type { FlowParams, FlowResult, RunStatus, StartOptions, WaitOptions } from './options/run-options';
import { executorNodesOf } from '../run';
import type { BullmqExecutorOptions } from './options/bullmq-executor-options';
import { redisClientFor } from './redis-client';
import { decodeValue, encodeValue, errorWire, WireValueError, type Wire } from './wire-codec';

/** How many times a run's job is tried: a run whose orchestrator was closed (a deploy) goes back to its queue. */
const RUN_JOB_ATTEMPTS = 1_000;

/** How long `start()`'s record of a new run waits for its job to be added before it expires. */
const START_GRACE_MS = 60_000;

/** How long a run's stored values stay once `wait()` has read its outcome, for other waiters. */
const READ_GRACE_MS = 60_000;

/** The default `retention`: how long Redis keeps a run's stored state after its last invocation ended. */
const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * How long a run's lease lasts: the orchestrating process renews it every third of it, so a
 * second live invocation of the run is refused, and the run can be resumed this long after its
 * orchestrator died.
 */
const LEASE_MS = 3_000;

/** Deletes a lease only if it is still ours. */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * Renews a lease if it is still ours; takes it again if it lapsed and nobody took it since (the
 * run is still this incarnation, it names us as its last holder, and has no outcome). Returns 0
 * when another process holds it, or the run is gone. KEYS: the lease, the run's hash. ARGV:
 * token, lease ms, incarnation.
 */
const RENEW_SCRIPT = `
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if not holder and redis.call('hget', KEYS[2], '${INCARNATION}') == ARGV[3]
  and redis.call('hget', KEYS[2], '${HOLDER}') == ARGV[1] and redis.call('hexists', KEYS[2], '${OUTCOME}') == 0 then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/**
 * Opens a run, atomically: takes its lease if free, records its fingerprint and incarnation if
 * the run is new, and reads back everything it stored. A run invoked (not started) that is ours
 * and has not ended is given an expiry at once, so that no process dying here leaves a key that
 * never expires; a started run has none until it ends (it may wait long for a process to take
 * it over), and a run of other params or another graph is left as it is.
 * KEYS: the run's hash, its lease. ARGV: token, lease ms, fingerprint, new incarnation, keep ms.
 * Returns [1 if leased, 1 if the incarnation was written (a new run), the hash as field, value...].
 */
const OPEN_SCRIPT = `
local leased = redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX')
redis.call('hsetnx', KEYS[1], '${FINGERPRINT}', ARGV[3])
local made = redis.call('hsetnx', KEYS[1], '${INCARNATION}', ARGV[4])
local ours = redis.call('hget', KEYS[1], '${FINGERPRINT}') == ARGV[3]
  and redis.call('hexists', KEYS[1], '${OUTCOME}') == 0 and redis.call('hexists', KEYS[1], '${CANCELLED}') == 0
if leased and ours then redis.call('hset', KEYS[1], '${HOLDER}', ARGV[1]) end
if (leased or made == 1) and ours and redis.call('hexists', KEYS[1], '${START}') == 0 then
  redis.call('pexpire', KEYS[1], ARGV[5])
end
return { leased and 1 or 0, made, redis.call('hgetall', KEYS[1]) }`;

/**
 * Takes a run's lease if it is free, recording who took it, and reads the run back.
 * KEYS: the run's hash, its lease. ARGV: token, lease ms. Returns the hash (field, value...), or
 * false when another process holds the lease.
 */
const TAKE_SCRIPT = `
if not redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
if redis.call('exists', KEYS[1]) == 1 then redis.call('hset', KEYS[1], '${HOLDER}', ARGV[1]) end
return redis.call('hgetall', KEYS[1])`;

/**
 * Records a cancellation, unless the run has an outcome already (a completed run keeps it).
 * KEYS: the run's hash. ARGV: reason, retention ms. Returns the run's incarnation ('' for a run
 * never opened), or false (null) when it had completed.
 */
const CANCEL_SCRIPT = `
if redis.call('hexists', KEYS[1], '${OUTCOME}') == 1 then return false end
redis.call('hset', KEYS[1], '${CANCELLED}', ARGV[1])
redis.call('pexpire', KEYS[1], ARGV[2])
return redis.call('hget', KEYS[1], '${INCARNATION}') or ''`;

/**
 * Records a started run: its fingerprint, how it was started and its incarnation, unless the
 * `runId` is another run's. A new record expires after a grace, lifted once its job is added
 * (PERSIST_SCRIPT), so that a `start()` cut short in between leaves nothing behind.
 * KEYS: the run's hash. ARGV: fingerprint, start, new incarnation, grace ms.
 * Returns [the stored fingerprint, the run's incarnation (false if another run's)].
 */
const START_SCRIPT = `
redis.call('hsetnx', KEYS[1], '${FINGERPRINT}', ARGV[1])
local stored = redis.call('hget', KEYS[1], '${FINGERPRINT}')
if stored ~= ARGV[1] then return { stored, false } end
if redis.call('hsetnx', KEYS[1], '${START}', ARGV[2]) == 1 then redis.call('pexpire', KEYS[1], ARGV[4]) end
redis.call('hsetnx', KEYS[1], '${INCARNATION}', ARGV[3])
return { stored, redis.call('hget', KEYS[1], '${INCARNATION}') }`;

/**
 * A started run's job was added: its record no longer expires, unless it has ended meanwhile
 * (its retention counts then). KEYS: the run's hash. ARGV: incarnation.
 */
const PERSIST_SCRIPT = `
if redis.call('hget', KEYS[1], '${INCARNATION}') == ARGV[1] and redis.call('hexists', KEYS[1], '${OUTCOME}') == 0
  and redis.call('hexists', KEYS[1], '${CANCELLED}') == 0 then
  return redis.call('persist', KEYS[1])
end
return 0`;

/** `[field, value, field, value...]` as an object. */
function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

/** A new run's incarnation (see `INCARNATION`): a `runId` used again once its run was forgotten names another run. */
function newIncarnation(): string {
  return randomBytes(6).toString('base64url');
}

/** What a run is, so that a `runId` reused for another graph or other params is refused. */
function fingerprintOf(flow: string, nodes: readonly ExecutorNode[], params: Wire, failFast: boolean): string {
  const hash = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);
  const shape = nodes.map((n) => [n.name, n.kind, n.dependencies, n.queue ?? null]);
  return JSON.stringify({
    flow,
    graph: hash(JSON.stringify(shape)),
    params: hash(JSON.stringify(params)),
    // A completed run replays its stored outcome: in another mode it would be another outcome.
    mode: failFast ? 'fail fast' : 'settle',
  });
}

/** What every job of one run of this process is made of. */
interface OpenedRun {
  readonly flow: string;
  readonly runId: string;
  /** Which run of `runId` (`INCARNATION`). */
  readonly incarnation: string;
  /** The run's hash. */
  readonly key: string;
  /** The encoded `params`. */
  readonly params: Wire;
  /**
   * Whether the run was made before this invocation (a resume, or a replay): an attempt it
   * dispatches again may have ended while no process listened, and is read back from its job.
   */
  readonly resumed: boolean;
  /** The ids of the jobs this process added for it. */
  readonly jobs: Set<string>;
  /**
   * Set when this process lost the run's lease (another took the run over, or the run is gone):
   * from then on it writes nothing of the run and stops nothing of it elsewhere.
   */
  lost: boolean;
}

/** One attempt on a worker, from dispatch to outcome. */
interface PendingAttempt {
  readonly node: string;
  /** The run's hash, where its value is stored once it comes. */
  readonly key: string;
  readonly queue: string;
  readonly call: RemoteNodeCall;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  started: boolean;
}

/**
 * Runs the nodes that have a `queue` option on `DagWorker`s through BullMQ on Redis; give it as
 * `InvokeOptions.executor`. The scheduler stays the one of this process: each node is put on its
 * queue the moment its dependencies resolve, as one job per attempt with an id made of the run
 * id, the node and the attempt (dispatching an attempt twice adds nothing). Values cross as
 * described in the docs ("Running nodes on workers"); `params` that cannot cross make `invoke`
 * reject before any node starts. When a run stops (fail fast, cancellation), its jobs still
 * waiting are removed and the workers running its nodes abort their `ctx.signal`.
 *
 * @example
 * const executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: 6379 } });
 * const result = await flow.invoke(params, { executor, runId: 'report-2026-12-03' });
 * await executor.close();
 */
export class BullmqExecutor implements DagExecutor {
  readonly #connection: BullmqExecutorOptions['connection'];
  readonly #prefix: string;
  /** ms a run's stored state is kept after its last invocation ended (`retention`). */
  readonly #retention: number;
  readonly #queues = new Map<string, Queue>();
  readonly #events = new Map<string, Promise<QueueEvents>>();
  readonly #pending = new Map<string, PendingAttempt>();
  /** Leases of the runs this executor orchestrates, renewed until they end. */
  readonly #leases = new Set<ReturnType<typeof setInterval>>();
  /** How to cancel each run this executor orchestrates, by run id: for `cancel()` from any process. */
  readonly #cancels = new Map<string, (reason: unknown) => void>();
  /** Stops each run this executor orchestrates: `close()` ends them all at once. */
  readonly #stops = new Set<() => void>();
  /** How many of this executor's runs and waits listen to each run's channel. */
  readonly #subscriptions = new Map<string, { count: number; ready: Promise<unknown> }>();
  /** Wakes each `wait()` in this process when its run's outcome is stored, by encoded run id. */
  readonly #waiters = new Map<string, Set<() => void>>();
  /** The queues of runs started with `start()`, by flow name. */
  readonly #runQueues = new Map<string, Queue>();
  /**
   * `true` for the executors that orchestrate started runs and rebuild their outcomes (made by a
   * `DagWorker` serving runs, and by `wait()`): asked for every run of a named flow, also one
   * with no node on a queue, so that its nodes' results are stored. `false` for the executors
   * users make: a flow with no node on a queue, invoked with one, runs here as without it.
   */
  readonly durable: boolean;
  /** The executor `wait()` rebuilds outcomes with (durable for every run), made on first use. */
  #rebuilder: BullmqExecutor | undefined;
  /** Commands of our own (stored results, stop messages), made on first use. */
  #client: Redis | undefined;
  /** Listens to the workers' outcome channel, subscribed before the first job is added. */
  #listening: Promise<Redis> | undefined;
  #closed = false;

  /** @internal Made by {@link bullmqExecutor}; `everyRun` by the orchestrators of started runs. */
  constructor(options: BullmqExecutorOptions, everyRun = false) {
    this.durable = everyRun;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected bullmqExecutor options { connection, prefix? }, got ${shown(options)}`);
    }
    const { connection } = options;
    const prefix = options.prefix ?? 'async-dag';
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof connection !== 'object' || connection === null) {
      throw new TypeError(
        `Expected \`connection\` to be ioredis options or an ioredis instance, got ${shown(connection)}`,
      );
    }
    if (typeof prefix !== 'string' || prefix === '') {
      throw new TypeError(`Expected \`prefix\` to be a non-empty string, got ${shown(prefix)}`);
    }
    const retention = options.retention ?? DEFAULT_RETENTION_MS;
    if (typeof retention !== 'number' || !Number.isSafeInteger(retention) || retention < 1) {
      throw new TypeError(
        `Expected \`retention\` to be a whole number of ms from 1 and up, got ${shown(options.retention)}`,
      );
    }
    this.#connection = connection;
    this.#prefix = prefix;
    this.#retention = retention;
  }

  /**
   * @internal Called by `invoke`, once per run with queued nodes. Reads what the run stored
   * (a run invoked again with its `runId`), and refuses a `runId` stored for another graph or
   * other `params`.
   */
  startRun(run: ExecutorRunStart): Promise<ExecutorRun> {
    if (this.#closed) throw executorClosed(undefined);
    let params: Wire;
    try {
      params = encodeValue(run.params, 'params');
    } catch (error) {
      if (error instanceof WireValueError) throw unserializable(error, undefined);
      throw error;
    }
    return this.#open(run, params);
  }

  /**
   * Tries to take a run's lease until the current holder's would have lapsed (LEASE_MS and a
   * margin). Returns what the run stored, read with the lease taken, or `undefined` when a live
   * process kept renewing it (or `signal` aborted).
   */
  async #awaitLease(
    client: Redis,
    key: string,
    leaseKey: string,
    token: string,
    signal: AbortSignal,
  ): Promise<Record<string, string> | undefined> {
    const deadline = Date.now() + LEASE_MS + LEASE_MS / 6;
    while (Date.now() < deadline && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 12));
      const taken = (await client.eval(TAKE_SCRIPT, 2, key, leaseKey, token, LEASE_MS)) as string[] | null;
      if (taken !== null) return fieldsOf(taken);
    }
    return undefined;
  }

  async #open(run: ExecutorRunStart, params: Wire): Promise<ExecutorRun> {
    const channel = outcomeChannelOf(this.#prefix, run.runId);
    // Listening to the run's channel (its outcomes, a cancellation) before reading what it
    // stored: a cancel() marks the run, then publishes, so it is either read or heard.
    await this.#subscribe(channel).catch((error: unknown) => {
      throw this.#failure(error);
    });
    let listening = true;
    const unlisten = (): void => {
      if (!listening) return;
      listening = false;
      this.#unsubscribe(channel);
    };
    try {
      return await this.#opened(run, params, unlisten);
    } catch (error) {
      unlisten();
      throw this.#failure(error);
    }
  }

  /** Opens a run whose channel this executor listens to; `unlisten` stops listening (once). */
  async #opened(run: ExecutorRunStart, params: Wire, unlisten: () => void): Promise<ExecutorRun> {
    const { runId, flow, signal } = run;
    const client = this.#clientOf();
    const key = runKeyOf(this.#prefix, runId);
    const fingerprint = fingerprintOf(flow, run.nodes, params, run.failFast);
    const leaseKey = `${key}:lease`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const dropLease = (): void => void client.eval(RELEASE_SCRIPT, 1, leaseKey, token).catch(() => undefined);
    // An invoked run's stored state is kept while the run is orchestrated (renewed with its lease,
    // so a `retention` shorter than a renewal loses nothing), and `retention` after that.
    const keep = this.#retention + LEASE_MS;
    // The lease taken, the run recorded if it is new, and everything it stored read back, at once.
    const [leased, made, flat] = (await client.eval(
      OPEN_SCRIPT,
      2,
      key,
      leaseKey,
      token,
      LEASE_MS,
      fingerprint,
      newIncarnation(),
      keep,
    )) as [number, number, string[]];
    // Closed while opening: the run must not begin on connections that are gone.
    if (this.#closed) throw executorClosed(undefined);
    // No incarnation written: the run was there before.
    const resumed = made === 0;
    let fields = fieldsOf(flat);
    // An outcome is written only for a run that ended so; a cancel racing that end loses.
    if (fields[OUTCOME] !== undefined) {
      // A run that completed is only read: any number of processes may, at once, with no lease.
      if (leased === 1) dropLease();
      return this.#completed(run, params, fields, fingerprint, unlisten);
    }
    // Another run's id: refused at once, whoever holds its lease.
    const refusal = this.#mismatchOf(run, fields, fingerprint);
    if (refusal !== undefined) {
      if (leased === 1) dropLease();
      throw refusal;
    }
    if (leased !== 1) {
      // Another process holds the lease. A live one renews it every LEASE_MS / 3; one that died
      // (the usual reason to invoke a runId again) lets it lapse within LEASE_MS. So wait that
      // long for it before refusing: a resume right after a crash must not be turned away.
      const taken = await this.#awaitLease(client, key, leaseKey, token, signal);
      if (taken === undefined) {
        if (signal.aborted) throw new DagAbortedError(signal.reason);
        throw runInProgress(runId, LEASE_MS);
      }
      fields = taken;
      // It completed while this invocation waited for its lease.
      if (fields[OUTCOME] !== undefined) {
        dropLease();
        return this.#completed(run, params, fields, fingerprint, unlisten);
      }
      // Read again with the lease: the run may have been made anew meanwhile.
      const remade = this.#mismatchOf(run, fields, fingerprint);
      if (remade !== undefined) {
        dropLease();
        throw remade;
      }
    }
    const cancelled = fields[CANCELLED];
    if (cancelled !== undefined) {
      dropLease();
      throw new DagAbortedError(`run "${runId}" was cancelled: ${cancelled}`);
    }
    const incarnation = fields[INCARNATION] ?? '';
    const cancel = (reason: unknown): void => {
      run.cancel(reason);
    };
    // A started run has no expiry until it ends (`#ended`); an invoked one is kept while it runs.
    const started = fields[START] !== undefined;
    const renewal = setInterval(() => {
      const renewing = client
        .multi()
        .eval(RENEW_SCRIPT, 2, leaseKey, key, token, LEASE_MS, incarnation)
        .hget(key, CANCELLED);
      if (!started) renewing.pexpire(key, keep);
      renewing
        .exec()
        .then((renewed) => {
          if (!this.#leases.has(renewal)) return;
          const [, kept] = renewed?.[0] ?? [];
          const [, reason] = renewed?.[1] ?? [];
          // A cancel() whose message this process missed (its subscriber was reconnecting).
          if (typeof reason === 'string') cancel(`run "${runId}" was cancelled: ${reason}`);
          // The lease was taken: this process stalled past it, and another resumed the run. It
          // stops here without a word to the workers, whose attempts are now the other's.
          else if (kept === 0) {
            opened.lost = true;
            release(false);
            run.stop(leaseLost(runId, LEASE_MS));
          }
        })
        .catch(() => undefined);
    }, LEASE_MS / 3);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unref exists in Node, not in every runtime
    renewal.unref?.();
    this.#leases.add(renewal);
    const stop = (): void => run.stop(closedMidRun(runId));
    this.#stops.add(stop);
    // `ours` when this process orchestrated the run to here: an invoked run is then kept
    // `retention` from now (a started one, from its outcome). A run taken over by another
    // process is left as it is.
    const release = (ours = true): void => {
      this.#stops.delete(stop);
      if (!this.#leases.delete(renewal)) return;
      clearInterval(renewal);
      if (this.#cancels.get(runId) === cancel) this.#cancels.delete(runId);
      if (ours && !started) client.pexpire(key, this.#retention).catch(() => undefined);
      dropLease();
      unlisten();
    };
    this.#cancels.set(runId, cancel);
    let values: Map<string, unknown>;
    let failures: Map<string, unknown>;
    try {
      ({ values, failures } = storedOutcomes(fields));
    } catch (thrown) {
      release();
      throw thrown;
    }
    const immediates = new Set(run.nodes.filter((n) => n.kind === 'immediate').map((n) => n.name));
    const opened: OpenedRun = { flow, runId, incarnation, key, params, resumed, jobs: new Set(), lost: false };
    // A signal that aborted while the run opened is the engine's to report (it ends the run, and
    // `#ended` announces the stop); one that aborts later stops the jobs dispatched here.
    signal.addEventListener('abort', () => this.#stopRun(opened, signal.reason), { once: true });
    return {
      runNode: (call) => this.#runNode(opened, call),
      end: (error) => {
        if (!opened.lost) this.#ended(runId, incarnation, key, error);
        release();
      },
      stored: (node) => storedOf(values, failures, node),
      failed: (node, error) => {
        if (failures.has(node) || this.#closed || opened.lost) return;
        client.hset(key, FAILED + node, JSON.stringify(errorWire(error))).catch(() => undefined);
      },
      attemptsMade: (node) => Number(fields[ATTEMPTS + node] ?? 0) || 0,
      // Awaited before the body starts, so a kill while it runs leaves the attempt counted.
      attempted: async (node, attempt) => {
        if (!this.#closed && !opened.lost)
          await client.hset(key, ATTEMPTS + node, String(attempt)).catch(() => undefined);
      },
      fulfilled: (node, value, crosses) => {
        if (values.has(node) || this.#closed || opened.lost) return;
        let wire: Wire;
        try {
          wire = encodeValue(value, 'result');
        } catch (error) {
          // A value a worker needs fails its node here. Any other that cannot be stored stays in
          // memory only: on a resume, its node runs again.
          if (crosses) throw error instanceof WireValueError ? unserializable(error, node) : error;
          return;
        }
        // Immediates are recomputed on a resume, never stored.
        if (!immediates.has(node)) client.hset(key, VALUE + node, JSON.stringify(wire)).catch(() => undefined);
      },
    };
  }

  /** Listens to a run's channel (counted: several runs and waits of this process may share it). */
  async #subscribe(channel: string): Promise<void> {
    let subscription = this.#subscriptions.get(channel);
    if (subscription === undefined) {
      const ready = this.#listen().then((subscriber) => subscriber.subscribe(channel));
      this.#subscriptions.set(channel, (subscription = { count: 0, ready }));
      ready.catch(() => {
        if (this.#subscriptions.get(channel) === subscription) this.#subscriptions.delete(channel);
      });
    }
    subscription.count++;
    await subscription.ready;
  }

  #unsubscribe(channel: string): void {
    const subscription = this.#subscriptions.get(channel);
    if (subscription === undefined || --subscription.count > 0) return;
    this.#subscriptions.delete(channel);
    this.#listening?.then((subscriber) => subscriber.unsubscribe(channel)).catch(() => undefined);
  }

  #wake(encodedRunId: string): void {
    const waiters = this.#waiters.get(encodedRunId);
    if (waiters !== undefined) for (const wake of [...waiters]) wake();
  }

  /**
   * A run this process orchestrated ended: its outcome is stored and announced, when it has one
   * (`invoke` resolved, or it failed fast); a cancelled one (its caller's signal, `cancel()`) is
   * marked cancelled. A run whose executor was closed has neither: it can be resumed.
   */
  #ended(runId: string, incarnation: string, key: string, error: Error | undefined): void {
    if (this.#closed) return;
    if (error instanceof DagAbortedError) {
      // Cancelled (its caller's signal, or `cancel()`): marked so, it is never resumed, and
      // announced, so that workers refuse its jobs still queued (also those an orchestrator
      // before this one added, when the signal aborted while the run opened) and waits wake.
      const message: OutcomeMessage = { cancel: error.message };
      this.#clientOf()
        .multi()
        .hsetnx(key, CANCELLED, error.message)
        .pexpire(key, this.#retention)
        .publish(stopChannelOf(this.#prefix), stoppedRunOf(runId, incarnation))
        .publish(outcomeChannelOf(this.#prefix, runId), JSON.stringify(message))
        .exec()
        .catch(() => undefined);
      return;
    }
    const status = error === undefined ? 'fulfilled' : error instanceof NodeFailedError ? 'rejected' : undefined;
    if (status === undefined) return;
    storedOutcome(this.#clientOf().multi(), this.#prefix, runId, status)
      .pexpire(key, this.#retention)
      .exec()
      .catch(() => undefined);
  }

  /**
   * The side of a run that completed, invoked again (or replayed by `wait()`): its nodes' stored
   * outcomes, and nothing written. A node whose value could not be stored runs again, here only.
   */
  #completed(
    run: ExecutorRunStart,
    params: Wire,
    fields: Record<string, string>,
    fingerprint: string,
    unlisten: () => void,
  ): ExecutorRun {
    const { runId, flow } = run;
    try {
      const failed = fields[ERROR];
      if (failed !== undefined) throw decodeValue(JSON.parse(failed) as Wire);
      const refusal = this.#mismatchOf(run, fields, fingerprint);
      if (refusal !== undefined) throw refusal;
      const { values, failures } = storedOutcomes(fields);
      const opened: OpenedRun = {
        flow,
        runId,
        incarnation: fields[INCARNATION] ?? '',
        key: runKeyOf(this.#prefix, runId),
        params,
        resumed: true,
        jobs: new Set(),
        lost: false,
      };
      return {
        runNode: (call) => this.#runNode(opened, call),
        end: unlisten,
        stored: (node) => storedOf(values, failures, node),
        attemptsMade: (node) => Number(fields[ATTEMPTS + node] ?? 0) || 0,
      };
    } catch (error) {
      unlisten();
      throw error;
    }
  }

  /** `RUN_MISMATCH` when the run's stored fingerprint is another run's (flow, graph, params or mode). */
  #mismatchOf(run: ExecutorRunStart, fields: Record<string, string>, fingerprint: string): DagError | undefined {
    const stored = fields[FINGERPRINT];
    if (stored === undefined || stored === fingerprint) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- both are fingerprints this module wrote as JSON
    return runMismatch(run.runId, run.flow, JSON.parse(stored), JSON.parse(fingerprint));
  }

  /** What a Redis command failed with; `EXECUTOR_CLOSED` when `close()` cut it short. */
  #failure(error: unknown): unknown {
    return this.#closed && !(error instanceof DagError) ? executorClosed(undefined) : error;
  }

  #clientOf(): Redis {
    if (this.#closed) throw executorClosed(undefined);
    if (this.#client === undefined) {
      this.#client = redisClientFor(this.#connection);
      this.#client.on('error', () => undefined);
    }
    return this.#client;
  }

  /**
   * Cancels the run `runId` from any process that can reach its Redis: the process orchestrating
   * it (if one lives) stops it, so its `invoke` rejects with `DagAbortedError` (whose `cause` says
   * `reason`) and its jobs still waiting are removed; workers abort the `ctx.signal` of its nodes
   * running and refuse its jobs still queued; invoking that `runId` again rejects with
   * `DagAbortedError` and runs nothing (for as long as the run is kept). Resolves once the
   * cancellation is recorded and announced, not when every node has stopped. Cancelling a run
   * that completed changes nothing: it keeps its outcome.
   *
   * @example
   * // in an admin endpoint, any process
   * await executor.cancel('import-2026-12-03', 'cancelled by an operator');
   */
  async cancel(runId: string, reason = 'cancelled by executor.cancel()'): Promise<void> {
    checkRunId(runId);
    if (typeof reason !== 'string') {
      throw new TypeError(`Expected \`reason\` to be a string or undefined, got ${shown(reason)}`);
    }
    if (this.#closed) throw executorClosed(undefined);
    const client = this.#clientOf();
    const key = runKeyOf(this.#prefix, runId);
    const message: OutcomeMessage = { cancel: reason };
    try {
      // Recorded first, then announced: an orchestrator opening the run meanwhile reads one or hears the other.
      const incarnation = (await client.eval(CANCEL_SCRIPT, 1, key, reason, this.#retention)) as string | null;
      // A run that completed keeps its outcome: there is nothing to stop.
      if (incarnation === null) return;
      await Promise.all([
        client.publish(outcomeChannelOf(this.#prefix, runId), JSON.stringify(message)),
        // A run never opened has no incarnation, and no job to refuse.
        incarnation === '' ? undefined : client.publish(stopChannelOf(this.#prefix), stoppedRunOf(runId, incarnation)),
      ]);
    } catch (error) {
      throw this.#failure(error);
    }
  }

  /**
   * Starts a run that outlives this process: it is put on the flow's queue of runs, and a
   * `DagWorker` given the flow and `runs: true` (in any process) orchestrates it as `invoke`
   * would, with this executor's `retention`. When that process dies, another such worker takes
   * the run over once the job's lock expires and resumes it (nothing stored runs again). Resolves
   * with the run's id once the run is recorded; read its outcome with {@link BullmqExecutor.wait}
   * or {@link BullmqExecutor.status} from any process, cancel it with {@link BullmqExecutor.cancel}.
   * Starting a `runId` that was started already starts nothing new (the same run goes on, or its
   * outcome stays); with another flow or other `params`, it rejects with `RUN_MISMATCH`. `params`
   * that cannot cross reject with `UNSERIALIZABLE_VALUE`.
   *
   * @example
   * const runId = await executor.start(new ImportFlow(deps), { file: 'orders.csv' }, { runId: 'import-2026-12-04' });
   */
  async start<F extends object>(flow: F, params: FlowParams<F>, options: StartOptions = {}): Promise<string> {
    if (this.#closed) throw executorClosed(undefined);
    const served = servedFlow(flow, 'flow');
    const { runId, failFast, concurrency } = startOptionsOf(options);
    const name = served.graph.name!;
    let wire: Wire;
    try {
      wire = encodeValue(params, 'params');
    } catch (error) {
      if (error instanceof WireValueError) throw unserializable(error, undefined);
      throw error;
    }
    const data: RunJobData = {
      v: WIRE_VERSION,
      flow: name,
      runId,
      params: wire,
      failFast,
      concurrency: concurrency ?? null,
      retention: this.#retention,
    };
    const fingerprint = fingerprintOf(name, executorNodesOf(served.graph), wire, failFast);
    const key = runKeyOf(this.#prefix, runId);
    // No expiry once its job is added: `retention` counts from when the run ends (its
    // orchestrator sets it), not while it waits for a worker serving runs.
    const [stored, incarnation] = (await this.#clientOf()
      .eval(START_SCRIPT, 1, key, fingerprint, JSON.stringify(data), newIncarnation(), START_GRACE_MS)
      .catch((error: unknown) => {
        throw this.#failure(error);
      })) as [string, string | null];
    if (incarnation === null) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- both are fingerprints this module wrote as JSON
      throw runMismatch(runId, name, JSON.parse(stored), JSON.parse(fingerprint));
    }
    const age = Math.ceil(this.#retention / 1000);
    try {
      await this.#runQueueOf(name).add('run', { ...data, incarnation } satisfies RunJob, {
        jobId: runJobIdOf(runId, incarnation),
        // A run whose orchestrator was closed (a deploy) goes back to the queue for another.
        attempts: RUN_JOB_ATTEMPTS,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: { age },
      });
      // Also for a start() made again after one cut short before its job was added.
      await this.#clientOf().eval(PERSIST_SCRIPT, 1, key, incarnation);
    } catch (error) {
      throw this.#failure(error);
    }
    return runId;
  }

  /**
   * Waits for a run started with {@link BullmqExecutor.start} (from any process) to end, and
   * settles as its `invoke` would have: resolves with its result (typed by `flow`, which must be
   * the run's flow), rejects with its `NodeFailedError` when it failed fast, with
   * `DagAbortedError` when it was cancelled (or `options.signal` aborted: the run goes on). The
   * result is rebuilt here from what the run stored, running nothing (a node whose value could
   * not be stored runs again; its trace is this rebuild's). Reading the outcome removes the run's
   * state from Redis (its node jobs at once, its stored values a minute later, so that other
   * waiters read them too). Rejects with a `DagError` `UNKNOWN_RUN` for a `runId` that was never
   * started or is past its retention, and `NOT_STARTED` for a run that was invoked, not started.
   *
   * @example
   * const result = await executor.wait(new ImportFlow(deps), 'import-2026-12-04');
   */
  async wait<F extends object>(flow: F, runId: string, options: WaitOptions = {}): Promise<FlowResult<F>> {
    checkRunId(runId);
    const served = servedFlow(flow, 'flow');
    const signal = waitSignalOf(options);
    if (this.#closed) throw executorClosed(undefined);
    if (signal?.aborted === true) throw new DagAbortedError(signal.reason);
    const { data, incarnation } = await this.#awaitOutcome(runId, signal);
    let forget = true;
    try {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have run while this awaited
      if (this.#closed) throw executorClosed(undefined);
      this.#rebuilder ??= new BullmqExecutor(
        { connection: this.#connection, prefix: this.#prefix, retention: this.#retention },
        true,
      );
      return (await invokeFlow(served, decodeValue(data.params), {
        executor: this.#rebuilder,
        runId,
        failFast: data.failFast,
        ...(data.concurrency === null ? {} : { concurrency: data.concurrency }),
      })) as FlowResult<F>;
    } catch (error) {
      // Only the run's own outcome is read; a refusal (another flow, a replay in progress) leaves it.
      forget = error instanceof NodeFailedError;
      throw error;
    } finally {
      if (forget) this.#forget(runId, incarnation, served.graph);
    }
  }

  /** Resolves with how a started run was started (and its incarnation), once its outcome is stored. */
  async #awaitOutcome(
    runId: string,
    signal: AbortSignal | undefined,
  ): Promise<{ data: RunJobData; incarnation: string }> {
    const client = this.#clientOf();
    const key = runKeyOf(this.#prefix, runId);
    const channel = outcomeChannelOf(this.#prefix, runId);
    const encoded = encodeIdPart(runId);
    let wake: (() => void) | undefined;
    const waiter = (): void => wake?.();
    let waiters = this.#waiters.get(encoded);
    if (waiters === undefined) this.#waiters.set(encoded, (waiters = new Set()));
    waiters.add(waiter);
    let listening = false;
    try {
      // Listening first, then reading: an outcome stored meanwhile is either read or heard.
      await this.#subscribe(channel);
      listening = true;
      for (;;) {
        const fields = await client.hgetall(key);
        if (fields[FINGERPRINT] === undefined) throw unknownRun(runId);
        const start = fields[START];
        if (start === undefined) throw notStarted(runId);
        const failed = fields[ERROR];
        // No process could orchestrate it to its end (RUN_FAILED): there is nothing to rebuild.
        if (failed !== undefined) throw decodeValue(JSON.parse(failed) as Wire);
        // An outcome wins over a cancel that raced the run's end.
        if (fields[OUTCOME] !== undefined) {
          return { data: JSON.parse(start) as RunJobData, incarnation: fields[INCARNATION] ?? '' };
        }
        const cancelled = fields[CANCELLED];
        if (cancelled !== undefined) throw new DagAbortedError(`run "${runId}" was cancelled: ${cancelled}`);
        if (this.#closed) throw executorClosed(undefined);
        await new Promise<void>((resolve) => {
          // Heard on the run's channel, or read again after a while (a message lost to a reconnect).
          const timer = setTimeout(done, LEASE_MS);
          function done(): void {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          }
          wake = done;
          signal?.addEventListener('abort', done, { once: true });
        });
        signal?.throwIfAborted();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have run while this awaited
        if (this.#closed) throw executorClosed(undefined);
      }
    } catch (error) {
      if (signal?.aborted === true && !(error instanceof DagError)) throw new DagAbortedError(signal.reason);
      throw this.#failure(error);
    } finally {
      waiters.delete(waiter);
      if (waiters.size === 0 && this.#waiters.get(encoded) === waiters) this.#waiters.delete(encoded);
      if (listening) this.#unsubscribe(channel);
    }
  }

  /**
   * Where the run `runId` is, read from Redis in one round trip (see {@link RunStatus}): from any
   * process, for a run invoked with this executor's kind or started with `start()`.
   *
   * @example
   * const status = await executor.status('import-2026-12-04'); // 'running'
   */
  async status(runId: string): Promise<RunStatus> {
    checkRunId(runId);
    if (this.#closed) throw executorClosed(undefined);
    const key = runKeyOf(this.#prefix, runId);
    const replies = await this.#clientOf()
      .multi()
      .hmget(key, FINGERPRINT, CANCELLED, OUTCOME)
      .exists(`${key}:lease`)
      .exec()
      .catch((error: unknown) => {
        throw this.#failure(error);
      });
    const [error, fields] = replies?.[0] ?? [new Error('no reply from Redis'), undefined];
    const [leaseError, leased] = replies?.[1] ?? [new Error('no reply from Redis'), undefined];
    if (error) throw error;
    if (leaseError) throw leaseError;
    const [fingerprint, cancelled, outcome] = fields as (string | null)[];
    if (outcome === 'fulfilled' || outcome === 'rejected') return outcome;
    if (cancelled !== null && cancelled !== undefined) return 'cancelled';
    if (leased === 1) return 'running';
    return fingerprint === null || fingerprint === undefined ? 'unknown' : 'pending';
  }

  /**
   * The outcome of a run was read: its node jobs are removed now (their values are in the run's
   * hash), and the hash after READ_GRACE_MS, so that other waiters can still read it.
   */
  #forget(runId: string, incarnation: string, graph: Parameters<typeof executorNodesOf>[0]): void {
    if (this.#closed) return;
    const key = runKeyOf(this.#prefix, runId);
    this.#clientOf()
      .pexpire(key, Math.min(READ_GRACE_MS, this.#retention))
      .catch(() => undefined);
    for (let i = 0; i < graph.size; i++) {
      const queue = graph.options[i]?.queue;
      if (queue === undefined) continue;
      const attempts = 1 + (graph.options[i]?.retry?.retries ?? 0);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        this.#queueOf(queue)
          .remove(jobIdOf(runId, incarnation, graph.names[i]!, attempt))
          .catch(() => undefined);
      }
    }
  }

  #runQueueOf(flow: string): Queue {
    if (this.#closed) throw executorClosed(undefined);
    let queue = this.#runQueues.get(flow);
    if (queue === undefined) {
      queue = new Queue(runsQueueOf(flow), { connection: this.#connection, prefix: this.#prefix });
      queue.on('error', () => undefined);
      this.#runQueues.set(flow, queue);
    }
    return queue;
  }

  /**
   * Stops dispatching, rejects the attempts still on workers with a `DagError`
   * `EXECUTOR_CLOSED` (their jobs stay in Redis), and closes its connections.
   *
   * @example
   * process.on('SIGTERM', () => void executor.close());
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Each wait() in flight rejects with EXECUTOR_CLOSED.
    for (const waiters of [...this.#waiters.values()]) for (const wake of [...waiters]) wake();
    // Leases lapse on their own: a run still in flight can be resumed once its lease expires.
    for (const renewal of this.#leases) clearInterval(renewal);
    this.#leases.clear();
    // Each run in flight ends now, in either mode: its nodes' failures are not theirs to retry.
    const stops = [...this.#stops];
    this.#stops.clear();
    for (const stop of stops) stop();
    for (const [jobId, pending] of this.#pending) {
      this.#pending.delete(jobId);
      pending.reject(executorClosed(pending.node));
    }
    const events = await Promise.allSettled(this.#events.values());
    await Promise.allSettled([
      ...[...this.#queues.values(), ...this.#runQueues.values()].map((queue) => queue.close()),
      ...events.map((e) => (e.status === 'fulfilled' ? e.value.close() : undefined)),
    ]);
    this.#client?.disconnect();
    const listening = await this.#listening?.catch(() => undefined);
    listening?.disconnect();
    await this.#rebuilder?.close();
  }

  async #runNode(run: OpenedRun, call: RemoteNodeCall): Promise<unknown> {
    const { flow, runId, incarnation, key, params, jobs } = run;
    if (this.#closed) throw executorClosed(call.node);
    const args = new Array<Wire>(call.args.length);
    for (let d = 0; d < args.length; d++) {
      try {
        args[d] = encodeValue(call.args[d], 'result');
      } catch (error) {
        if (!(error instanceof WireValueError)) throw error;
        const dagError = unserializable(error, call.dependencies[d]);
        throw new DagError(
          'UNSERIALIZABLE_VALUE',
          `Node "${call.node}" runs on queue "${call.queue}" and cannot receive the value of its dependency ` +
            `"${call.dependencies[d]}": ${dagError.message}`,
          { cause: error },
        );
      }
    }
    const { node, queue: queueName, attempt, signal } = call;
    // Listening before the first add, so that no outcome is missed.
    await this.#eventsOf(queueName);
    signal.throwIfAborted();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have run while this awaited
    if (this.#closed) throw executorClosed(node);
    const jobId = jobIdOf(runId, incarnation, node, attempt);
    const outcome = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(jobId, { node, key, queue: queueName, call, resolve, reject, started: false });
    });
    // The outcome can come (on the run's channel) before `add` has answered, while nothing awaits
    // it yet: marked handled, so that an early failure is not an unhandled rejection.
    outcome.catch(() => undefined);
    jobs.add(jobId);
    const data: NodeJobData = {
      v: WIRE_VERSION,
      flow,
      node,
      runId,
      incarnation,
      attempt,
      timeout: call.timeout ?? null,
      params,
      args,
    };
    try {
      await this.#queueOf(queueName).add(node, data, {
        jobId,
        attempts: 1,
        // BullMQ removes a finished job older than this when a later job of its queue finishes.
        removeOnComplete: { age: Math.ceil(this.#retention / 1000) },
        removeOnFail: { age: Math.ceil(this.#retention / 1000) },
      });
    } catch (error) {
      this.#pending.delete(jobId);
      jobs.delete(jobId);
      throw error;
    }
    // An attempt of a resumed run may have ended while no process listened, its outcome kept only
    // by its job: BullMQ's `duplicated` event says so, but a fresh QueueEvents can miss it.
    if (run.resumed) void this.#readFinished(queueName, jobId);
    return outcome;
  }

  #queueOf(name: string): Queue {
    if (this.#closed) throw executorClosed(undefined);
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new Queue(name, { connection: this.#connection, prefix: this.#prefix });
      queue.on('error', () => undefined);
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** The queue's events, listened to before its first job is added so no outcome is missed. */
  #eventsOf(name: string): Promise<QueueEvents> {
    if (this.#closed) return Promise.reject(executorClosed(undefined));
    let events = this.#events.get(name);
    if (events === undefined) {
      const queueEvents = new QueueEvents(name, { connection: this.#connection, prefix: this.#prefix });
      queueEvents.on('error', () => undefined);
      queueEvents.on('active', ({ jobId }: { jobId: string }) => this.#started(jobId));
      queueEvents.on('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) =>
        this.#settle(jobId, returnvalue),
      );
      queueEvents.on('failed', ({ jobId, failedReason }: { jobId: string; failedReason: string }) =>
        this.#failed(jobId, failedReason),
      );
      // An attempt dispatched again (a retried orchestrator, a resumed run) may have ended already.
      queueEvents.on('duplicated', ({ jobId }: { jobId: string }) => void this.#readFinished(name, jobId));
      events = queueEvents.waitUntilReady().then(() => queueEvents);
      this.#events.set(name, events);
      events.catch(() => this.#events.delete(name));
    }
    return events;
  }

  #listen(): Promise<Redis> {
    if (this.#closed) return Promise.reject(executorClosed(undefined));
    if (this.#listening === undefined) {
      const subscriber = redisClientFor(this.#connection);
      subscriber.on('error', () => undefined);
      const channels = outcomeChannelOf(this.#prefix, '');
      subscriber.on('message', (from: string, text: string) => {
        if (!from.startsWith(channels)) return;
        let message: OutcomeMessage;
        try {
          message = JSON.parse(text) as OutcomeMessage;
        } catch {
          return;
        }
        if ('done' in message) this.#wake(from.slice(channels.length));
        else if ('cancel' in message) {
          this.#cancelled(from.slice(channels.length), message.cancel);
          this.#wake(from.slice(channels.length));
        } else if ('outcome' in message) this.#settle(message.id, message.outcome);
        else this.#started(message.id);
      });
      this.#listening = subscriber.connect().then(
        () => subscriber,
        (error: unknown) => {
          // Already connecting or connected (ioredis connects on its own unless lazyConnect).
          if (subscriber.status === 'ready' || subscriber.status === 'connecting' || subscriber.status === 'connect') {
            return subscriber;
          }
          throw error;
        },
      );
      this.#listening.catch(() => {
        this.#listening = undefined;
        subscriber.disconnect();
      });
    }
    return this.#listening;
  }

  /** `cancel()` was called for a run, maybe in another process: if this process orchestrates it, it stops. */
  #cancelled(encodedRunId: string, reason: string): void {
    for (const [runId, cancel] of this.#cancels) {
      if (encodeIdPart(runId) === encodedRunId) cancel(`run "${runId}" was cancelled: ${reason}`);
    }
  }

  #started(jobId: string): void {
    const pending = this.#pending.get(jobId);
    if (pending === undefined || pending.started) return;
    pending.started = true;
    pending.call.started();
  }

  #settle(jobId: string, returnvalue: unknown): void {
    const pending = this.#pending.get(jobId);
    if (pending === undefined) return;
    this.#pending.delete(jobId);
    if (!pending.started) {
      pending.started = true;
      pending.call.started();
    }
    try {
      const outcome = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as NodeOutcome;
      if (outcome.ok) {
        const value = decodeValue(outcome.value);
        // Stored with the run, so that its outcome outlives the job (removed once the outcome is read).
        if (!this.#closed) {
          this.#clientOf()
            .hset(
              pending.key,
              VALUE + pending.node,
              JSON.stringify(outcome.value),
              ATTEMPTS + pending.node,
              pending.call.attempt,
            )
            .catch(() => undefined);
        }
        pending.resolve(value);
      } else pending.reject(decodeValue(outcome.error));
    } catch (error) {
      pending.reject(error);
    }
  }

  #failed(jobId: string, failedReason: string): void {
    const pending = this.#pending.get(jobId);
    if (pending === undefined) return;
    this.#pending.delete(jobId);
    pending.reject(
      new DagError(
        'WORKER_FAILED',
        `Node "${pending.node}" failed on a worker of queue "${pending.queue}" outside its body: ${failedReason}`,
      ),
    );
  }

  async #readFinished(queueName: string, jobId: string): Promise<void> {
    if (!this.#pending.has(jobId)) return;
    try {
      const job = await this.#queueOf(queueName).getJob(jobId);
      if (job?.finishedOn === undefined) return;
      if (job.returnvalue !== undefined && job.returnvalue !== null) this.#settle(jobId, job.returnvalue);
      else this.#failed(jobId, job.failedReason);
    } catch {
      // Its events will still come.
    }
  }

  /** The run stopped: drop its attempts, remove its waiting jobs, and tell workers to abort the rest. */
  #stopRun({ runId, incarnation, jobs, lost }: OpenedRun, reason: unknown): void {
    const waiting: [jobId: string, queue: string][] = [];
    for (const jobId of jobs) {
      const pending = this.#pending.get(jobId);
      if (pending === undefined) continue;
      this.#pending.delete(jobId);
      if (!pending.started) waiting.push([jobId, pending.queue]);
      pending.reject(reason instanceof Error ? reason : new DagAbortedError(reason));
    }
    if (this.#closed || lost) return;
    this.#clientOf()
      .publish(stopChannelOf(this.#prefix), stoppedRunOf(runId, incarnation))
      .catch(() => undefined);
    for (const [jobId, queue] of waiting) {
      // Fails for a job a worker has just taken (locked): that worker aborts it on the message above.
      this.#queueOf(queue)
        .remove(jobId)
        .catch(() => undefined);
    }
  }
}

/**
 * An executor that runs the nodes that have a `queue` option on `DagWorker`s, through BullMQ on
 * Redis. `prefix` (default `'async-dag'`) must be the same on the workers. Close it when the
 * process shuts down.
 *
 * @example
 * const executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: 6379 } });
 * const result = await flow.invoke(params, { executor });
 */
export function bullmqExecutor(options: BullmqExecutorOptions): BullmqExecutor {
  return new BullmqExecutor(options);
}

/** Reads `start()`'s options: own keys only, each checked. */
function startOptionsOf(options: unknown): { runId: string; failFast: boolean; concurrency: number | undefined } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected start() options { runId?, failFast?, concurrency? }, got ${shown(options)}`);
  }
  for (const key of Reflect.ownKeys(options)) {
    if (key !== 'runId' && key !== 'failFast' && key !== 'concurrency') {
      throw new TypeError(
        `Expected start() options { runId?, failFast?, concurrency? }, got the key \`${String(key)}\`: ` +
          'a started run takes only the options that travel with it (no signal, observer or executor).',
      );
    }
  }
  const { runId, failFast, concurrency } = options as StartOptions;
  if (runId !== undefined) checkRunId(runId);
  if (failFast !== undefined && typeof failFast !== 'boolean') {
    throw new TypeError(`Expected \`failFast\` to be a boolean, got ${shown(failFast)}`);
  }
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new TypeError(`Expected \`concurrency\` to be an integer from 1 up, got ${shown(concurrency)}`);
  }
  return { runId: runId ?? randomUUID(), failFast: failFast ?? true, concurrency };
}

/** Reads `wait()`'s options. */
function waitSignalOf(options: unknown): AbortSignal | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected wait() options { signal? }, got ${shown(options)}`);
  }
  const { signal } = options as WaitOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${shown(signal)}`);
  }
  return signal;
}

/** The values and failures of a run's nodes, read from its hash. */
function storedOutcomes(fields: Record<string, string>): {
  values: Map<string, unknown>;
  failures: Map<string, unknown>;
} {
  const values = new Map<string, unknown>();
  const failures = new Map<string, unknown>();
  for (const [field, wire] of Object.entries(fields)) {
    if (field.startsWith(FAILED)) failures.set(field.slice(FAILED.length), decodeValue(JSON.parse(wire) as Wire));
    else if (field.startsWith(VALUE)) values.set(field.slice(VALUE.length), decodeValue(JSON.parse(wire) as Wire));
  }
  return { values, failures };
}

function storedOf(
  values: ReadonlyMap<string, unknown>,
  failures: ReadonlyMap<string, unknown>,
  node: string,
): StoredValue | StoredFailure | undefined {
  if (values.has(node)) return { value: values.get(node) };
  if (failures.has(node)) return { failed: true, error: failures.get(node) };
  return undefined;
}

/** A `runId` is a non-empty string (as the invoke option). */
function checkRunId(runId: unknown): void {
  if (typeof runId !== 'string' || runId === '') {
    throw new TypeError(`Expected \`runId\` to be a non-empty string, got ${shown(runId)}`);
  }
}

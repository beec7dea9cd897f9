import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DagAbortedError, NodeFailedError } from '../index';
import { BullmqExecutor } from './bullmq-executor';
import { shown } from '../errors';
import { flowsByName, invokeFlow, type ServedFlow } from './flow-registry';
import {
  CANCELLED,
  ERROR,
  INCARNATION,
  OUTCOME,
  START,
  outcomeChannelOf,
  runKeyOf,
  runsQueueOf,
  stopChannelOf,
  stoppedRunOf,
  storedOutcome,
  WIRE_VERSION,
  type NodeJobData,
  type RunJob,
  type NodeOutcome,
  type OutcomeMessage,
} from './job-data';
import { badJob, runFailed, unknownFlow, unknownNode, unserializable } from './messages';
import { callNode } from './node-call';
import type { DagWorkerOptions, RunsOptions } from './options/dag-worker-options';
import { redisClientFor } from './redis-client';
import { decodeValue, encodeValue, errorWire, WireValueError } from './wire-codec';

/** How long a worker remembers that a run stopped, to refuse its jobs still in the queue. */
const REMEMBER_STOPPED_MS = 10 * 60_000;

/** How far the clocks of the processes adding jobs may be from this worker's, for what it heard. */
const CLOCK_MARGIN_MS = 5_000;

/**
 * Stores a run's outcome while the run's hash is kept (and is still that run's), and announces it
 * on the run's channel. KEYS: the run's hash. ARGV: status, channel, message, incarnation.
 */
const OUTCOME_IF_KEPT = `
if redis.call('hget', KEYS[1], '${INCARNATION}') == ARGV[4] then redis.call('hset', KEYS[1], '${OUTCOME}', ARGV[1]) end
return redis.call('publish', ARGV[2], ARGV[3])`;

/** How many runs a worker serving runs orchestrates at once, unless told (`runs: { concurrency }`). */
const DEFAULT_RUN_CONCURRENCY = 8;

/**
 * How many times a job may be found stalled (the worker or orchestrator running it died) and
 * taken over before BullMQ gives up on it (BullMQ's own default is 1): for a node's job unless
 * `workerOptions.maxStalledCount` says otherwise; for a run's job at least that.
 */
const MAX_STALLED = 10;

/**
 * Serves the nodes placed on one queue (`@node(..., { queue })`, `tm.with({ queue })`) of the
 * flows it is given, for every process that invokes those flows with a `bullmqExecutor`. A node
 * runs as everywhere: `fn(...depValues, params, ctx)`, with `this` this worker's own flow
 * instance (its own injected services); its `timeout` is enforced here, from when the attempt
 * starts; `ctx.signal` aborts when the run fails fast or is cancelled, or the attempt times out.
 * It runs only what its own copy of a flow declares as a node on this queue: nothing in a job is
 * ever run as code.
 *
 * @example
 * const worker = new DagWorker({ connection, queue: 'render', flows: [new ReportFlow(db), reportGraph], concurrency: 8 });
 * await worker.waitUntilReady();
 * process.on('SIGTERM', () => void worker.close());
 */
export class DagWorker {
  /** The queue of nodes this worker serves; `undefined` for a worker that serves only runs. */
  readonly queue: string | undefined;
  readonly #flows: ReadonlyMap<string, ServedFlow>;
  readonly #worker: Worker | undefined;
  /** The workers of the queues of runs of its flows (`runs: true`), one per flow. */
  readonly #runWorkers: Worker[] = [];
  /** The executors that orchestrate the runs taken here, one per retention. */
  readonly #executors = new Map<number, BullmqExecutor>();
  readonly #connection: DagWorkerOptions['connection'];
  readonly #subscriber: Redis;
  readonly #publisher: Redis;
  readonly #prefix: string;
  readonly #subscribed: Promise<unknown>;
  /**
   * Since when (ms, this clock) this worker has heard every stopped run: set once subscribed,
   * and again after each reconnection (a stop announced meanwhile was missed).
   */
  #hearingSince = Number.POSITIVE_INFINITY;
  /** Attempts running here, by run (`stoppedRunOf`): aborted when their run stops. */
  readonly #running = new Map<string, Set<AbortController>>();
  /**
   * Runs that stopped (and when), by `stoppedRunOf`, so their jobs still waiting are refused; by
   * incarnation, so that a new run of a forgotten run's `runId` is not.
   */
  readonly #stopped = new Map<string, number>();
  #closing: Promise<void> | undefined;

  constructor(options: DagWorkerOptions & ({ queue: string } | { runs: true | RunsOptions })) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected DagWorker options { connection, queue, flows }, got ${shown(options)}`);
    }
    const { connection, queue, flows, concurrency, workerOptions, runs } = options;
    const prefix = options.prefix ?? 'async-dag';
    if (queue === undefined && (runs === undefined || runs === false)) {
      throw new TypeError(
        'Expected `queue` (the queue of nodes to serve) or `runs: true` (to orchestrate started runs), got neither',
      );
    }
    if (queue !== undefined && (typeof queue !== 'string' || queue === '')) {
      throw new TypeError(`Expected \`queue\` to be a non-empty string, got ${shown(queue)}`);
    }
    const runConcurrency = runConcurrencyOf(runs);
    if (typeof prefix !== 'string' || prefix === '') {
      throw new TypeError(`Expected \`prefix\` to be a non-empty string, got ${shown(prefix)}`);
    }
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new TypeError(`Expected \`concurrency\` to be an integer from 1 up, got ${shown(concurrency)}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof connection !== 'object' || connection === null) {
      throw new TypeError(
        `Expected \`connection\` to be ioredis options or an ioredis instance, got ${shown(connection)}`,
      );
    }
    this.queue = queue;
    this.#flows = flowsByName(flows);

    this.#subscriber = redisClientFor(connection);
    this.#subscriber.on('error', () => undefined);
    const channel = stopChannelOf(prefix);
    this.#subscriber.on('message', (from: string, run: string) => {
      if (from === channel) this.#runStopped(run);
    });
    this.#subscribed = this.#subscriber.subscribe(channel).then(() => {
      this.#hearingSince = Date.now();
      // ioredis subscribes again on its own after a reconnection; what was said meanwhile is lost.
      this.#subscriber.on('ready', () => (this.#hearingSince = Date.now()));
    });
    this.#publisher = redisClientFor(connection);
    this.#publisher.on('error', () => undefined);
    this.#prefix = prefix;
    this.#subscribed.catch(() => undefined);

    this.#connection = connection;
    if (queue !== undefined) {
      this.#worker = new Worker<NodeJobData, NodeOutcome>(queue, (job) => this.#process(job, queue), {
        // A node's job is taken over each time its worker dies, not failed on the second death.
        maxStalledCount: MAX_STALLED,
        ...workerOptions,
        connection,
        prefix,
        concurrency: concurrency ?? 1,
        autorun: true,
      });
      // A connection error is BullMQ's to retry; without a listener it would crash the process.
      this.#worker.on('error', () => undefined);
    }
    if (runConcurrency !== undefined) {
      for (const name of this.#flows.keys()) {
        const worker = new Worker<RunJob, undefined>(runsQueueOf(name), (job) => this.#orchestrate(job), {
          ...workerOptions,
          // A run's job stalls each time its orchestrator dies: it is taken over, not failed.
          maxStalledCount: Math.max(workerOptions?.maxStalledCount ?? 0, MAX_STALLED),
          connection,
          prefix,
          concurrency: runConcurrency,
          autorun: true,
        });
        worker.on('error', () => undefined);
        // A run whose job failed for good (tried too often, or stalled past the limit) ends so.
        worker.on('failed', (job, error) => {
          if (job !== undefined) void this.#runFailed(job, error);
        });
        this.#runWorkers.push(worker);
      }
    }
  }

  /**
   * Resolves once the worker takes jobs (connected to Redis and listening for stopped runs).
   *
   * @example
   * await worker.waitUntilReady();
   */
  async waitUntilReady(): Promise<void> {
    await Promise.all([
      this.#worker?.waitUntilReady(),
      ...this.#runWorkers.map((worker) => worker.waitUntilReady()),
      this.#subscribed,
    ]);
  }

  /**
   * Stops taking jobs, waits for the attempts running here to end, and closes its connections.
   * The runs it orchestrates stop at once and go back to their queue of runs, where another
   * worker serving runs resumes them (nothing stored runs again).
   *
   * @example
   * await worker.close();
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        // No new run is taken; the runs in flight end (their jobs fail, to be retried elsewhere).
        const runWorkers = this.#runWorkers.map((worker) => worker.close());
        await Promise.allSettled([...this.#executors.values()].map((executor) => executor.close()));
        await Promise.all([...runWorkers, this.#worker?.close()]);
      } finally {
        this.#subscriber.disconnect();
        this.#publisher.disconnect();
      }
    })();
    return this.#closing;
  }

  /** `run` (as `stoppedRunOf`) stopped: its attempts running here abort, its jobs still queued are refused. */
  #runStopped(run: string): void {
    const now = Date.now();
    this.#stopped.set(run, now);
    for (const [id, at] of this.#stopped) {
      if (now - at < REMEMBER_STOPPED_MS) break;
      this.#stopped.delete(id);
    }
    const running = this.#running.get(run);
    if (running === undefined) return;
    const reason = new DagAbortedError('the run stopped (it failed fast or was cancelled)');
    for (const controller of running) controller.abort(reason);
  }

  /** Runs a job of `queue` (this worker's queue of nodes). */
  async #process(job: Job<NodeJobData, NodeOutcome>, queue: string): Promise<NodeOutcome> {
    const outcome = await this.#attempt(job, queue);
    const runId = (job.data as Partial<NodeJobData> | undefined)?.runId;
    if (typeof runId === 'string') this.#announce(runId, { id: job.id!, outcome });
    return outcome;
  }

  /** Tells the invokers at once; the job's own outcome (and BullMQ's events) follow. */
  #announce(runId: string, message: OutcomeMessage): void {
    this.#publisher.publish(outcomeChannelOf(this.#prefix, runId), JSON.stringify(message)).catch(() => undefined);
  }

  async #attempt(job: Job<NodeJobData, NodeOutcome>, queue: string): Promise<NodeOutcome> {
    const data: unknown = job.data;
    const checked = this.#check(data, queue);
    if (!checked.ok) return failure(checked.error);
    const { flow, index, job: nodeJob } = checked;
    const { runId, node, incarnation } = nodeJob;
    const run = stoppedRunOf(runId, incarnation);
    const hadStopped = (): NodeOutcome =>
      failure(new DagAbortedError(`run "${runId}" had stopped before node "${node}" started`));
    if (this.#stopped.has(run)) return hadStopped();
    // A job older than what this worker heard (it started later, or reconnected) may belong to a
    // run cancelled while it did not listen: that is read from the run itself (one round trip).
    // The margin covers clocks of other machines (the job's timestamp is its adder's).
    // So is a job older than this worker's memory of stopped runs.
    if (
      job.timestamp < this.#hearingSince + CLOCK_MARGIN_MS ||
      Date.now() - job.timestamp > REMEMBER_STOPPED_MS - CLOCK_MARGIN_MS
    ) {
      const [cancelled, current] = await this.#publisher.hmget(runKeyOf(this.#prefix, runId), CANCELLED, INCARNATION);
      if (cancelled !== null || current !== incarnation) {
        this.#stopped.set(run, Date.now());
        const why = cancelled !== null ? 'was cancelled' : 'had ended and was forgotten';
        return failure(new DagAbortedError(`run "${runId}" ${why} before node "${node}" started`));
      }
      // A stop heard while the run was read. From here to the attempt's start nothing awaits, so
      // a later one aborts the attempt.
      if (this.#stopped.has(run)) return hadStopped();
    }
    let params: unknown;
    let args: unknown[];
    try {
      params = decodeValue(nodeJob.params);
      args = nodeJob.args.map(decodeValue);
    } catch (error) {
      return failure(badJob(queue, `its values could not be read (${String(error)})`));
    }
    this.#announce(runId, { id: job.id!, started: true });
    const controller = new AbortController();
    let running = this.#running.get(run);
    if (running === undefined) this.#running.set(run, (running = new Set()));
    running.add(controller);
    try {
      const value = await callNode({
        flow,
        index,
        args,
        params,
        runId,
        attempt: nodeJob.attempt,
        timeout: nodeJob.timeout ?? undefined,
        controller,
      });
      try {
        return { ok: true, value: encodeValue(value, 'result') };
      } catch (error) {
        if (error instanceof WireValueError) return failure(unserializable(error, node));
        throw error;
      }
    } catch (error) {
      return failure(error);
    } finally {
      running.delete(controller);
      if (running.size === 0) this.#running.delete(run);
    }
  }

  /**
   * Orchestrates a run started with `executor.start()`, as `invoke` would, with an executor of
   * its own: a run taken over from a process that died resumes (nothing stored runs again). Its
   * outcome is stored and announced for `wait()`. A run that could not be orchestrated to its
   * end here (this worker closed, another live process holds it, Redis failed) throws, so that
   * BullMQ gives its job to a worker again.
   */
  async #orchestrate(job: Job<RunJob, undefined>): Promise<undefined> {
    const data = job.data as Partial<RunJob> | null;
    if (
      typeof data !== 'object' ||
      // eslint-disable-next-line @typescript-eslint/prefer-optional-chain -- job data is untrusted: a primitive must be refused too
      data === null ||
      data.v !== WIRE_VERSION ||
      typeof data.flow !== 'string' ||
      typeof data.runId !== 'string' ||
      typeof data.incarnation !== 'string' ||
      typeof data.failFast !== 'boolean' ||
      !(data.concurrency === null || (Number.isInteger(data.concurrency) && data.concurrency! >= 1)) ||
      !(Number.isSafeInteger(data.retention) && data.retention! >= 1) ||
      !('params' in data)
    ) {
      throw badJob(runsQueueOf(String(data?.flow)), 'it is not a run of this version of async-dag');
    }
    const served = this.#flows.get(data.flow);
    if (served === undefined)
      throw unknownFlow(data.flow, '(the whole run)', runsQueueOf(data.flow), [...this.#flows.keys()]);
    const { runId } = data;
    // A job whose run was forgotten (its outcome read, or cancelled and past its retention) does
    // nothing, also when its runId was started anew since: that run has a job of its own.
    const [incarnation, start] = await this.#publisher.hmget(runKeyOf(this.#prefix, runId), INCARNATION, START);
    if (incarnation !== data.incarnation || start === null) return undefined;
    const executor = this.#executorFor(data.retention!);
    let status: 'fulfilled' | 'rejected';
    try {
      await invokeFlow(served, decodeValue(data.params), {
        executor,
        runId,
        failFast: data.failFast,
        ...(data.concurrency === null ? {} : { concurrency: data.concurrency }),
      });
      status = 'fulfilled';
    } catch (error) {
      if (error instanceof NodeFailedError) status = 'rejected';
      // Cancelled (`executor.cancel()`): recorded as such; nothing more to orchestrate.
      else if (error instanceof DagAbortedError) return undefined;
      // Anything else (this worker closed, a live process holds the run, Redis failed, another
      // version of the flow here during a deploy): another try, maybe by another worker.
      else throw error;
    }
    // The executor stored the outcome as the run ended, without waiting for Redis; stored again
    // here, awaited, before the job completes: a job that completed always left an outcome. No
    // expiry set here: the executor set it, and a wait() may have shortened it since; nor is a
    // run its `retention` removed already made again.
    const message: OutcomeMessage = { done: status };
    await this.#publisher.eval(
      OUTCOME_IF_KEPT,
      1,
      runKeyOf(this.#prefix, runId),
      status,
      outcomeChannelOf(this.#prefix, runId),
      JSON.stringify(message),
      data.incarnation,
    );
    return undefined;
  }

  /**
   * A run's job failed. When that was its last try, the run ends with a `DagError` `RUN_FAILED`
   * (stored as its outcome, so `wait()` rejects with it); otherwise BullMQ tries it again.
   */
  async #runFailed(job: Job<RunJob, undefined>, error: Error): Promise<void> {
    try {
      if ((await job.getState()) !== 'failed') return;
      const { runId, flow, retention } = job.data;
      const key = runKeyOf(this.#prefix, runId);
      const failed = runFailed(runId, flow, error);
      await storedOutcome(this.#publisher.multi(), this.#prefix, runId, 'rejected', true)
        .hsetnx(key, ERROR, JSON.stringify(errorWire(failed)))
        .pexpire(key, retention)
        .exec();
    } catch {
      // Redis is gone; the job stays failed, and its run pending.
    }
  }

  #executorFor(retention: number): BullmqExecutor {
    let executor = this.#executors.get(retention);
    if (executor === undefined) {
      executor = new BullmqExecutor({ connection: this.#connection, prefix: this.#prefix, retention }, true);
      this.#executors.set(retention, executor);
    }
    return executor;
  }

  /** Reads a job as data, and finds the node it names among this worker's own declarations. */
  #check(
    data: unknown,
    queue: string,
  ): { ok: true; flow: ServedFlow; index: number; job: NodeJobData } | { ok: false; error: Error } {
    const job = data as Partial<NodeJobData> | null;
    if (
      typeof job !== 'object' ||
      // eslint-disable-next-line @typescript-eslint/prefer-optional-chain -- job data is untrusted: a primitive must be refused too
      job === null ||
      job.v !== WIRE_VERSION ||
      typeof job.flow !== 'string' ||
      typeof job.node !== 'string' ||
      typeof job.runId !== 'string' ||
      typeof job.incarnation !== 'string' ||
      !Number.isInteger(job.attempt) ||
      !Array.isArray(job.args) ||
      !('params' in job)
    ) {
      return { ok: false, error: badJob(queue, 'it is not a node job of this version of async-dag') };
    }
    const flow = this.#flows.get(job.flow);
    if (flow === undefined)
      return { ok: false, error: unknownFlow(job.flow, job.node, queue, [...this.#flows.keys()]) };
    const { graph } = flow;
    // A Map of own names: `__proto__`, `constructor` or an ordinary method are simply absent.
    const index = graph.indexByName.get(job.node);
    if (index === undefined || graph.kinds[index] !== 'node') {
      return { ok: false, error: unknownNode(job.flow, job.node, queue, 'this flow declares no such node') };
    }
    const placed = graph.options[index]?.queue;
    if (placed !== queue) {
      const where = placed === undefined ? 'runs where invoke runs' : `is placed on queue "${placed}"`;
      return { ok: false, error: unknownNode(job.flow, job.node, queue, `here that node ${where}`) };
    }
    if (job.args.length !== graph.deps[index]!.length) {
      return {
        ok: false,
        error: badJob(
          queue,
          `node "${job.node}" has ${graph.deps[index]!.length} dependencies, the job ${job.args.length} values`,
        ),
      };
    }
    return { ok: true, flow, index, job: job as NodeJobData };
  }
}

/** A failed attempt's outcome; what was thrown crosses whole when it can, as an `Error` describing it when not. */
function failure(error: unknown): NodeOutcome {
  return { ok: false, error: errorWire(error) };
}

/** Reads the `runs` option: how many runs to orchestrate at once, or `undefined` for none. */
function runConcurrencyOf(runs: unknown): number | undefined {
  if (runs === undefined || runs === false) return undefined;
  if (runs === true) return DEFAULT_RUN_CONCURRENCY;
  if (typeof runs === 'object' && runs !== null) {
    for (const key of Reflect.ownKeys(runs)) {
      if (key !== 'concurrency') {
        throw new TypeError(`Expected \`runs\` to be a boolean or { concurrency? }, got the key \`${String(key)}\``);
      }
    }
    const { concurrency } = runs as { concurrency?: unknown };
    if (concurrency === undefined) return DEFAULT_RUN_CONCURRENCY;
    if (typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= 1) return concurrency;
    throw new TypeError(`Expected \`runs.concurrency\` to be an integer from 1 up, got ${shown(concurrency)}`);
  }
  throw new TypeError(`Expected \`runs\` to be a boolean or { concurrency? }, got ${shown(runs)}`);
}

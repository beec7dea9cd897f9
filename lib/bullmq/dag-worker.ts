import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DagAbortedError } from '../index';
import { shown } from '../errors';
import { flowsByName, type ServedFlow } from './flow-registry';
import {
  outcomeChannelOf,
  stopChannelOf,
  WIRE_VERSION,
  type NodeJobData,
  type NodeOutcome,
  type OutcomeMessage,
} from './job-data';
import { badJob, unknownFlow, unknownNode, unserializable } from './messages';
import { callNode } from './node-call';
import type { DagWorkerOptions } from './options/dag-worker-options';
import { redisClientFor } from './redis-client';
import { decodeValue, encodeValue, WireValueError, type Wire } from './wire-codec';

/** How long a worker remembers that a run stopped, to refuse its jobs still in the queue. */
const REMEMBER_STOPPED_MS = 10 * 60_000;

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
  /** The queue this worker serves. */
  readonly queue: string;
  readonly #flows: ReadonlyMap<string, ServedFlow>;
  readonly #worker: Worker;
  readonly #subscriber: Redis;
  readonly #publisher: Redis;
  readonly #prefix: string;
  readonly #subscribed: Promise<unknown>;
  /** Attempts running here, by run id: aborted when their run stops. */
  readonly #running = new Map<string, Set<AbortController>>();
  /** Runs that stopped (and when), so their jobs still waiting are refused. */
  readonly #stopped = new Map<string, number>();
  #closing: Promise<void> | undefined;

  constructor(options: DagWorkerOptions) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected DagWorker options { connection, queue, flows }, got ${shown(options)}`);
    }
    const { connection, queue, flows, concurrency, workerOptions } = options;
    const prefix = options.prefix ?? 'async-dag';
    if (typeof queue !== 'string' || queue === '') {
      throw new TypeError(`Expected \`queue\` to be a non-empty string, got ${shown(queue)}`);
    }
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
    this.#subscriber.on('message', (from: string, runId: string) => {
      if (from === channel) this.#runStopped(runId);
    });
    this.#subscribed = this.#subscriber.subscribe(channel);
    this.#publisher = redisClientFor(connection);
    this.#publisher.on('error', () => undefined);
    this.#prefix = prefix;
    this.#subscribed.catch(() => undefined);

    this.#worker = new Worker<NodeJobData, NodeOutcome>(queue, (job) => this.#process(job), {
      ...workerOptions,
      connection,
      prefix,
      concurrency: concurrency ?? 1,
      autorun: true,
    });
    // A connection error is BullMQ's to retry; without a listener it would crash the process.
    this.#worker.on('error', () => undefined);
  }

  /**
   * Resolves once the worker takes jobs (connected to Redis and listening for stopped runs).
   *
   * @example
   * await worker.waitUntilReady();
   */
  async waitUntilReady(): Promise<void> {
    await Promise.all([this.#worker.waitUntilReady(), this.#subscribed]);
  }

  /**
   * Stops taking jobs, waits for the attempts running here to end, and closes its connections.
   *
   * @example
   * await worker.close();
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.#worker.close();
      } finally {
        this.#subscriber.disconnect();
        this.#publisher.disconnect();
      }
    })();
    return this.#closing;
  }

  #runStopped(runId: string): void {
    const now = Date.now();
    this.#stopped.set(runId, now);
    for (const [id, at] of this.#stopped) {
      if (now - at < REMEMBER_STOPPED_MS) break;
      this.#stopped.delete(id);
    }
    const running = this.#running.get(runId);
    if (running === undefined) return;
    const reason = new DagAbortedError('the run stopped (it failed fast or was cancelled)');
    for (const controller of running) controller.abort(reason);
  }

  async #process(job: Job<NodeJobData, NodeOutcome>): Promise<NodeOutcome> {
    const outcome = await this.#attempt(job);
    const runId = (job.data as Partial<NodeJobData> | undefined)?.runId;
    if (typeof runId === 'string') this.#announce(runId, { id: job.id!, outcome });
    return outcome;
  }

  /** Tells the invokers at once; the job's own outcome (and BullMQ's events) follow. */
  #announce(runId: string, message: OutcomeMessage): void {
    this.#publisher.publish(outcomeChannelOf(this.#prefix, runId), JSON.stringify(message)).catch(() => undefined);
  }

  async #attempt(job: Job<NodeJobData, NodeOutcome>): Promise<NodeOutcome> {
    const data: unknown = job.data;
    const checked = this.#check(data);
    if (!checked.ok) return failure(checked.error);
    const { flow, index, job: nodeJob } = checked;
    const { runId, node } = nodeJob;
    if (this.#stopped.has(runId))
      return failure(new DagAbortedError(`run "${runId}" had stopped before node "${node}" started`));
    let params: unknown;
    let args: unknown[];
    try {
      params = decodeValue(nodeJob.params);
      args = nodeJob.args.map(decodeValue);
    } catch (error) {
      return failure(badJob(this.queue, `its values could not be read (${String(error)})`));
    }
    this.#announce(runId, { id: job.id!, started: true });
    const controller = new AbortController();
    let running = this.#running.get(runId);
    if (running === undefined) this.#running.set(runId, (running = new Set()));
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
      if (running.size === 0) this.#running.delete(runId);
    }
  }

  /** Reads a job as data, and finds the node it names among this worker's own declarations. */
  #check(data: unknown): { ok: true; flow: ServedFlow; index: number; job: NodeJobData } | { ok: false; error: Error } {
    const job = data as Partial<NodeJobData> | null;
    if (
      typeof job !== 'object' ||
      // eslint-disable-next-line @typescript-eslint/prefer-optional-chain -- job data is untrusted: a primitive must be refused too
      job === null ||
      job.v !== WIRE_VERSION ||
      typeof job.flow !== 'string' ||
      typeof job.node !== 'string' ||
      typeof job.runId !== 'string' ||
      !Number.isInteger(job.attempt) ||
      !Array.isArray(job.args) ||
      !('params' in job)
    ) {
      return { ok: false, error: badJob(this.queue, 'it is not a node job of this version of async-dag') };
    }
    const flow = this.#flows.get(job.flow);
    if (flow === undefined)
      return { ok: false, error: unknownFlow(job.flow, job.node, this.queue, [...this.#flows.keys()]) };
    const { graph } = flow;
    // A Map of own names: `__proto__`, `constructor` or an ordinary method are simply absent.
    const index = graph.indexByName.get(job.node);
    if (index === undefined || graph.kinds[index] !== 'node') {
      return { ok: false, error: unknownNode(job.flow, job.node, this.queue, 'this flow declares no such node') };
    }
    const placed = graph.options[index]?.queue;
    if (placed !== this.queue) {
      const where = placed === undefined ? 'runs where invoke runs' : `is placed on queue "${placed}"`;
      return { ok: false, error: unknownNode(job.flow, job.node, this.queue, `here that node ${where}`) };
    }
    if (job.args.length !== graph.deps[index]!.length) {
      return {
        ok: false,
        error: badJob(
          this.queue,
          `node "${job.node}" has ${graph.deps[index]!.length} dependencies, the job ${job.args.length} values`,
        ),
      };
    }
    return { ok: true, flow, index, job: job as NodeJobData };
  }
}

/** A failed attempt's outcome; what was thrown crosses whole when it can, as an `Error` describing it when not. */
function failure(error: unknown): NodeOutcome {
  let wire: Wire;
  try {
    wire = encodeValue(error, 'error');
  } catch {
    const fallback = new Error(error instanceof Error ? error.message : `thrown: ${shown(error)}`);
    if (error instanceof Error) {
      fallback.name = error.name;
      if (error.stack !== undefined) fallback.stack = error.stack;
    }
    wire = encodeValue(fallback, 'error');
  }
  return { ok: false, error: wire };
}

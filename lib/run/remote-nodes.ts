import { DagError } from '../errors';
import type { Graph } from '../graph';
import type { DagExecutor, ExecutorNode, ExecutorRun, RemoteNodeCall, StoredFailure, StoredValue } from './executor';

/** Per graph: each node's `queue` option, or `undefined` when no node has one (computed once). */
const queuesByGraph = new WeakMap<Graph, readonly (string | undefined)[] | null>();

function queuesOf(graph: Graph): readonly (string | undefined)[] | undefined {
  let queues = queuesByGraph.get(graph);
  if (queues === undefined) {
    queues =
      graph.hasOptions && graph.options.some((o) => o?.queue !== undefined) ? graph.options.map((o) => o?.queue) : null;
    queuesByGraph.set(graph, queues);
  }
  return queues ?? undefined;
}

/** Per graph with no queued node: a `queue` of `undefined` for each node (for a durable executor). */
const noQueuesByGraph = new WeakMap<Graph, readonly undefined[]>();

function noQueuesOf(graph: Graph): readonly undefined[] {
  let queues = noQueuesByGraph.get(graph);
  if (queues === undefined) noQueuesByGraph.set(graph, (queues = new Array<undefined>(graph.size).fill(undefined)));
  return queues;
}

/** The nodes of `graph` as an executor sees them (`ExecutorRunStart.nodes`). */
export function executorNodesOf(
  graph: Graph,
  queues: readonly (string | undefined)[] = queuesOf(graph) ?? noQueuesOf(graph),
): ExecutorNode[] {
  return graph.names.map((name, i) => ({
    name,
    kind: graph.kinds[i]!,
    dependencies: graph.deps[i]!.map((d) => graph.names[d]!),
    queue: queues[i],
  }));
}

/** Per graph: whether each node has a dependent with a `queue` (its value crosses to a worker), computed once. */
const crossesByGraph = new WeakMap<Graph, readonly boolean[]>();

function crossesOf(graph: Graph, queues: readonly (string | undefined)[]): readonly boolean[] {
  let crosses = crossesByGraph.get(graph);
  if (crosses === undefined) {
    const { dependentStart, dependents } = graph;
    crosses = graph.names.map((_, i) => {
      for (let e = dependentStart[i]!; e < dependentStart[i + 1]!; e++)
        if (queues[dependents[e]!] !== undefined) return true;
      return false;
    });
    crossesByGraph.set(graph, crosses);
  }
  return crosses;
}

/**
 * A run's side of its executor: which nodes run remotely, and how long each waited in its queue.
 * Made only for a run that has an executor and a graph with queued nodes, so a run without one
 * pays a single `undefined` check per node for the seam.
 */
export class RemoteNodes {
  /** ms each remote node waited between dispatch and start, summed over its attempts. */
  readonly queued: (number | undefined)[];
  /** Whether node `i` has a dependent with a `queue`. */
  readonly crosses: readonly boolean[];

  constructor(
    readonly graph: Graph,
    readonly queues: readonly (string | undefined)[],
    readonly session: ExecutorRun,
  ) {
    this.queued = new Array<number | undefined>(graph.size);
    this.crosses = crossesOf(graph, queues);
  }

  /**
   * Attempt `attempt` of node `i`, which runs in this process, is starting (or, for any node, a
   * retry scheduled it). A promise when the executor records it first: the body starts once it
   * settles.
   */
  attempted(i: number, attempt: number): Promise<unknown> | undefined {
    let recording: unknown;
    try {
      recording = this.session.attempted?.(this.graph.names[i]!, attempt);
    } catch {
      // Recording is the executor's business: the attempt starts either way.
      return undefined;
    }
    return recording instanceof Promise ? recording : undefined;
  }

  /** How many attempts of node `i` (which runs in this process) earlier invocations of the run started. */
  attemptsMade(i: number): number {
    const made = this.session.attemptsMade?.(this.graph.names[i]!) ?? 0;
    return Number.isInteger(made) && made > 0 ? made : 0;
  }

  /** The stored outcome of node `i`, when the executor has one (a resumed run). */
  stored(i: number): StoredValue | StoredFailure | undefined {
    return this.session.stored?.(this.graph.names[i]!);
  }

  /** The first node, in declaration order, with a stored failure: a fail-fast run that has one had ended with it. */
  storedFailure(): { readonly index: number; readonly error: unknown } | undefined {
    if (this.session.stored === undefined) return undefined;
    for (let i = 0; i < this.graph.size; i++) {
      if (this.graph.kinds[i] !== 'node') continue;
      const stored = this.session.stored(this.graph.names[i]!);
      if (stored !== undefined && 'failed' in stored) return { index: i, error: stored.error };
    }
    return undefined;
  }

  /** Node `i` failed for good: the executor may store it. Never throws. */
  failed(i: number, error: unknown): void {
    try {
      this.session.failed?.(this.graph.names[i]!, error);
    } catch {
      // Storing a failure is the executor's business; the node has failed either way.
    }
  }

  /** The run ended (settled, stopped; `error` when `invoke` rejected): the executor lets go of it. Never throws. */
  end(error?: Error): void {
    try {
      this.session.end?.(error);
    } catch {
      // The run has settled already; an executor's cleanup cannot change it.
    }
  }

  /**
   * Node `i` fulfilled here (not on a worker): the executor may store its value, and checks that
   * a value a worker needs can cross. `{ error }` when the executor refused it: then node `i`
   * fails (not its dependents). Immediates are told only when their value crosses (they are
   * recomputed on a resume, never stored).
   */
  fulfilled(i: number, value: unknown): { readonly error: unknown } | undefined {
    if (this.queues[i] !== undefined) return undefined;
    const crosses = this.crosses[i]!;
    if (!crosses && this.graph.kinds[i] !== 'node') return undefined;
    try {
      this.session.fulfilled?.(this.graph.names[i]!, value, crosses);
    } catch (error) {
      return { error };
    }
    return undefined;
  }

  /**
   * Hands attempt `attempt` of node `i` to the executor. `started` is called when the attempt
   * starts where it runs. Never throws: an executor that throws gives a rejected promise.
   */
  run(
    i: number,
    attempt: number,
    values: readonly unknown[],
    signal: AbortSignal,
    started: () => void,
  ): Promise<unknown> {
    const { graph } = this;
    const deps = graph.deps[i]!;
    const options = graph.options[i];
    const call: RemoteNodeCall = {
      node: graph.names[i]!,
      queue: this.queues[i]!,
      attempt,
      args: deps.map((d) => values[d]),
      dependencies: deps.map((d) => graph.names[d]!),
      timeout: options?.timeout,
      priority: options?.priority ?? 0,
      signal,
      started,
    };
    try {
      return Promise.resolve(this.session.runNode(call));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * Opens the executor's side of a run, before any node starts. `undefined` when no node of the
 * graph has a `queue` (then the executor is not asked at all). Throws what the executor throws,
 * and a `DagError` `UNNAMED_FLOW` for a builder graph with queued nodes and no `name`: workers
 * could not find it.
 */
export function openRemoteNodes(
  graph: Graph,
  executor: DagExecutor,
  runId: string,
  params: unknown,
  failFast: boolean,
  signal: AbortSignal,
  cancel: (reason: unknown) => void,
  stop: (error: Error) => void,
): RemoteNodes | Promise<RemoteNodes> | undefined {
  let queues = queuesOf(graph);
  if (queues === undefined) {
    // A durable executor stores every run of a named flow; another has nothing to do here.
    if (executor.durable !== true || graph.name === undefined) return undefined;
    queues = noQueuesOf(graph);
  }
  const flow = graph.name;
  if (flow === undefined) {
    const queued = graph.names.filter((_, i) => queues[i] !== undefined);
    throw new DagError(
      'UNNAMED_FLOW',
      `This buildDag() graph has nodes on queues (${queued.join(', ')}) but no name, so workers cannot find it. ` +
        "Name it: buildDag(define, { name: 'report' }), and give the same graph to the DagWorker.",
    );
  }
  const nodes = executorNodesOf(graph, queues);
  const session = executor.startRun({ runId, flow, failFast, params, signal, nodes, cancel, stop });
  const open = (started: ExecutorRun): RemoteNodes => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an executor is user code and may return anything
    if (typeof started !== 'object' || started === null || typeof started.runNode !== 'function') {
      throw new TypeError('Expected `executor.startRun()` to give an ExecutorRun (an object with runNode()).');
    }
    return new RemoteNodes(graph, queues, started);
  };
  return session instanceof Promise ? session.then(open) : open(session);
}

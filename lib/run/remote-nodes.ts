import { DagError } from '../errors';
import type { Graph } from '../graph';
import type { DagExecutor, ExecutorNode, ExecutorRun, RemoteNodeCall } from './executor';

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

/**
 * A run's side of its executor: which nodes run remotely, and how long each waited in its queue.
 * Made only for a run that has an executor and a graph with queued nodes, so a run without one
 * pays a single `undefined` check per node for the seam.
 */
export class RemoteNodes {
  /** ms each remote node waited between dispatch and start, summed over its attempts. */
  readonly queued: (number | undefined)[];

  constructor(
    readonly graph: Graph,
    readonly queues: readonly (string | undefined)[],
    readonly session: ExecutorRun,
  ) {
    this.queued = new Array<number | undefined>(graph.size);
  }

  /** The stored result of node `i`, when the executor has one (a resumed run). */
  stored(i: number): { readonly value: unknown } | undefined {
    return this.session.stored?.(this.graph.names[i]!);
  }

  /** The run ended (settled, stopped): the executor lets go of it. Never throws. */
  end(): void {
    try {
      this.session.end?.();
    } catch {
      // The run has settled already; an executor's cleanup cannot change it.
    }
  }

  /** Node `i` fulfilled here (not on a worker): the executor may store its value. */
  fulfilled(i: number, value: unknown): void {
    if (this.queues[i] !== undefined || this.graph.kinds[i] !== 'node') return;
    this.session.fulfilled?.(this.graph.names[i]!, value);
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
  signal: AbortSignal,
  cancel: (reason: unknown) => void,
): RemoteNodes | Promise<RemoteNodes> | undefined {
  const queues = queuesOf(graph);
  if (queues === undefined) return undefined;
  const flow = graph.name;
  if (flow === undefined) {
    const queued = graph.names.filter((_, i) => queues[i] !== undefined);
    throw new DagError(
      'UNNAMED_FLOW',
      `This buildDag() graph has nodes on queues (${queued.join(', ')}) but no name, so workers cannot find it. ` +
        "Name it: buildDag(define, { name: 'report' }), and give the same graph to the DagWorker.",
    );
  }
  const nodes: ExecutorNode[] = graph.names.map((name, i) => ({
    name,
    kind: graph.kinds[i]!,
    dependencies: graph.deps[i]!.map((d) => graph.names[d]!),
    queue: queues[i],
  }));
  const session = executor.startRun({ runId, flow, params, signal, nodes, cancel });
  const open = (started: ExecutorRun): RemoteNodes => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an executor is user code and may return anything
    if (typeof started !== 'object' || started === null || typeof started.runNode !== 'function') {
      throw new TypeError('Expected `executor.startRun()` to give an ExecutorRun (an object with runNode()).');
    }
    return new RemoteNodes(graph, queues, started);
  };
  return session instanceof Promise ? session.then(open) : open(session);
}

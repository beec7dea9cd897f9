/**
 * Where node bodies run, given as `InvokeOptions.executor`. Without one, every node runs in the
 * process that calls `invoke` (the default: nothing to set up). With one, the nodes that have a
 * `queue` option are handed to it, one attempt at a time; everything else (immediates, nodes
 * without a `queue`) still runs here, and the scheduler stays the same: it decides when each node
 * starts, wherever it runs. `async-dag/bullmq`'s `bullmqExecutor()` is the implementation that
 * ships; the core never imports it.
 *
 * @example
 * const executor = bullmqExecutor({ connection: { host: '127.0.0.1', port: 6379 } });
 * const result = await flow.invoke(params, { executor, runId: 'report-2026-12-03' });
 */
export interface DagExecutor {
  /**
   * Called once by `invoke`, before any node starts, for a run whose graph has nodes with a
   * `queue`. Throwing or rejecting (say, a `DagError` because `params` cannot cross to a worker)
   * makes `invoke` reject with that error before any node starts. A promise (an executor that
   * reads what a run already stored, to resume it) delays the start of the run until it settles.
   */
  startRun(run: ExecutorRunStart): ExecutorRun | Promise<ExecutorRun>;
  /**
   * `true` for an executor that stores runs (a durable one): `startRun` is then called for every
   * run of a named flow (a class, or a builder graph with a `name`), also one with no node on a
   * queue, so that its nodes' results are stored and a resume does not repeat them. Otherwise
   * (the default) only runs whose graph has nodes with a `queue` reach the executor.
   */
  readonly durable?: boolean;
}

/**
 * What an executor learns about a run when it starts.
 *
 * @example
 * startRun: ({ flow, runId }) => openSession(`${flow}/${runId}`),
 */
export interface ExecutorRunStart {
  /** The run's id: the `runId` invoke option, or a fresh unique one (as `run.id` and `ctx.runId`). */
  readonly runId: string;
  /** The flow's name, by which workers find it: the class name, or the builder's `name`. */
  readonly flow: string;
  /** Whether the run fails fast (the `failFast` invoke option; `false` for settle mode). */
  readonly failFast: boolean;
  /** The invocation's `params`, the same object every node gets. */
  readonly params: unknown;
  /** Aborts when the run stops (fail fast, cancellation): nothing of it should start any more. */
  readonly signal: AbortSignal;
  /** Each node and immediate, in declaration order: its name, kind, dependencies and options (as `graphOf(x).nodes`). */
  readonly nodes: readonly ExecutorNode[];
  /**
   * Cancels the run as an aborted `signal` option would: `invoke` rejects with `DagAbortedError`
   * (its `cause` is `reason`), running nodes see `ctx.signal` abort, no further node starts. For
   * an executor that hears of a cancellation from elsewhere (another process). Does nothing once
   * the run has settled.
   */
  cancel(reason: unknown): void;
  /**
   * Ends the whole run at once, in either mode (fail fast or settle): `invoke` rejects with
   * `error`, no node starts and nothing is retried any more, and `signal` aborts. For an executor
   * that can no longer serve the run (it was closed): its nodes' failures are not theirs to retry.
   * Called before the run has opened, it rejects the invocation as well. Later calls do nothing.
   */
  stop(error: Error): void;
}

/**
 * A node as an executor sees it, for a fingerprint of the graph.
 *
 * @example
 * const fingerprint = run.nodes.map((n) => `${n.name}<${n.dependencies.join(',')}@${n.queue ?? ''}`).join(';');
 */
export interface ExecutorNode {
  /** The node's name, unique in its graph. */
  readonly name: string;
  /** `'immediate'` for a value computed at the start of each run, `'node'` otherwise. */
  readonly kind: 'node' | 'immediate';
  /** The names of its dependencies, in declaration order. */
  readonly dependencies: readonly string[];
  /** Its `queue` option: where it runs under an executor; `undefined` where `invoke` runs. */
  readonly queue: string | undefined;
}

/**
 * One run's side of an executor: runs attempts of its remote nodes.
 *
 * @example
 * const run: ExecutorRun = { runNode: (call) => sendToWorker(call) };
 */
export interface ExecutorRun {
  /**
   * Runs one attempt of a node that has a `queue`. Resolves with the node's value, or rejects
   * with the error of the attempt (a `NodeTimeoutError` when it ran past its `timeout`, which the
   * executor enforces from the moment the attempt starts). The scheduler decides retries and
   * calls `runNode` again for each.
   */
  runNode(call: RemoteNodeCall): Promise<unknown>;
  /**
   * The stored outcome of a node of this run (a durable executor resuming it), or `undefined`:
   * a node with a stored outcome is not run again. A stored value is used as the node's value; a
   * stored failure ({@link StoredFailure}) fails the node at once, with no retry, as it failed
   * before (in fail-fast mode, a run with a stored failure ends with it before any node starts:
   * it had ended so). Asked, synchronously, of every node about to start.
   */
  stored?(node: string): StoredValue | StoredFailure | undefined;
  /**
   * A node failed for good (its last attempt failed, wherever it ran), and the run goes on
   * (settle mode) or fails fast with it: a durable executor stores the error, so that invoking
   * the run again fails the node the same way instead of running it. Not called for nodes the
   * run's stop cut short.
   */
  failed?(node: string, error: unknown): void;
  /**
   * A node that ran where `invoke` runs fulfilled (a durable executor stores its value), or an
   * immediate that a node with a `queue` depends on. `crosses` is true when a node with a `queue`
   * depends on it: its value must cross to a worker, and throwing (a `DagError` naming the node
   * and the value's place) fails this node, as a failed attempt of it, instead of its dependents.
   * Throwing fails the node whatever `crosses` is.
   */
  fulfilled?(node: string, value: unknown, crosses: boolean): void;
  /**
   * Attempt `attempt` of a node that runs where `invoke` runs is starting: a durable executor
   * records it, so that a resume counts it against the node's retry budget. A promise delays the
   * body until it settles (fulfilled or not): the attempt is recorded before it does anything,
   * so a process that dies while the body runs leaves it counted. Its timeout counts from the body's start.
   * Also called, for any node, when a retry is scheduled, with the attempt to come: a process
   * that dies during the retry's delay leaves the failed attempt counted.
   */
  attempted?(node: string, attempt: number): void | Promise<void>;
  /**
   * How many attempts of a node that runs where `invoke` runs earlier invocations of this run
   * started (0 when none, or for an executor that does not record them). On a resume, the node
   * goes on from there: the last of them, cut short by its process, runs again with the same
   * `ctx.attempt` (as a worker's job taken over does), and the ones before it count. Asked of
   * every node about to start for the first time in this invocation; for a node with a `queue`,
   * an executor answers it with the attempt that gave its stored value (so the trace shows it),
   * or the attempt a retry had scheduled, since its other attempts replay through the executor.
   */
  attemptsMade?(node: string): number;
  /**
   * The run ended (`invoke` settled): called once, after its last node call, with no argument
   * when `invoke` resolved and with the error it rejected with otherwise (`NodeFailedError` for
   * a run that failed fast, `DagAbortedError` for a cancelled one, or the error of `stop`).
   */
  end?(error?: Error): void;
}

/**
 * One attempt of one node, as the scheduler hands it to an executor.
 *
 * @example
 * runNode: async (call) => {
 *   const job = await queue.add(call.node, { args: call.args, attempt: call.attempt });
 *   call.started();
 *   return job.waitUntilFinished(events);
 * },
 */
export interface RemoteNodeCall {
  /** The node's name. */
  readonly node: string;
  /** The node's `queue` option. */
  readonly queue: string;
  /** Counts from 1; becomes `ctx.attempt` where the body runs. */
  readonly attempt: number;
  /** The values of the node's dependencies, in declared order. */
  readonly args: readonly unknown[];
  /** The names of the node's dependencies, in declared order (one per value of `args`). */
  readonly dependencies: readonly string[];
  /** Milliseconds per attempt, counted from the moment the attempt starts; `undefined` for none. */
  readonly timeout: number | undefined;
  /** The node's `priority` option (0 unless given). */
  readonly priority: number;
  /** Aborts when the run stops: the attempt should be cancelled wherever it is. */
  readonly signal: AbortSignal;
  /** Tells the scheduler the attempt has started where it runs (its trace `start`; the wait before it is `queued`). */
  started(): void;
}

/**
 * A value a durable executor stored for a node, wrapped so that a stored `undefined` is told
 * apart from no stored value.
 *
 * @example
 * const stored: StoredValue = { value: undefined }; // the node fulfilled with undefined
 */
export interface StoredValue {
  /** The node's stored value. */
  readonly value: unknown;
}

/**
 * A failure a durable executor stored for a node (its last attempt failed in an earlier
 * invocation of the run): the node fails with `error` again, and is not run.
 *
 * @example
 * const stored: StoredFailure = { failed: true, error: new Error('card declined') };
 */
export interface StoredFailure {
  /** Tells a stored failure apart from a stored value. */
  readonly failed: true;
  /** What the node's last attempt threw. */
  readonly error: unknown;
}

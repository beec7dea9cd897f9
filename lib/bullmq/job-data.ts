import type { ChainableCommander } from 'ioredis';
import { encodeIdPart } from './job-id';
import type { Wire } from './wire-codec';

/** The version of the job format below; a worker refuses a job of another version. */
export const WIRE_VERSION = 1;

/** What the invoking process puts in a node's job: names and values, never code. */
export interface NodeJobData {
  readonly v: typeof WIRE_VERSION;
  /** The flow's name (class name, or the builder's `name`). */
  readonly flow: string;
  readonly node: string;
  readonly runId: string;
  /** Which run of that `runId` (the run's `@incarnation`): a `runId` may name a new run once its run was forgotten. */
  readonly incarnation: string;
  readonly attempt: number;
  /** Milliseconds per attempt, from when the worker starts it; `null` for none. */
  readonly timeout: number | null;
  /** The encoded `params` of the run. */
  readonly params: Wire;
  /** The encoded values of the node's dependencies, in declared order. */
  readonly args: Wire[];
}

/**
 * A job's return value: the node's outcome. A failed attempt is a completed job whose outcome
 * says so, so that the error crosses whole (BullMQ keeps only a failed job's message) and
 * BullMQ's own retries never run: the scheduler decides retries.
 */
export type NodeOutcome = { readonly ok: true; readonly value: Wire } | { readonly ok: false; readonly error: Wire };

/**
 * The Redis pub/sub channel on which invokers announce runs that stopped (fail fast, cancellation),
 * each as {@link stoppedRunOf}.
 */
export function stopChannelOf(prefix: string): string {
  return `${prefix}:async-dag:stopped-runs`;
}

/**
 * How a stopped run is named on the stop channel, and remembered by workers: by its incarnation
 * and its id, so that a `runId` used again for a new run (its old run forgotten) is not refused.
 */
export function stoppedRunOf(runId: string, incarnation: string): string {
  return `${incarnation} ${runId}`;
}

/**
 * The Redis pub/sub channel of one run on which workers announce, as soon as they know, that an
 * attempt started and how it ended: a shortcut past BullMQ's event stream, which still carries
 * both (and the job keeps its outcome) for an invoker that missed a message. One channel per run,
 * so an invoker hears only its own runs.
 */
export function outcomeChannelOf(prefix: string, runId: string): string {
  return `${prefix}:async-dag:outcomes:${encodeIdPart(runId)}`;
}

/**
 * A message on a run's channel: from a worker, `{ id, started: true }` or `{ id, outcome }`; from
 * `executor.cancel()` in any process, `{ cancel: reason }`; from the process that orchestrated
 * the run, `{ done: status }` once its outcome is stored.
 */
export type OutcomeMessage =
  | { readonly id: string; readonly started: true }
  | { readonly id: string; readonly outcome: NodeOutcome }
  | { readonly cancel: string }
  | { readonly done: 'fulfilled' | 'rejected' };

// The fields of a run's hash. Each starts with a mark of its own, so that no node's name (which
// may be anything, `@cancelled` included) can be taken for another field.

/** Prefix of the fields that hold the value of each node (`=` and the node's name). */
export const VALUE = '=';

/** The field of a run's hash that holds what the run is: its flow, graph, params and mode (`failFast`). */
export const FINGERPRINT = '@fingerprint';

/**
 * The field of a run's hash that holds its incarnation: a token written when the hash is made,
 * carried by its node jobs and stop messages, so that what belongs to a forgotten run of the same
 * `runId` (a job still queued, a stop still remembered) is never taken for the new run's.
 */
export const INCARNATION = '@incarnation';

/**
 * The field of a run's hash that holds the token of the process that took its lease last: a
 * lease that lapsed is taken back only by that process (another may have held it since, and died).
 */
export const HOLDER = '@holder';

/** The field of a run's hash that says it was cancelled (its reason): it is never resumed. */
export const CANCELLED = '@cancelled';
/**
 * Prefix of the fields that count the attempts of each node: started, for a node that runs where
 * `invoke` runs; scheduled by a retry, for any node.
 */
export const ATTEMPTS = '@attempts:';
/** Prefix of the fields that hold the error of each node that failed for good. */
export const FAILED = '@failed:';
/** The field that holds how the run ended (`fulfilled` or `rejected`), once it did. */
export const OUTCOME = '@outcome';
/** The field that holds why a started run could not be orchestrated to its end (`RUN_FAILED`). */
export const ERROR = '@error';
/** The field that holds how `executor.start()` started the run (its `RunJobData`): `wait()` replays it. */
export const START = '@start';

/**
 * Adds to `multi` what stores how run `runId` ended and announces it on the run's channel, for
 * `wait()`: `first` keeps an outcome stored already. The caller adds what else its write needs
 * (an expiry, an error); the transaction makes the announcement follow all of it.
 */
export function storedOutcome(
  multi: ChainableCommander,
  prefix: string,
  runId: string,
  status: 'fulfilled' | 'rejected',
  first = false,
): ChainableCommander {
  const key = runKeyOf(prefix, runId);
  const message: OutcomeMessage = { done: status };
  return (first ? multi.hsetnx(key, OUTCOME, status) : multi.hset(key, OUTCOME, status)).publish(
    outcomeChannelOf(prefix, runId),
    JSON.stringify(message),
  );
}

/** The Redis hash of one run: its fingerprint, stored node outcomes, attempts, outcome and how it was started. */
export function runKeyOf(prefix: string, runId: string): string {
  return `${prefix}:async-dag:run:${encodeIdPart(runId)}`;
}

/**
 * The BullMQ queue of the runs of one flow started with `executor.start()`, served by the
 * `DagWorker`s given that flow and `runs: true`. One queue per flow, so a process takes only
 * runs of flows it knows.
 */
export function runsQueueOf(flow: string): string {
  return `async-dag-runs.${encodeIdPart(flow)}`;
}

/** What `executor.start()` puts in a run's job: how it was started, and which run of its `runId` it is. */
export interface RunJob extends RunJobData {
  /** The run's `@incarnation`: a job whose run was forgotten (and maybe made anew) does nothing. */
  readonly incarnation: string;
}

/** How `executor.start()` started a run, kept in the run's hash (`@start`) to replay it for `wait()`. */
export interface RunJobData {
  readonly v: typeof WIRE_VERSION;
  readonly flow: string;
  readonly runId: string;
  /** The encoded `params` of the run. */
  readonly params: Wire;
  readonly failFast: boolean;
  /** The `concurrency` invoke option; `null` for none. */
  readonly concurrency: number | null;
  /** ms the run's state is kept after it ended (the starting executor's `retention`). */
  readonly retention: number;
}

import { DagError } from '../index';
import type { WireValueError } from './wire-codec';

// The texts of the errors of `async-dag/bullmq`, in one place.

/** A value that must cross processes and cannot (a function, a class instance, a socket). */
export function unserializable(error: WireValueError, node: string | undefined): DagError {
  const who = node === undefined ? 'The run' : `Node "${node}"`;
  const fix =
    node === undefined
      ? "In a run with nodes on workers, `params` crosses to them: pass plain data, and put services in the flow's constructor."
      : 'Return plain data (objects, arrays, Date, Map, Set, BigInt, typed arrays, Errors): a node on a worker receives a copy.';
  return new DagError(
    'UNSERIALIZABLE_VALUE',
    `${who}: ${error.place} is ${error.what}, which cannot cross to another process. ${fix}`,
    {
      cause: error,
    },
  );
}

export function unknownFlow(flow: string, node: string, queue: string, known: readonly string[]): DagError {
  return new DagError(
    'UNKNOWN_FLOW',
    `The worker of queue "${queue}" does not know flow "${flow}" (asked to run its node "${node}"). ` +
      `Its flows: ${known.length === 0 ? '(none)' : known.join(', ')}. Give that flow to the DagWorker serving "${queue}".`,
  );
}

export function unknownNode(flow: string, node: string, queue: string, why: string): DagError {
  return new DagError(
    'UNKNOWN_NODE',
    `The worker of queue "${queue}" refused node "${node}" of flow "${flow}": ${why}. ` +
      'A worker runs only the nodes its own copy of the flow places on its queue; deploy the same version of the flow on both sides.',
  );
}

export function executorClosed(node: string | undefined): DagError {
  return new DagError(
    'EXECUTOR_CLOSED',
    node === undefined
      ? 'This bullmqExecutor was closed: make a new one to invoke with.'
      : `The bullmqExecutor was closed while node "${node}" was on a worker. Its job stays in the queue; invoke again with the same runId to pick the run up.`,
  );
}

/** A run in flight when its executor was closed: it ends at once, and can be resumed. */
export function closedMidRun(runId: string): DagError {
  return new DagError(
    'EXECUTOR_CLOSED',
    `The bullmqExecutor was closed while run "${runId}" was in flight. Its jobs stay in their queues and its ` +
      'stored results in Redis: invoke again with the same runId (and an open executor) to resume it.',
  );
}

export function badJob(queue: string, why: string): DagError {
  return new DagError('INVALID_JOB', `The worker of queue "${queue}" refused a job: ${why}.`);
}

/** A `runId` stored for a run of another flow, graph or params. */
export function runMismatch(
  runId: string,
  flow: string,
  stored: { flow: string; graph: string; params: string; mode?: string },
  given: { flow: string; graph: string; params: string; mode?: string },
): DagError {
  const what =
    stored.flow !== given.flow
      ? `flow "${stored.flow}", not "${given.flow}"`
      : stored.graph !== given.graph
        ? `another version of flow "${flow}" (its nodes or their dependencies differ)`
        : stored.params !== given.params
          ? 'the same flow with different params'
          : `the same flow and params in ${stored.mode ?? 'another'} mode, not ${given.mode ?? 'this one'} (the failFast option)`;
  return new DagError(
    'RUN_MISMATCH',
    `Run "${runId}" was started with ${what}: a runId names one run, and invoking it again resumes that run. ` +
      'Use a new runId for a new run.',
  );
}

/** A `runId` that another live process is orchestrating. */
export function runInProgress(runId: string, leaseMs: number): DagError {
  return new DagError(
    'RUN_IN_PROGRESS',
    `Run "${runId}" is being orchestrated by another live process: it kept renewing the run's lease ` +
      `for the ${leaseMs / 1000} s this invocation waited. Wait for the run's outcome in that process.`,
  );
}

/** A run this process orchestrated lost its lease: another process took the run over, or Redis lost it. */
export function leaseLost(runId: string, leaseMs: number): DagError {
  return new DagError(
    'RUN_IN_PROGRESS',
    `Run "${runId}" is no longer orchestrated by this process: it did not renew the run's lease within ` +
      `${leaseMs / 1000} s (its event loop was blocked, or Redis was unreachable), and another process took ` +
      'the run over (or Redis lost it). It stopped here; the run goes on where it was taken over.',
  );
}

/** `wait()` for a `runId` Redis does not know. */
export function unknownRun(runId: string): DagError {
  return new DagError(
    'UNKNOWN_RUN',
    `Run "${runId}" is not known: it was never started, or it ended longer ago than its retention and was forgotten. ` +
      'Check the runId, and the prefix and Redis of this executor.',
  );
}

/** `wait()` for a run that was invoked, not started with `executor.start()`. */
export function notStarted(runId: string): DagError {
  return new DagError(
    'NOT_STARTED',
    `Run "${runId}" was invoked, not started with executor.start(): its outcome is what that invoke settles with. ` +
      'To wait for a run from any process, start it with executor.start(flow, params, { runId }).',
  );
}

/** A started run whose job failed for good: no process could orchestrate it to its end. */
export function runFailed(runId: string, flow: string, error: Error): DagError {
  return new DagError(
    'RUN_FAILED',
    `Run "${runId}" of flow "${flow}" could not be orchestrated to its end: ${error.message.replace(/\.$/, '')}. ` +
      'Its job was tried as often as allowed (or its orchestrators kept dying); start it again under a new runId once the cause is fixed.',
    { cause: error },
  );
}

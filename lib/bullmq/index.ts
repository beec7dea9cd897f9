// `async-dag/bullmq`: runs the nodes that have a `queue` option on worker processes, through
// BullMQ on Redis. BullMQ and ioredis are optional peer dependencies of this entry point only.

export { BullmqExecutor, bullmqExecutor } from './bullmq-executor';
export { DagWorker } from './dag-worker';
export type { BullmqExecutorOptions } from './options/bullmq-executor-options';
export type { DagWorkerOptions, RunsOptions } from './options/dag-worker-options';
export type { FlowParams, FlowResult, RunStatus, StartOptions, WaitOptions } from './options/run-options';

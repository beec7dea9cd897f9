// The Temporal recipe: a flow whose nodes call activities, run as a Temporal workflow. The
// workflow sandbox replays this code deterministically; async-dag inside it decides when each
// activity is scheduled (every one the moment its last dependency resolves), and Temporal makes
// each activity call durable. scripts/check-runtimes.mjs bundles this file with Temporal's
// `bundleWorkflowCode` and runs it in the sandbox.
// #region docs
import { proxyActivities } from '@temporalio/workflow';
import { buildDag, type TaskNode, type TraceEntry } from 'async-dag';
import type * as activities from './temporal-activities';

// Retries and timeouts of activities are Temporal's (durable); the graph only orders the calls.
const { loadCustomer, loadOrders, scoreRisk, writeReport } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

let report!: TaskNode<string>;
// Built once, at module load: the graph is immutable and serves every workflow run.
// Each node passes only its values on: an activity's arguments must be serializable (not `ctx`).
const reportGraph = buildDag<string>((tm) => {
  const customer = tm.with({ name: 'customer' }).addNode((id: string) => loadCustomer(id));
  const orders = tm.with({ name: 'orders' }).addNode((c: activities.Customer) => loadOrders(c), customer);
  const risk = tm.with({ name: 'risk' }).addNode((c: activities.Customer) => scoreRisk(c), customer);
  report = tm
    .with({ name: 'report' })
    .addNode((c: activities.Customer, o: number[], r: number) => writeReport(c, o, r), customer, orders, risk);
});

export async function customerReport(customerId: string): Promise<{ report: string; trace: TraceEntry[] }> {
  const result = await reportGraph.invoke(customerId);
  // The trace is in workflow time: the same on every replay.
  return { report: report.extractResult(result), trace: [...result.trace.nodes] };
}
// #endregion docs

// Workflows that scripts/check-runtimes.mjs runs in Temporal's sandbox besides the recipe
// (examples/temporal-workflow.ts): the recipe with the class DSL, its decorators compiled by
// Temporal's own bundler (swc) as a Temporal user's would be, and a node timeout as a workflow timer.
import { proxyActivities } from '@temporalio/workflow';
import { buildDag, Dag, node, NodeFailedError, NodeTimeoutError, type TraceEntry } from 'async-dag';
import type * as activities from '../../examples/temporal-activities';

const { loadCustomer, loadOrders, scoreRisk, writeReport } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
});

class CustomerReport extends Dag<string> {
  @node() customer(id: string) {
    return loadCustomer(id);
  }
  @node('customer') orders(c: activities.Customer) {
    return loadOrders(c);
  }
  @node('customer') risk(c: activities.Customer) {
    return scoreRisk(c);
  }
  @node('customer', 'orders', 'risk') report(c: activities.Customer, o: number[], r: number) {
    return writeReport(c, o, r);
  }
}

export async function customerReportClass(customerId: string): Promise<{ report: string; trace: TraceEntry[] }> {
  const result = await new CustomerReport().invoke(customerId);
  return { report: result.get('report'), trace: [...result.trace.nodes] };
}

/**
 * A node's own timeout and retry in a workflow: the timeout is a workflow timer, so a scoring
 * that takes longer than 1 s of workflow time fails each of its two attempts at exactly 1 s.
 */
export async function scoreWithDeadline(customerId: string): Promise<{ code: string; attempts: number; at: number }> {
  const started = Date.now();
  const flow = buildDag<string>((tm) => {
    const customer = tm.with({ name: 'customer' }).addNode((id: string) => loadCustomer(id));
    tm.with({ name: 'risk', timeout: 1_000, retry: 1 }).addNode((c: activities.Customer) => scoreRisk(c), customer);
  });
  try {
    await flow.invoke(customerId);
    return { code: 'none', attempts: 0, at: Date.now() - started };
  } catch (error) {
    if (!(error instanceof NodeFailedError)) throw error;
    const cause = error.cause instanceof NodeTimeoutError ? error.cause.code : String(error.cause);
    const risk = error.partial.trace.nodes.find((n) => n.name === 'risk');
    return { code: `${error.code} <- ${cause}`, attempts: risk?.attempts ?? 0, at: Date.now() - started };
  }
}

// The Temporal recipe with the class DSL: the same flow as examples/temporal-workflow.ts, with
// its decorators compiled by Temporal's own bundler (swc), as a Temporal user's would be.
// scripts/check-runtimes.mjs runs it in the workflow sandbox.
import { proxyActivities } from '@temporalio/workflow';
import { Dag, node, type TraceEntry } from 'async-dag';
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

// The Temporal recipe (examples/temporal-workflow.ts) outside the workflow sandbox: Temporal's
// `proxyActivities` replaced by the activities themselves, so that the flow's logic is checked
// with the library's sources. scripts/check-runtimes.mjs runs the very same file in Temporal's
// sandbox, bundled by Temporal against the built package, with activity results delivered by
// workflow activations. (`jest.mock` is hoisted above the imports.)
import * as activities from '../../examples/temporal-activities';
import { customerReport } from '../../examples/temporal-workflow';

jest.mock('@temporalio/workflow', () => ({
  proxyActivities: () =>
    jest.requireActual<typeof import('../../examples/temporal-activities')>('../../examples/temporal-activities'),
}));

describe('examples/temporal-workflow', () => {
  it('calls each activity as soon as the activities it needs have returned, and writes the report', async () => {
    const { report, trace } = await customerReport('c-1');
    expect(report).toBe('Ada: 2 orders, 200 total, risk 0.3');
    const at = (name: string) => trace.find((n) => n.name === name)!;
    expect(trace.map((n) => n.name)).toEqual(['customer', 'orders', 'risk', 'report']);
    expect(at('orders').start).toBeGreaterThanOrEqual(at('customer').end!);
    expect(at('risk').start).toBeGreaterThanOrEqual(at('customer').end!);
    expect(at('report').start).toBeGreaterThanOrEqual(Math.max(at('orders').end!, at('risk').end!));
  });

  it('has activities that are plain async functions of serializable values', async () => {
    const customer = await activities.loadCustomer('c-2');
    expect(JSON.parse(JSON.stringify(customer))).toEqual(customer);
    await expect(activities.loadOrders(customer)).resolves.toEqual([]);
    await expect(activities.writeReport(customer, [], 0.3)).resolves.toBe('Ada: 0 orders, 0 total, risk 0.3');
  });
});

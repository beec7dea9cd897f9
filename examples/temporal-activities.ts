// The activities of the Temporal recipe (examples/temporal-workflow.ts): ordinary async
// functions that a Temporal worker runs outside the workflow sandbox, where I/O is allowed.
// #region docs
export interface Customer {
  id: string;
  name: string;
}

export async function loadCustomer(customerId: string): Promise<Customer> {
  return { id: customerId, name: 'Ada' }; // a database read, in real life
}

export async function loadOrders(customer: Customer): Promise<number[]> {
  return customer.id === 'c-1' ? [120, 80] : []; // another service
}

export async function scoreRisk(customer: Customer): Promise<number> {
  return customer.name.length / 10; // a slow model call
}

export async function writeReport(customer: Customer, orders: number[], risk: number): Promise<string> {
  const total = orders.reduce((sum, amount) => sum + amount, 0);
  return `${customer.name}: ${orders.length} orders, ${total} total, risk ${risk}`;
}
// #endregion docs

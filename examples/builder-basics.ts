// The builder in one snippet: nodes are functions, dependencies are the TaskNodes they need.
// #region docs
import { buildDag, type TaskNode } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface User {
  id: number;
  name: string;
}
interface Order {
  total: number;
}

// A node is called as fn(...dependencyValues, params, ctx); it may take fewer arguments.
async function fetchUser(userId: number): Promise<User> {
  await sleep(20);
  return { id: userId, name: userId === 1 ? 'Ada' : 'Grace' };
}
async function fetchOrders(userId: number): Promise<Order[]> {
  await sleep(30);
  return [{ total: 12 * userId }, { total: 30 }];
}
function total(orders: Order[]): number {
  return orders.reduce((sum, order) => sum + order.total, 0);
}
function summary(user: User, orders: Order[], sum: number): string {
  return `${user.name}: ${orders.length} orders, ${sum} in total`;
}

let line!: TaskNode<string>;
const dag = buildDag<number>((tm) => {
  const user = tm.addNode(fetchUser); // no dependency: starts at once, gets (params, ctx)
  const orders = tm.addNode(fetchOrders); // runs in parallel with fetchUser
  const sum = tm.addNode(total, orders); // starts as soon as fetchOrders resolves
  line = tm.addNode(summary, user, orders, sum);
}); // sealed and validated here

export async function main(log = console.log) {
  // One graph, any number of invocations, concurrent ones too.
  const [ada, grace] = await Promise.all([dag.invoke(1), dag.invoke(2)]);
  log(line.extractResult(ada)); // Ada: 2 orders, 42 in total
  log(grace.get(line)); // Grace: 2 orders, 54 in total
  return [line.extractResult(ada), grace.get(line)];
}
// #endregion docs

if (require.main === module) void main();

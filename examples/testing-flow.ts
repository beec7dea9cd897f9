// The flow that docs/testing.md tests: a profile page that fetches a user and their orders side
// by side, then combines them.
// #region docs
import { Dag, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface User {
  id: string;
  name: string;
}
export interface Order {
  id: string;
  total: number;
}
/** What the flow needs from the outside world; tests give it a fake, or replace nodes. */
export interface Shop {
  findUser(id: string): Promise<User>;
  findOrders(userId: string): Promise<Order[]>;
}

export class ProfileFlow extends Dag<{ userId: string }> {
  constructor(private readonly shop: Shop) {
    super();
  }

  @node() user(p: { userId: string }): Promise<User> {
    return this.shop.findUser(p.userId);
  }

  @node() orders(p: { userId: string }): Promise<Order[]> {
    return this.shop.findOrders(p.userId);
  }

  @node('user', 'orders') profile(user: User, orders: Order[]): string {
    const spent = orders.reduce((sum, order) => sum + order.total, 0);
    return `${user.name}: ${orders.length} orders, ${spent} spent`;
  }
}

/** A shop that answers after `latency` ms, as a remote service would. */
export function demoShop(latency = 20): Shop {
  return {
    findUser: async (id) => {
      await sleep(latency);
      return { id, name: 'Ada' };
    },
    findOrders: async () => {
      await sleep(latency);
      return [
        { id: 'o1', total: 30 },
        { id: 'o2', total: 12 },
      ];
    },
  };
}

export async function main(log: (line: string) => void = console.log): Promise<string> {
  const result = await new ProfileFlow(demoShop()).invoke({ userId: 'u1' });
  const profile = result.get('profile');
  log(profile);
  return profile;
}
// #endregion docs

if (require.main === module) void main();

import { Injectable } from '@nestjs/common';

/** One order of a user. */
export interface Order {
  readonly id: string;
  readonly total: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fake order store: answers after `latency` ms, as a remote service would. */
@Injectable()
export class OrdersService {
  latency = 40;

  async findByUser(userId: string): Promise<Order[]> {
    await sleep(this.latency);
    return userId === 'u1'
      ? [
          { id: 'o1', total: 30 },
          { id: 'o2', total: 12 },
        ]
      : [];
  }
}

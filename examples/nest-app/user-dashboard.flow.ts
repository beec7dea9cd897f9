// #region docs
import { Inject, Injectable } from '@nestjs/common';
import { Dag, node } from 'async-dag';
import { OrdersService, type Order } from './orders.service';
import { UsersService, type User } from './users.service';

export interface Dashboard {
  readonly name: string;
  readonly orders: number;
  readonly spent: number;
}

/** Fetches a user and their orders side by side, then combines them. */
@Injectable()
export class UserDashboardFlow extends Dag<{ userId: string }> {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(OrdersService) private readonly ordersService: OrdersService,
  ) {
    super();
  }

  @node()
  async user(params: { userId: string }): Promise<User> {
    return this.users.findById(params.userId);
  }

  @node()
  async orders(params: { userId: string }): Promise<Order[]> {
    return this.ordersService.findByUser(params.userId);
  }

  @node('user', 'orders')
  dashboard(user: User, orders: Order[]): Dashboard {
    return { name: user.name, orders: orders.length, spent: orders.reduce((sum, o) => sum + o.total, 0) };
  }
}
// #endregion docs

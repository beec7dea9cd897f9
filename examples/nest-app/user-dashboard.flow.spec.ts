// #region docs
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { dagMatchers } from 'async-dag/testing';
import { AppModule } from './app.module';
import { DashboardController } from './dashboard.controller';
import { OrdersService } from './orders.service';
import { UserDashboardFlow } from './user-dashboard.flow';
import { UsersService } from './users.service';

// AppModule logs every run (`logger: true`); keep the test output quiet.
beforeEach(() => {
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
  jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

expect.extend(dagMatchers);

describe('UserDashboardFlow', () => {
  let moduleRef: TestingModule;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(UsersService)
      .useValue({ findById: async (id: string) => ({ id, name: 'Grace' }) })
      .overrideProvider(OrdersService)
      .useValue({
        findByUser: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return [{ id: 'o9', total: 5 }];
        },
      })
      .compile();
    await moduleRef.init(); // validates every flow, applies DagModule's defaults
  });
  afterEach(() => moduleRef.close());

  it('fetches the user and the orders concurrently, then combines them', async () => {
    const result = await moduleRef.get(UserDashboardFlow).invoke({ userId: 'u7' });
    expect(result.get('dashboard')).toEqual({ name: 'Grace', orders: 1, spent: 5 });
    expect(result).toHaveRunConcurrently('user', 'orders');
    expect(result).toHaveRunBefore('orders', 'dashboard');
  });

  it('is what the controller serves', async () => {
    await expect(moduleRef.get(DashboardController).dashboard('u7')).resolves.toEqual({
      name: 'Grace',
      orders: 1,
      spent: 5,
    });
  });
});
// #endregion docs

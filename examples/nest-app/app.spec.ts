import { Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Dag, DagDefinitionError, node } from 'async-dag';
import { DagModule } from 'async-dag/nest';
import { dagMatchers } from 'async-dag/testing';
import { AppModule } from './app.module';
import { main } from './main';
import { UserDashboardFlow } from './user-dashboard.flow';

expect.extend(dagMatchers);

beforeEach(() => {
  // AppModule logs every run; keep the test output quiet.
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
  jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => {});
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('the example app', () => {
  it('fetches the user and the orders concurrently, then combines them', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    await moduleRef.init();
    try {
      const result = await moduleRef.get(UserDashboardFlow).invoke({ userId: 'u1' });
      expect(result.get('dashboard')).toEqual({ name: 'Ada', orders: 2, spent: 42 });
      expect(result).toHaveRunConcurrently('user', 'orders');
      expect(result).toHaveRunBefore('user', 'dashboard');
      expect(result).toHaveRunBefore('orders', 'dashboard');
    } finally {
      await moduleRef.close();
    }
  });

  it('answers over HTTP (main.ts, on 127.0.0.1 and a free port), with a 404 thrown in a node', async () => {
    const lines: string[] = [];
    await expect(main((line) => lines.push(line))).resolves.toEqual({ name: 'Ada', orders: 2, spent: 42 });
    expect(lines).toEqual([
      'GET /users/u1/dashboard -> 200 {"name":"Ada","orders":2,"spent":42}',
      'GET /users/u404/dashboard -> 404 {"message":"No user u404","error":"Not Found","statusCode":404}',
    ]);
  });

  it('fails to start when a flow is broken (a cycle), with the DagDefinitionError', async () => {
    @Injectable()
    class BrokenFlow extends Dag<void> {
      @node('second') first(x: number) {
        return x;
      }
      @node('first') second(x: number) {
        return x;
      }
    }
    @Module({ imports: [DagModule.forRoot()], providers: [BrokenFlow] })
    class BrokenModule {}

    const boot = async () => {
      const moduleRef = await Test.createTestingModule({ imports: [BrokenModule] }).compile();
      await moduleRef.init();
      return moduleRef;
    };
    const error: unknown = await boot().then(
      (moduleRef) => moduleRef.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toMatchObject({ code: 'CYCLE', message: expect.stringContaining('BrokenFlow') });
    expect((error as Error).message).toMatch(/first -> second -> first|second -> first -> second/);
  });
});

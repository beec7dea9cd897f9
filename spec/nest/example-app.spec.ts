// The example app of docs/nestjs.md, seen from outside: its flow's graph, its module booting as a
// plain application context, and its own spec being one that jest runs.
import { Logger, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { graphOf } from 'async-dag';
import { AppModule } from '../../examples/nest-app/app.module';
import { DashboardController } from '../../examples/nest-app/dashboard.controller';
import { OrdersService } from '../../examples/nest-app/orders.service';
import { UserDashboardFlow } from '../../examples/nest-app/user-dashboard.flow';
import { UsersService } from '../../examples/nest-app/users.service';

const root = join(__dirname, '..', '..');

describe('examples/nest-app', () => {
  it('UserDashboardFlow: user and orders are roots, dashboard needs both', () => {
    expect(graphOf(UserDashboardFlow).toMermaid()).toBe(
      ['graph TD', '    user --> dashboard', '    orders --> dashboard'].join('\n') + '\n',
    );
  });

  it('AppModule boots as an application context and the controller serves a dashboard', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => {});
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      await expect(app.get(DashboardController).dashboard('u1')).resolves.toEqual({
        name: 'Ada',
        orders: 2,
        spent: 42,
      });
    } finally {
      await app.close();
      jest.restoreAllMocks();
    }
  });

  it('its services answer after a delay, and a user that does not exist is a NotFoundException', async () => {
    const users = new UsersService();
    users.latency = 0;
    await expect(users.findById('u2')).resolves.toEqual({ id: 'u2', name: 'Grace' });
    await expect(users.findById('u9')).rejects.toThrow(new NotFoundException('No user u9'));
    const orders = new OrdersService();
    orders.latency = 0;
    await expect(orders.findByUser('u1')).resolves.toHaveLength(2);
    await expect(orders.findByUser('u2')).resolves.toEqual([]);
  });

  it("the test shown in docs/nestjs.md is run by jest's nest-app project", () => {
    const spec = join(__dirname, '../../examples/nest-app/user-dashboard.flow.spec.ts');
    expect(existsSync(spec)).toBe(true);
    const config = require(join(root, 'jest.config.js')) as {
      projects: { displayName: string; roots: string[]; testMatch: string[] }[];
    };
    const project = config.projects.find((p) => p.displayName === 'nest-app')!;
    expect(project.roots.map((r) => r.replace('<rootDir>', root))).toContain(join(root, 'examples/nest-app'));
    expect(relative(join(root, 'examples/nest-app'), spec)).toMatch(/\.spec\.ts$/);
  });
});

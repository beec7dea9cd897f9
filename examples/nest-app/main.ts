// Boots the app over HTTP on 127.0.0.1 (a free port), asks for a dashboard and for one of a user
// who does not exist (a NotFoundException thrown in a node: 404), and shuts down.
// Run it with `npx tsx examples/nest-app/main.ts`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';

export async function main(log: (line: string) => void = console.log): Promise<unknown> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      const body: unknown = await response.json();
      log(`GET ${path} -> ${response.status} ${JSON.stringify(body)}`);
      return body;
    };
    const dashboard = await get('/users/u1/dashboard');
    await get('/users/u404/dashboard');
    return dashboard;
  } finally {
    await app.close();
  }
}

if (require.main === module) void main();

// Boots the app over HTTP on 127.0.0.1 (a free port), asks for one dashboard, and shuts down.
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
    const response = await fetch(`http://127.0.0.1:${port}/users/u1/dashboard`);
    const body: unknown = await response.json();
    log(`GET /users/u1/dashboard -> ${response.status} ${JSON.stringify(body)}`);
    return body;
  } finally {
    await app.close();
  }
}

if (require.main === module) void main();

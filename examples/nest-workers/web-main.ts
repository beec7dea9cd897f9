// The web app's entry: boots over HTTP on a free port, asks for one report, and shuts down.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { WebModule } from './web.module';

export async function main(redisPort: number, log: (line: string) => void = console.log): Promise<unknown> {
  const app = await NestFactory.create(WebModule.forRedis({ host: '127.0.0.1', port: redisPort }), {
    logger: ['error', 'warn'],
  });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/reports/2026-12`);
    const body = (await response.json()) as { published: string };
    log(`GET /reports/2026-12 -> ${response.status} ${body.published}`);
    return body;
  } finally {
    await app.close();
  }
}

if (require.main === module) void main(Number(process.env.REDIS_PORT ?? 6379));

// The worker app's entry: `REDIS_PORT=6379 node --import tsx examples/nest-workers/worker-main.ts`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

export async function startWorkerApp(port: number) {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRedis({ host: '127.0.0.1', port }), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks(); // SIGTERM closes the app, and with it the workers
  return app;
}

if (require.main === module) {
  void startWorkerApp(Number(process.env.REDIS_PORT ?? 6379)).then(() => console.log('ready'));
}

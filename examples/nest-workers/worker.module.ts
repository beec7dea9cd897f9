// The worker app: the same flow providers, served on queue 'render'; no controllers.
// #region docs
import { Module, type DynamicModule } from '@nestjs/common';
import { DagWorker } from 'async-dag/bullmq';
import { DagModule } from 'async-dag/nest';
import { ReportFlow } from './report.flow';
import { SalesService } from './sales.service';

@Module({})
export class WorkerModule {
  static forRedis(connection: { host: string; port: number }): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        DagModule.forRoot({
          // Started with the app, with its own flow providers (services injected); closed with it.
          workers: (flows) => [new DagWorker({ connection, queue: 'render', flows, concurrency: 4 })],
        }),
      ],
      providers: [SalesService, ReportFlow],
    };
  }
}
// #endregion docs

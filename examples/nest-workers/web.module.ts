// The web app: invokes ReportFlow; every flow of the app sends its queued nodes to workers.
// #region docs
import { Inject, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import { DagModule } from 'async-dag/nest';
import { bullmqExecutor, type BullmqExecutor } from 'async-dag/bullmq';
import { ReportController } from './report.controller';
import { ReportFlow } from './report.flow';
import { SalesService } from './sales.service';

const EXECUTOR = Symbol('EXECUTOR');

/** Closes the executor when the app closes. */
class ExecutorCloser implements OnModuleDestroy {
  constructor(@Inject(EXECUTOR) private readonly executor: BullmqExecutor) {}
  onModuleDestroy(): Promise<void> {
    return this.executor.close();
  }
}

@Module({})
export class WebModule {
  static forRedis(connection: { host: string; port: number }): DynamicModule {
    const executor = bullmqExecutor({ connection });
    return {
      module: WebModule,
      imports: [DagModule.forRoot({ defaults: { executor } })],
      providers: [SalesService, ReportFlow, { provide: EXECUTOR, useValue: executor }, ExecutorCloser],
      controllers: [ReportController],
    };
  }
}
// #endregion docs

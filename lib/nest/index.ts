// `async-dag/nest`: the NestJS integration. Only this entry imports @nestjs/common and @nestjs/core.

export { DagModule } from './dag-module';
export { DAG_MODULE_OPTIONS } from './dag-module-options';
export type { DagModuleAsyncOptions, DagModuleOptions, DagModuleWorker } from './dag-module-options';
export { nestLoggerObserver } from './nest-logger-observer';

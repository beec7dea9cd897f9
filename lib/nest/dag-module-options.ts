import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { InvokeOptions } from '../run';

/**
 * Options of {@link DagModule.forRoot}.
 *
 * @example
 * DagModule.forRoot({ defaults: { concurrency: 8 }, logger: true })
 */
export interface DagModuleOptions {
  /**
   * Invocation options for every flow instance of this app (not of other apps in the same
   * process); the options given to one `invoke` override them key by key, so an `observer`
   * given to one `invoke` replaces the one here for that run. The logger (`logger: true`) is
   * not a default: it runs beside whichever observer a run has.
   */
  defaults?: InvokeOptions | undefined;
  /**
   * Logs every run through Nest's `Logger`, in the context of the flow's class: run start and end
   * (`log`), each node's end with its duration (`debug`), retries (`warn`), failures (`error`,
   * once per failure; `warn` for an `HttpException` below 500). It runs beside the observer of
   * `defaults` or of one `invoke`. Default `false`.
   */
  logger?: boolean | undefined;
  /**
   * Makes this app a worker for its own flows: called once the app's providers exist, with its
   * singleton flow instances (their services injected), it returns the workers to run, started
   * with the app and closed when it closes. The workers come from `async-dag/bullmq`.
   *
   * @example
   * DagModule.forRoot({ workers: (flows) => [new DagWorker({ connection, queue: 'render', flows })] })
   */
  workers?: ((flows: object[]) => DagModuleWorker | readonly DagModuleWorker[]) | undefined;
}

/**
 * What `DagModule.forRoot({ workers })` runs: a `DagWorker` of `async-dag/bullmq`, or anything
 * that can be awaited ready and closed.
 *
 * @example
 * const worker: DagModuleWorker = new DagWorker({ connection, queue: 'render', flows });
 */
export interface DagModuleWorker {
  /** Resolves once the worker takes jobs; the app's start-up waits for it. */
  waitUntilReady?(): Promise<void>;
  /** Stops taking jobs and waits for those running; called when the app shuts down. */
  close(): Promise<void>;
}

/**
 * Options of {@link DagModule.forRootAsync}: the module options come from a factory that can
 * use other providers.
 *
 * @example
 * DagModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ defaults: { concurrency: config.get('DAG_CONCURRENCY') } }),
 * })
 */
export interface DagModuleAsyncOptions {
  /** Modules that export the providers listed in `inject`. */
  imports?: ModuleMetadata['imports'];
  /** Providers whose instances are given to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  /** Makes the module's options; may be async. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the instances of `inject`, whose types only the factory knows (as Nest's own `useFactory`)
  useFactory: (...args: any[]) => DagModuleOptions | Promise<DagModuleOptions>;
}

/**
 * The injection token of the resolved {@link DagModuleOptions}.
 *
 * @example
 * constructor(@Inject(DAG_MODULE_OPTIONS) private readonly options: DagModuleOptions) {}
 */
// Registered, so that the ESM and CommonJS copies of this entry (if an app loads both) agree on it.
export const DAG_MODULE_OPTIONS: symbol = Symbol.for('async-dag:DagModuleOptions');

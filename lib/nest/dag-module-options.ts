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
  imports?: any[] | undefined;
  /** Providers whose instances are given to `useFactory`, in order. */
  inject?: any[] | undefined;
  /** Makes the module's options; may be async. */
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

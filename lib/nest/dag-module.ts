import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { resolveInvokeOptions } from '../run';
import { shown } from '../errors';
import { DagExplorer } from './dag-explorer';
import { DagWorkerHost } from './dag-worker-host';
import { DAG_MODULE_OPTIONS, type DagModuleAsyncOptions, type DagModuleOptions } from './dag-module-options';
import { NodeHttpExceptionInterceptor } from './node-http-exception-interceptor';

const OPTION_KEYS = ['defaults', 'logger', 'workers'];

function checkOptions(options: unknown): DagModuleOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${shown(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new TypeError(`Unknown DagModule option \`${key}\`. Known options: ${OPTION_KEYS.join(', ')}.`);
    }
  }
  const { defaults, logger, workers } = options as DagModuleOptions;

  if (workers !== undefined && typeof workers !== 'function') {
    throw new TypeError(`Expected \`workers\` to be a function (flows) => workers, got ${shown(workers)}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
  if (defaults !== undefined && (typeof defaults !== 'object' || defaults === null)) {
    throw new TypeError(`Expected \`defaults\` to be an object of invocation options, got ${shown(defaults)}`);
  }
  const checked = resolveInvokeOptions(defaults);
  if (checked instanceof TypeError) throw checked;
  if (logger !== undefined && typeof logger !== 'boolean') {
    throw new TypeError(`Expected \`logger\` to be a boolean, got ${shown(logger)}`);
  }
  return options;
}

const explorer: Provider = {
  provide: DagExplorer,
  useFactory: (discovery: DiscoveryService, options: DagModuleOptions) => new DagExplorer(discovery, options),
  inject: [DiscoveryService, DAG_MODULE_OPTIONS],
};

const workerHost: Provider = {
  provide: DagWorkerHost,
  useFactory: (discovery: DiscoveryService, options: DagModuleOptions) => new DagWorkerHost(discovery, options),
  inject: [DiscoveryService, DAG_MODULE_OPTIONS],
};

const httpExceptions: Provider = { provide: APP_INTERCEPTOR, useClass: NodeHttpExceptionInterceptor };

/**
 * Makes every `Dag` provider of a Nest app a checked, configured flow. When the app starts, it
 * finds each provider that is a `Dag` and validates its graph, so a broken flow (a cycle, an
 * unknown dependency) fails the boot with a `DagDefinitionError` naming the provider, and a flow
 * whose constructor Nest would not inject (no `@Injectable()`) fails it with a `DagError`
 * `NOT_INJECTABLE`; and it gives every flow instance of this app the module's invocation
 * `defaults` (and a logger, with `logger: true`), which the options of one `invoke` override.
 * A `NodeFailedError` whose cause is an `HttpException` reaches Nest's exception layer as that
 * `HttpException` (a `NotFoundException` in a node answers 404). Import it once, in the root
 * module: it is global.
 *
 * Flows are ordinary providers: inject services through their constructors; request-scoped
 * flows (`@Injectable({ scope: Scope.REQUEST })`) work too. With `defaults: { executor }`, every
 * flow runs its queued nodes on workers; with `workers`, the app serves as a worker for its own
 * flow providers (see `async-dag/bullmq`).
 *
 * @example
 * @Module({
 *   imports: [DagModule.forRoot({ defaults: { concurrency: 8 }, logger: true })],
 *   providers: [UsersService, OrdersService, UserDashboardFlow],
 *   controllers: [DashboardController],
 * })
 * export class AppModule {}
 */
@Module({})
export class DagModule {
  /**
   * The module with options known up front.
   *
   * @example
   * DagModule.forRoot({ defaults: { failFast: true, concurrency: 4 }, logger: true })
   */
  static forRoot(options?: DagModuleOptions): DynamicModule {
    const checked = checkOptions(options);
    return {
      module: DagModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: DAG_MODULE_OPTIONS, useValue: checked }, explorer, workerHost, httpExceptions],
      exports: [DAG_MODULE_OPTIONS],
    };
  }

  /**
   * The module with options made by a factory, which may use other providers and be async.
   *
   * @example
   * DagModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ logger: config.get('DAG_LOGS') === 'on' }),
   * })
   */
  static forRootAsync(options: DagModuleAsyncOptions): DynamicModule {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
    if (typeof options !== 'object' || options === null || typeof options.useFactory !== 'function') {
      throw new TypeError(
        `Expected \`options.useFactory\` to be a function, got ${shown((options as Partial<DagModuleAsyncOptions> | null)?.useFactory)}`,
      );
    }
    const { useFactory, inject = [], imports = [] } = options;
    return {
      module: DagModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      providers: [
        {
          provide: DAG_MODULE_OPTIONS,
          useFactory: async (...args: unknown[]) => checkOptions(await useFactory(...args)),
          inject,
        },
        explorer,
        workerHost,
        httpExceptions,
      ],
      exports: [DAG_MODULE_OPTIONS],
    };
  }
}

import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { classGraphOf, isDagClass, setInvokeDefaults } from '../dsl';
import { DagDefinitionError } from '../errors';
import type { DagObserver } from '../run';
import { notInjectableError, uninjectedParameters } from './constructor-injection';
import type { DagModuleOptions } from './dag-module-options';
import { nestLoggerObserver } from './nest-logger-observer';

/** The parts of Nest's `InstanceWrapper` that are read (and, for `metatype`, replaced) here. */
interface ProviderWrapper {
  readonly name: unknown;
  metatype: Function | null;
  readonly inject?: unknown;
  readonly instance: unknown;
  readonly host?: { readonly name?: string } | undefined;
  readonly isTransient?: boolean;
  isDependencyTreeStatic(): boolean;
  getStaticTransientInstances?(): readonly { readonly instance: unknown }[];
}

/** The flow class behind a provider: its class (class providers), or the class of its instance (value and factory providers). */
function flowClassOf(wrapper: ProviderWrapper): Function | undefined {
  const { metatype, inject } = wrapper;
  if (typeof metatype === 'function' && (inject === undefined || inject === null)) {
    return isDagClass(metatype) ? metatype : undefined;
  }
  if (!wrapper.isDependencyTreeStatic()) return undefined;
  const instance = wrapper.instance as { constructor?: unknown } | null | undefined;
  if (typeof instance !== 'object' || instance === null) return undefined;
  const { constructor } = instance;
  return typeof constructor === 'function' && isDagClass(constructor) ? constructor : undefined;
}

function providerName(wrapper: ProviderWrapper, flowClass: Function): string {
  const name = typeof wrapper.name === 'string' ? wrapper.name : String(wrapper.name);
  const host = wrapper.host?.name;
  const what = name === flowClass.name ? `Provider ${name}` : `Provider ${name} (a ${flowClass.name})`;
  return host === undefined ? what : `${what} in ${host}`;
}

/**
 * A stand-in for a flow class that Nest constructs per request or per injection: `new` on it
 * makes a genuine instance of `Flow` (same class, same graph) and hands it to `configure`.
 * Reflect metadata (constructor parameters, `@Inject`, `@Optional`) is found through its
 * prototype chain, so Nest resolves the same dependencies as for `Flow` itself.
 */
function configuringConstructor(Flow: Function, configure: (instance: object) => void): Function {
  const Configuring = function (this: unknown, ...args: unknown[]): object {
    const instance = Reflect.construct(Flow, args) as object;
    configure(instance);
    return instance;
  };
  Object.setPrototypeOf(Configuring, Flow);
  Configuring.prototype = Flow.prototype as object;
  Object.defineProperty(Configuring, 'name', { value: Flow.name });
  return Configuring;
}

/** The same for a factory provider whose instances are made per request: configures what the factory returns. */
function configuringFactory(factory: Function, configure: (instance: object) => void): Function {
  const make = factory as (...args: unknown[]) => unknown;
  return async (...args: unknown[]) => {
    const instance: unknown = await make(...args);
    if (typeof instance === 'object' && instance !== null) configure(instance);
    return instance;
  };
}

/**
 * Finds every provider that is a `Dag` when the app starts, validates its graph (so a broken flow
 * fails the boot, not the first request), checks that Nest injects what its constructor declares,
 * and gives each of this app's flow instances the module's invocation defaults (and logger).
 *
 * The defaults belong to the instances, never to the classes: two apps (or two testing modules)
 * in one process share the classes but not the instances, so each keeps its own defaults, and
 * closing one leaves the other as it was. Instances that Nest makes later (request-scoped and
 * transient flows) are configured as they are made.
 */
export class DagExplorer implements OnModuleInit, OnModuleDestroy {
  readonly #discovery: DiscoveryService;
  readonly #options: DagModuleOptions;
  /** The instances configured by this app, to leave them as they were when it closes. */
  readonly #instances = new Set<object>();
  /** Providers whose constructor (or factory) was replaced, with the original, to put it back. */
  readonly #replaced = new Map<ProviderWrapper, Function>();
  readonly #loggers = new Map<Function, DagObserver>();

  constructor(discovery: DiscoveryService, options: DagModuleOptions | undefined) {
    this.#discovery = discovery;
    this.#options = options ?? {};
  }

  onModuleInit(): void {
    for (const wrapper of this.#discovery.getProviders() as unknown as ProviderWrapper[]) {
      const flowClass = flowClassOf(wrapper);
      if (flowClass === undefined) continue;
      this.#validate(wrapper, flowClass);
      this.#configureProvider(wrapper, flowClass);
    }
  }

  /** Leaves the instances (and the providers) as they were before the app started. */
  onModuleDestroy(): void {
    for (const instance of this.#instances) setInvokeDefaults(instance, undefined);
    this.#instances.clear();
    for (const [wrapper, original] of this.#replaced) wrapper.metatype = original;
    this.#replaced.clear();
  }

  #validate(wrapper: ProviderWrapper, flowClass: Function): void {
    try {
      classGraphOf(flowClass);
    } catch (error) {
      if (!(error instanceof DagDefinitionError)) throw error;
      throw new DagDefinitionError(
        error.code,
        `${providerName(wrapper, flowClass)} is not a valid flow. ${error.message}`,
        { cause: error },
      );
    }
    // Only a class provider is constructed by Nest from the class's own metadata.
    if (wrapper.metatype !== flowClass) return;
    const missing = uninjectedParameters(flowClass);
    if (missing !== undefined) throw notInjectableError(providerName(wrapper, flowClass), flowClass, missing);
  }

  #configureProvider(wrapper: ProviderWrapper, flowClass: Function): void {
    const configure = (instance: object) => this.#configure(instance, flowClass, true);
    if (wrapper.isDependencyTreeStatic()) {
      const { instance } = wrapper;
      if (typeof instance === 'object' && instance !== null) configure(instance);
      for (const host of wrapper.getStaticTransientInstances?.() ?? []) {
        if (typeof host.instance === 'object' && host.instance !== null) configure(host.instance);
      }
      if (wrapper.isTransient !== true) return;
    }
    // Made later, per request or per injection: configured as Nest makes them.
    const original = wrapper.metatype;
    if (typeof original !== 'function' || this.#replaced.has(wrapper)) return;
    const isFactory = wrapper.inject !== undefined && wrapper.inject !== null;
    // Instances made per request are not remembered: they go with their request.
    const later = (instance: object) => this.#configure(instance, flowClass, false);
    wrapper.metatype = isFactory ? configuringFactory(original, later) : configuringConstructor(original, later);
    this.#replaced.set(wrapper, original);
  }

  #configure(instance: object, flowClass: Function, remember: boolean): void {
    if (this.#options.defaults === undefined && this.#options.logger !== true) return;
    setInvokeDefaults(instance, this.#options.defaults, this.#loggerFor(flowClass));
    if (remember) this.#instances.add(instance);
  }

  /** One logger per flow class, in the context of the class's name, when `logger: true`. */
  #loggerFor(flowClass: Function): DagObserver | undefined {
    if (this.#options.logger !== true) return undefined;
    let observer = this.#loggers.get(flowClass);
    if (observer === undefined) {
      observer = nestLoggerObserver(new Logger(flowClass.name));
      this.#loggers.set(flowClass, observer);
    }
    return observer;
  }
}

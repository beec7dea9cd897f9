import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { classGraphOf, isDagClass } from '../dsl';
import { setInvokeDefaults } from '../dsl';
import { DagDefinitionError } from '../errors';
import type { DagObserver } from '../run';
import type { InvokeOptions } from '../run';
import { combineObservers } from './combine-observers';
import type { DagModuleOptions } from './dag-module-options';
import { nestLoggerObserver } from './nest-logger-observer';

/** The parts of Nest's `InstanceWrapper` that are read here. */
interface ProviderWrapper {
  readonly name: unknown;
  readonly metatype: Function | null;
  readonly inject?: unknown;
  readonly instance: unknown;
  readonly host?: { readonly name?: string } | undefined;
  isDependencyTreeStatic(): boolean;
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
 * Finds every provider that is a `Dag` when the app starts, validates its graph (so a broken flow
 * fails the boot, not the first request) and gives its class the module's invocation defaults
 * (so request-scoped and transient instances get them too).
 */
export class DagExplorer implements OnModuleInit, OnModuleDestroy {
  readonly #discovery: DiscoveryService;
  readonly #options: DagModuleOptions;
  readonly #configured = new Set<Function>();

  constructor(discovery: DiscoveryService, options: DagModuleOptions | undefined) {
    this.#discovery = discovery;
    this.#options = options ?? {};
  }

  onModuleInit(): void {
    for (const wrapper of this.#discovery.getProviders() as unknown as ProviderWrapper[]) {
      const flowClass = flowClassOf(wrapper);
      if (flowClass === undefined || this.#configured.has(flowClass)) continue;
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
      setInvokeDefaults(flowClass, this.#defaultsFor(flowClass));
      this.#configured.add(flowClass);
    }
  }

  /** Leaves the classes as they were before the app started, so another app (or a test) starts clean. */
  onModuleDestroy(): void {
    for (const flowClass of this.#configured) setInvokeDefaults(flowClass, undefined);
    this.#configured.clear();
  }

  #defaultsFor(flowClass: Function): InvokeOptions | undefined {
    const { defaults, logger } = this.#options;
    if (logger !== true) return defaults;
    const observers: DagObserver[] = [nestLoggerObserver(new Logger(flowClass.name))];
    if (defaults?.observer !== undefined) observers.push(defaults.observer);
    return { ...defaults, observer: combineObservers(observers) };
  }
}

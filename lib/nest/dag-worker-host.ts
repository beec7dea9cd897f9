import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { isDagClass } from '../dsl';
import type { DagModuleOptions, DagModuleWorker } from './dag-module-options';

/** The parts of Nest's `InstanceWrapper` read here. */
interface ProviderWrapper {
  readonly instance: unknown;
  isDependencyTreeStatic(): boolean;
}

/**
 * Starts the app's workers (`DagModule.forRoot({ workers })`) once every provider exists, with the
 * app's own flow instances (singleton `Dag` providers, their services injected), and closes them
 * when the app closes. The workers are made by the app's factory, so this entry never imports
 * BullMQ: `workers: (flows) => [new DagWorker({ connection, queue: 'render', flows })]`.
 */
export class DagWorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #discovery: DiscoveryService;
  readonly #options: DagModuleOptions;
  #workers: readonly DagModuleWorker[] = [];

  constructor(discovery: DiscoveryService, options: DagModuleOptions | undefined) {
    this.#discovery = discovery;
    this.#options = options ?? {};
  }

  /** The singleton flow providers of the app, each once. */
  flows(): object[] {
    const flows = new Set<object>();
    for (const wrapper of this.#discovery.getProviders() as unknown as ProviderWrapper[]) {
      if (!wrapper.isDependencyTreeStatic()) continue;
      const instance = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      if (isDagClass(instance.constructor)) flows.add(instance);
    }
    return [...flows];
  }

  async onApplicationBootstrap(): Promise<void> {
    const { workers } = this.#options;
    if (workers === undefined) return;
    const made = workers(this.flows());
    this.#workers = Array.isArray(made) ? made : [made as DagModuleWorker];
    await Promise.all(
      this.#workers.map(async (worker) => {
        await worker.waitUntilReady?.();
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

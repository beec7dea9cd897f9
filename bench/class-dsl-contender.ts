/**
 * The random DAG as a class-DSL `Dag`: a class made at run time, each node a method decorated by
 * calling `node(...deps)` the way legacy (`experimentalDecorators`) code does,
 * `node(...deps)(prototype, name, descriptor)`. Looked up dynamically, so that the bench still
 * runs (and says so) on a tree where the class DSL has not landed.
 */
import * as asyncDag from 'async-dag';
import type { Body } from './dag-contenders';
import type { RandomDag } from './random-dag';

type LegacyDecorator = (target: object, key: string, descriptor: PropertyDescriptor) => void;
export interface ClassDsl {
  Dag: abstract new () => { invoke(params?: unknown, options?: unknown): Promise<unknown> };
  node: (...deps: string[]) => LegacyDecorator;
}

/** The class DSL's exports, or `undefined` if `async-dag` does not export them (yet). */
export function classDsl(): ClassDsl | undefined {
  const lib = asyncDag as unknown as Partial<ClassDsl>;
  return typeof lib.Dag === 'function' && typeof lib.node === 'function' ? (lib as ClassDsl) : undefined;
}

export function classDslInvoke(dag: RandomDag, body: Body, dsl: ClassDsl): () => Promise<unknown> {
  const Generated = defineDagClass(
    dsl,
    dag.deps.map((deps, i) => ({ name: `n${i}`, deps: deps.map((d) => `n${d}`), method: body })),
  );
  const instance = new Generated();
  return () => instance.invoke();
}

/** One member of a generated class: its name, the names it depends on, and its method. */
export interface MemberSpec {
  readonly name: string;
  readonly deps: readonly string[];
  readonly method: (...args: never[]) => unknown;
}

/** A `Dag` subclass with one decorated method per member, made without decorator syntax. */
export function defineDagClass(
  dsl: ClassDsl,
  members: readonly MemberSpec[],
): new () => { invoke(params?: unknown, options?: unknown): Promise<unknown> } {
  const Generated = class extends dsl.Dag {};
  const prototype = Generated.prototype as unknown as Record<string, unknown>;
  for (const { name, deps, method } of members) {
    const descriptor: PropertyDescriptor = { value: method, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(prototype, name, descriptor);
    dsl.node(...deps)(prototype, name, descriptor);
  }
  return Generated;
}

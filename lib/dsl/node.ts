import { DagDefinitionError } from '../errors';
import { shown } from '../errors';
import { type NodeOptions } from '../graph';
import type { DagTypeError, NodeDecorator } from './decorator-types';
import type { AnyFunction } from './node-types';
import { checkName, isDecoratorCall, readDecoration, recordDeclaration } from './record-declaration';

/**
 * Declares a method as a node: it runs as soon as every dependency has resolved, and is called
 * with their values, then `params`, then `ctx`. `@node()` (no dependency) is a root node, started
 * synchronously by `invoke`. A last argument that is an object gives the node's options.
 *
 * Works with legacy (`experimentalDecorators`) and standard decorators. The compiler checks that
 * every dependency is a member of the class and that each parameter accepts its value.
 * The decorator only records the declaration; the graph is built at the class's first `new`.
 *
 * @example
 * ```ts
 * class EventFlow extends Dag<Params> {
 *   @immediate moonUrl() { return 'moon'; }
 *   @node('moonUrl') async moonEvent(url: string) { return this.http.fetch(url); }
 *   @node('moonEvent', 'moonInsert', { timeout: 2_000, retry: 2 })
 *   async log(event: Event, ok: boolean) {}
 * }
 * ```
 */
export function node<const D extends readonly string[]>(...deps: D): NodeDecorator<D>;
export function node<const D extends readonly string[]>(
  ...depsAndOptions: [...deps: D, options: NodeOptions]
): NodeDecorator<D>;
/**
 * A bare `@node` (legacy decorators): a compile error that says to write `@node()`. The message
 * is written inline, not through an alias: TypeScript names an alias, not its text, in errors.
 */
export function node(
  prototype: object,
  member: string | symbol,
  descriptor: PropertyDescriptor,
): DagTypeError<"`@node` must be called: write @node() for a node without dependencies, or @node('a', 'b')">;
/** A bare `@node` (TC39 decorators): a compile error that says to write `@node()`. */
export function node(
  method: AnyFunction,
  context: ClassMethodDecoratorContext,
): DagTypeError<"`@node` must be called: write @node() for a node without dependencies, or @node('a', 'b')">;
export function node(...args: unknown[]): unknown {
  if (isDecoratorCall(args)) {
    throw new DagDefinitionError(
      'INVALID_NODE',
      "`@node` must be called: write `@node()` for a node without dependencies, or `@node('a', 'b')`.",
    );
  }
  const last = args[args.length - 1];
  const hasOptions = args.length > 0 && typeof last !== 'string';
  const deps = hasOptions ? args.slice(0, -1) : args;
  const options = hasOptions ? last : undefined;
  let problem: string | undefined;
  for (const dep of deps) {
    if (typeof dep !== 'string' || dep === '') {
      problem ??=
        `a dependency must be the name of a member, got ${shown(dep)}.` +
        (typeof dep === 'object' ? ' Options go last, after every dependency name.' : '');
    } else {
      checkName('@node()', dep, 'a dependency');
    }
  }
  if (hasOptions && options !== undefined && (typeof options !== 'object' || options === null)) {
    problem ??= `expected the last argument to be a dependency name or an options object, got ${shown(options)}.`;
  }
  const declaration = Object.freeze({
    role: 'node' as const,
    deps: Object.freeze(deps as string[]),
    options,
    problem,
  });
  const decorator = (...decoratorArgs: unknown[]): void => {
    recordDeclaration('@node()', readDecoration('@node()', decoratorArgs), declaration);
  };
  return decorator;
}

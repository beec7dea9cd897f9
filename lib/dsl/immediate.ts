import { shown } from '../errors';
import type { ImmediateDecorator } from './decorator-types';
import { isDecoratorCall, readDecoration, recordDeclaration } from './record-declaration';

const PLAIN = Object.freeze({
  role: 'immediate' as const,
  deps: Object.freeze([]),
  options: undefined,
  problem: undefined,
});

function decorate(
  declaration: typeof PLAIN | { role: 'immediate'; deps: readonly string[]; options: undefined; problem: string },
  args: unknown[],
): void {
  recordDeclaration('@immediate', readDecoration('@immediate', args), declaration);
}

/**
 * Declares a member whose value is known at the start of every invocation, before any node
 * starts: a method (called with `(params)`, `this` being the instance), a getter or a field
 * (read from the instance at each invocation). It takes no concurrency slot; a promise it gives
 * is awaited before its dependents start. An immediate has no dependencies.
 *
 * Works with legacy and standard decorators; `@immediate()` is the same as `@immediate`.
 *
 * @example
 * ```ts
 * class EventFlow extends Dag<Params> {
 *   @immediate moonUrl() { return 'moon'; }
 *   @immediate readonly sunUrl = 'sun';
 *   @immediate get allowed() { return this.config.allowed; }
 * }
 * ```
 */
export const immediate: ImmediateDecorator = function immediate(...args: unknown[]): unknown {
  if (isDecoratorCall(args, true)) {
    decorate(PLAIN, args);
    return undefined;
  }
  if (args.length === 0) return immediate;
  const problem =
    `an immediate has no dependencies (its value is known at the start), got @immediate(${args.map((a) => shown(a)).join(', ')}). ` +
    'Use @node(...) for a member that depends on others.';
  return (...decoratorArgs: unknown[]): void =>
    decorate({ role: 'immediate', deps: [], options: undefined, problem }, decoratorArgs);
} as ImmediateDecorator;

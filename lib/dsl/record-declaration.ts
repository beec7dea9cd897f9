import 'reflect-metadata';
import { DagDefinitionError } from '../errors';
import { shown } from '../errors';
import type { MemberDeclaration, MemberKind } from './member-declaration';
import { NODE_DECLARATIONS } from './metadata-keys';
import { isReservedName } from './reserved-names';
import './symbol-metadata';

/**
 * Where and on what a decorator was applied, read from its arguments: legacy decorators get
 * `(prototype, key, descriptor?)`, standard (TC39) ones get `(value, context)`.
 */
export interface Decoration {
  /** The object that holds this class's own declarations: the prototype (legacy) or `context.metadata` (TC39). */
  readonly store: object;
  readonly key: string | symbol;
  readonly member: MemberKind;
  readonly isStatic: boolean;
  readonly isPrivate: boolean;
}

const TC39_KINDS = new Set(['method', 'getter', 'setter', 'field', 'accessor', 'class']);

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * `true` when `args` are what a decorator receives, in either mode, as opposed to a factory's
 * arguments. Legacy member decorators get three (`__decorate` passes `undefined` for a field's
 * descriptor); `legacyFields` also accepts the two-argument form some compilers use for fields.
 */
export function isDecoratorCall(args: readonly unknown[], legacyFields = false): boolean {
  if (args.length === 2 && isObjectLike(args[1]) && TC39_KINDS.has((args[1] as { kind?: unknown }).kind as string)) {
    return true;
  }
  if (args.length === 1 && typeof args[0] === 'function') return true;
  return (
    (args.length === 3 || (legacyFields && args.length === 2)) &&
    isObjectLike(args[0]) &&
    (typeof args[1] === 'string' || typeof args[1] === 'symbol') &&
    (args[2] === undefined || isObjectLike(args[2]))
  );
}

/**
 * Reads a decorator's arguments. Throws `INVALID_NODE` on a class, or in a TC39 class without
 * `context.metadata`, and a `TypeError` when the decorator is called with anything else.
 */
export function readDecoration(decorator: string, args: readonly unknown[]): Decoration {
  if (!isDecoratorCall(args, true)) {
    throw new TypeError(
      `Expected ${decorator} to be applied to a class member as a decorator, got a call with (${args.map((arg) => shown(arg)).join(', ')})`,
    );
  }
  if (args.length === 2 && isObjectLike(args[1]) && 'kind' in args[1]) {
    const context = args[1] as DecoratorContext;
    if (context.kind === 'class') {
      throw new DagDefinitionError('INVALID_NODE', `${decorator} decorates a member of a class, not the class itself.`);
    }
    const metadata = (context as { metadata?: unknown }).metadata;
    if (!isObjectLike(metadata)) {
      throw new DagDefinitionError(
        'INVALID_NODE',
        `${decorator} on "${String(context.name)}": this class has no \`context.metadata\`, because \`Symbol.metadata\` ` +
          'did not exist when it was defined. Import async-dag before defining the class (importing it defines `Symbol.metadata`).',
      );
    }
    return {
      store: metadata,
      key: context.name,
      member: context.kind,
      isStatic: context.static,
      isPrivate: context.private,
    };
  }
  if (args.length === 1 && typeof args[0] === 'function') {
    throw new DagDefinitionError('INVALID_NODE', `${decorator} decorates a member of a class, not the class itself.`);
  }
  const [target, key, descriptor] = args as [object, string | symbol, PropertyDescriptor | undefined];
  const isStatic = typeof target === 'function';
  // A static member's declaration is kept with the instance members, so that the scanner can report it.
  const store = isStatic ? ((target as { prototype?: object }).prototype ?? target) : target;
  let member: MemberKind = 'field';
  if (descriptor !== undefined) {
    if (typeof descriptor.value === 'function') member = 'method';
    else if (descriptor.get !== undefined) member = 'getter';
    else if (descriptor.set !== undefined) member = 'setter';
  }
  return { store, key, member, isStatic, isPrivate: false };
}

/**
 * Rejects a name that would touch a prototype, as soon as the decorator runs: declarations are
 * kept in Maps, but a node named `__proto__` or `constructor` could never be read back safely.
 */
export function checkName(decorator: string, name: unknown, what: string): void {
  if (typeof name === 'string' && isReservedName(name)) {
    throw new DagDefinitionError(
      'INVALID_NODE',
      `${decorator}: "${name}" cannot be ${what}: every object already has it. Rename the member.`,
    );
  }
}

/** Records one declaration on `decoration.store`, through reflect-metadata (never on the prototype itself). */
export function recordDeclaration(
  decorator: string,
  decoration: Decoration,
  declaration: Omit<MemberDeclaration, 'name' | 'member'>,
): void {
  const { key, store } = decoration;
  if (typeof key !== 'string') {
    throw new DagDefinitionError(
      'INVALID_NODE',
      `${decorator} on ${shown(key)}: node names are strings, so a node cannot be a symbol-named member.`,
    );
  }
  checkName(decorator, key, 'a node');
  let problem = declaration.problem;
  if (decoration.isStatic) problem ??= `${decorator} is on a static member; nodes are instance members.`;
  if (decoration.isPrivate)
    problem ??= `${decorator} is on a #private member, which the graph cannot call; make it an ordinary member.`;
  let own = Reflect.getOwnMetadata(NODE_DECLARATIONS, store) as Map<string, MemberDeclaration> | undefined;
  if (own === undefined) {
    own = new Map();
    Reflect.defineMetadata(NODE_DECLARATIONS, own, store);
  }
  if (own.has(key)) problem ??= 'it is decorated twice; give each member one @node or @immediate.';
  own.set(key, Object.freeze({ ...declaration, name: key, member: decoration.member, problem }));
}

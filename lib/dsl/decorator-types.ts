// The types that make `@node(...)` and `@immediate` check a class at compile time. A decorator
// factory cannot know its class, so the check happens where the returned decorator is applied:
// its call signatures are generic over the class (`This`) and the method (`F`), and their return
// type is `void` when everything fits, or a `DagTypeError` that TypeScript reports as
// "Decorator function return type 'DagTypeError<...>' is not assignable to ...".

import type { NodeContext } from '../run';
import type { DagParams } from './dag-params';
import type { AnyFunction, NodeName, NodeValue } from './node-types';

/**
 * A compile-time error of the class DSL. It is never a value: it is the return type of a
 * decorator applied where it does not fit, so that the message appears in the compiler's error.
 *
 * @example
 * // @node('moonUrl') async moonEvent(url: number) {...} does not compile:
 * // Decorator function return type 'DagTypeError<"parameter 1 of 'moonEvent' does not accept
 * // the value of 'moonUrl'", { given: string; parameter: number; }>' is not assignable to ...
 */
export interface DagTypeError<Message extends string, Detail = never> {
  /** What is wrong, in words, shown by the compiler's message. */
  readonly 'async-dag type error': Message;
  /** The types involved (what was given, what the parameter takes), shown by the compiler's message. */
  readonly detail: Detail;
}

/** `params` as a method receives it; a class that does not extend `Dag` has untyped params, so any parameter type is accepted. */
type ParamsArgument<This> = unknown extends DagParams<This> ? any : DagParams<This>;

/** The values a node is called with: its dependencies' values, then `params`, then `ctx`. */
type NodeArguments<This, D extends readonly string[]> = [
  ...{ [I in keyof D]: D[I] extends keyof This ? NodeValue<This, D[I]> : never },
  ParamsArgument<This>,
  NodeContext,
];

/** What each argument is, for messages. */
type ArgumentNames<D extends readonly string[]> = [
  ...{ [I in keyof D]: `the value of '${D[I]}'` },
  'params',
  'ctx (a NodeContext)',
];

/**
 * Walks arguments and parameters together. Fewer parameters than arguments is fine; each
 * argument must be assignable to its parameter (checked one by one, so a method's usual
 * parameter bivariance does not let a narrower parameter through). The check compares
 * `{ value: Arg }` objects rather than `[Arg]` tuples: TypeScript resolves that at once even
 * when the types involve a class's type parameter (`T` against `T`), where it would defer a
 * tuple check and report the unresolved conditional as an error.
 */
type CheckParameters<
  Member extends string,
  Args extends readonly unknown[],
  Names extends readonly string[],
  Params extends readonly unknown[],
  Position extends unknown[] = [unknown],
> = Args extends readonly [infer Arg, ...infer RestArgs]
  ? Params extends readonly []
    ? void
    : Names extends readonly [infer Name extends string, ...infer RestNames extends string[]]
      ? { value: Arg } extends { value: Params[0] }
        ? CheckParameters<
            Member,
            RestArgs,
            RestNames,
            Params extends readonly [any?, ...infer Rest] ? Rest : Params,
            [...Position, unknown]
          >
        : DagTypeError<
            `parameter ${Position['length']} of '${Member}' does not accept ${Name}`,
            { given: Arg; parameter: Params[0] }
          >
      : void
  : Params extends readonly [any, ...any[]]
    ? DagTypeError<`'${Member}' has more required parameters than the values it is given (its dependencies' values, params, ctx)`>
    : void;

/** The result of applying `@node(...D)` to method `Member` of class `This`: `void`, or a `DagTypeError`. */
export type NodeCheck<This, D extends readonly string[], Member extends string, F> = [
  Exclude<D[number], NodeName<This>>,
] extends [never]
  ? CheckMethod<This, D, Member, F>
  : string extends D[number]
    ? void // names known only at run time (a spread string[]) are checked when the class is first instantiated
    : DagTypeError<
        `@node() on '${Member}': ${UnknownNames<Exclude<D[number], NodeName<This>>>} not a public member of this class; a dependency names another @node or @immediate member`,
        { members: NodeName<This> }
      >;

type CheckMethod<This, D extends readonly string[], Member extends string, F> = F extends (...args: infer Params) => any
  ? CheckParameters<Member, NodeArguments<This, D>, ArgumentNames<D>, Params>
  : DagTypeError<`@node() decorates a method, and '${Member}' is not one`>;

type UnknownNames<Names extends string> = `'${Names}' is`;

/** The result of applying `@immediate` to method `Member`: it is called with `(params)`. */
export type ImmediateCheck<This, Member extends string, F> = F extends (...args: infer Params) => any
  ? CheckParameters<Member, [ParamsArgument<This>], ['params'], Params>
  : void;

/**
 * `@immediate` on a field or getter whose value is a function. Such a member is a value: its
 * dependents get the function itself. But TypeScript gives a function-valued field the same type
 * as a method, which `NodeValue` reads as "called, then its result": a dependent typed for the
 * function would not compile, one typed for its result would compile and get the function. So
 * this does not compile, wherever the decorator can see the member's type: fields in both
 * modes, getters with standard decorators. (A legacy getter's decorator is typed exactly like a
 * method's, so there the type cannot tell; write a method, or hold the function in an object.)
 */
export type ValueCheck<V> = 0 extends 1 & V
  ? void // `any`: nothing to check
  : [V] extends [AnyFunction]
    ? DagTypeError<'@immediate on a field or getter that holds a function: its dependents get the function, but would be typed with what it returns. Make it a method (called with params), or hold the function in an object'>
    : void;

/** `ValueCheck` of a legacy field decorator, which sees the class's instance type. */
type FieldCheck<This, Member extends string> = Member extends keyof This ? ValueCheck<This[Member]> : void;

/**
 * What `@node(...)` returns: a decorator for a method, in either decorator mode. Its signature
 * checks the dependencies against the class and the method's parameters against their values.
 *
 * @example
 * ```ts
 * const afterUrl: NodeDecorator<readonly ['moonUrl']> = node('moonUrl');
 * class Flow extends Dag {
 *   @immediate moonUrl() { return 'moon'; }
 *   @afterUrl moonEvent(url: string) { return url.length; }
 * }
 * ```
 */
export interface NodeDecorator<D extends readonly string[]> {
  /** Legacy decorators (`experimentalDecorators`). */
  <This, Member extends string, F extends AnyFunction>(
    prototype: This,
    member: Member,
    descriptor: TypedPropertyDescriptor<F>,
  ): NodeCheck<This, D, Member, F>;
  /** Standard (TC39) decorators. */
  <This, Member extends string, F extends AnyFunction>(
    method: F,
    context: ClassMethodDecoratorContext<This, F> & { readonly name: Member },
  ): NodeCheck<This, D, Member, F>;
  /** Legacy, on a field or getter: not allowed. */
  (prototype: object, member: string): DagTypeError<'@node() decorates a method; use @immediate for a field or getter'>;
  /** TC39, on a field, getter or accessor: not allowed. */
  (
    value: unknown,
    context: ClassFieldDecoratorContext | ClassGetterDecoratorContext | ClassAccessorDecoratorContext,
  ): DagTypeError<'@node() decorates a method; use @immediate for a field or getter'>;
}

/**
 * The type of `@immediate`: a decorator for a method (called with `(params)`), a getter or a
 * field, in either decorator mode. `@immediate()` is the same as `@immediate`.
 *
 * @example
 * ```ts
 * class Flow extends Dag<{ id: number }> {
 *   @immediate id(params: { id: number }) { return params.id; }
 *   @immediate readonly region = 'eu';
 * }
 * ```
 */
export interface ImmediateDecorator {
  /** Legacy, on a method or getter. */
  <This, Member extends string, V>(
    prototype: This,
    member: Member,
    descriptor: TypedPropertyDescriptor<V>,
  ): ImmediateCheck<This, Member, V>;
  /** Legacy, on a field. */
  <This, Member extends string>(prototype: This, member: Member): FieldCheck<This, Member>;
  /** TC39, on a method. */
  <This, Member extends string, F extends AnyFunction>(
    method: F,
    context: ClassMethodDecoratorContext<This, F> & { readonly name: Member },
  ): ImmediateCheck<This, Member, F>;
  /** TC39, on a getter. */
  <This, V>(getter: (this: This) => V, context: ClassGetterDecoratorContext<This, V>): ValueCheck<V>;
  /** TC39, on a field. */
  <This, V>(value: undefined, context: ClassFieldDecoratorContext<This, V>): ValueCheck<V>;
  /** TC39, on an `accessor` field. */
  <This, V>(
    target: ClassAccessorDecoratorTarget<This, V>,
    context: ClassAccessorDecoratorContext<This, V>,
  ): ValueCheck<V>;
  /** `@immediate()`: the same as `@immediate`. */
  (): ImmediateDecorator;
  /** `@immediate('a')`: not allowed, an immediate has no dependencies. */
  (
    ...dependencies: [string, ...string[]]
  ): (
    ...args: any[]
  ) => DagTypeError<'@immediate has no dependencies; use @node(...) for a member that depends on others'>;
}

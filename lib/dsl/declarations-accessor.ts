import 'reflect-metadata';
import { classChain } from './class-of';
import type { MemberDeclaration } from './member-declaration';
import { NODE_DECLARATIONS } from './metadata-keys';
import { metadataSymbol } from './symbol-metadata';

/** The declarations one class of a chain made itself. */
export interface ClassDeclarations {
  readonly owner: Function;
  readonly declarations: ReadonlyMap<string, MemberDeclaration>;
}

type Declarations = Map<string, MemberDeclaration>;

function own(store: unknown): Declarations | undefined {
  if ((typeof store !== 'object' || store === null) && typeof store !== 'function') return undefined;
  return Reflect.getOwnMetadata(NODE_DECLARATIONS, store) as Declarations | undefined;
}

/**
 * The declarations of `Class` and of every class it extends, base class first. A class's own
 * declarations sit on its prototype (legacy decorators) or on its own `Symbol.metadata` object
 * (standard decorators; read only when it is the class's own, not inherited from its parent).
 */
export function declarationsOf(Class: Function): ClassDeclarations[] {
  const chain: ClassDeclarations[] = [];
  for (const K of classChain(Class)) {
    const legacy = own((K as { prototype?: unknown }).prototype);
    const standard = Object.hasOwn(K, metadataSymbol)
      ? own((K as unknown as Record<symbol, unknown>)[metadataSymbol])
      : undefined;
    let declarations: Declarations | undefined = legacy ?? standard;
    if (legacy !== undefined && standard !== undefined) declarations = new Map([...legacy, ...standard]);
    if (declarations !== undefined) chain.push({ owner: K, declarations });
  }
  return chain.reverse();
}

/** `true` when `Class` or a class it extends has a member decorated with `@node` or `@immediate`. */
export function hasDeclarations(Class: Function): boolean {
  return declarationsOf(Class).length > 0;
}

/**
 * Whether `Class` itself has decorated members, and how many declarations its whole chain has:
 * what tells a graph scanned after decoration from one scanned before (see `classGraphOf`).
 */
export function declarationState(Class: Function): { readonly own: boolean; readonly count: number } {
  let own = false;
  let count = 0;
  for (const level of declarationsOf(Class)) {
    if (level.owner === Class) own = true;
    count += level.declarations.size;
  }
  return { own, count };
}

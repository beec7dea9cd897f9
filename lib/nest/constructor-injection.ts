import { DagError } from '../errors';

/** Where Nest reads a class's constructor dependencies (`@nestjs/common`'s `PARAMTYPES_METADATA` and `SELF_DECLARED_DEPS_METADATA`). */
const PARAMTYPES = 'design:paramtypes';
const SELF_DECLARED = 'self:paramtypes';

type GetMetadata = (key: string, target: Function) => unknown;

/**
 * How many constructor parameters `Class` declares and how many of them Nest will inject, when
 * it injects fewer; `undefined` when it injects them all (or cannot tell). Nest injects as many
 * values as the class's metadata names: the types TypeScript emits for a decorated class
 * (`@Injectable()` with `emitDecoratorMetadata`), filled in by `@Inject(token)`. A parameter
 * with a default value is not counted by `Class.length`, so it never counts as missing.
 */
export function uninjectedParameters(Class: Function): { declared: number; injected: number } | undefined {
  const declared = Class.length;
  if (declared === 0) return undefined;
  const getMetadata = (Reflect as unknown as { getMetadata?: GetMetadata }).getMetadata;
  if (typeof getMetadata !== 'function') return undefined;
  const types = getMetadata(PARAMTYPES, Class);
  const selfDeclared = getMetadata(SELF_DECLARED, Class);
  let injected = Array.isArray(types) ? types.length : 0;
  if (Array.isArray(selfDeclared)) {
    for (const entry of selfDeclared as unknown[]) {
      const index = typeof entry === 'object' && entry !== null ? (entry as { index?: unknown }).index : undefined;
      if (typeof index === 'number') injected = Math.max(injected, index + 1);
    }
  }
  return injected < declared ? { declared, injected } : undefined;
}

/**
 * The boot failure for a flow provider whose constructor declares parameters that Nest does not
 * inject: without it, the flow would get `undefined` services and fail on its first request.
 */
export function notInjectableError(provider: string, Class: Function, counts: { declared: number; injected: number }) {
  const { declared, injected } = counts;
  const plural = (n: number) => `${n} parameter${n === 1 ? '' : 's'}`;
  return new DagError(
    'NOT_INJECTABLE',
    `${provider}: the constructor of ${Class.name} declares ${plural(declared)}, but Nest would inject ` +
      `${injected === 0 ? 'none' : `only ${injected}`}, so its services would be undefined. ` +
      `Decorate the class with @Injectable() (the decorator that makes TypeScript emit its constructor's types), ` +
      `or name each dependency with @Inject(Token) (needed when the compiler emits no decorator metadata: tsx, esbuild, Vite).`,
  );
}

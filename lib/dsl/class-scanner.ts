import type { DagDefinitionErrorCode } from '../errors';
import type { NodeDefinition } from '../graph';
import { resolveNodeOptions, type NodeOptions } from '../graph';
import { closestName } from '../errors';
import { declarationsOf } from './declarations-accessor';
import type { MemberDeclaration } from './member-declaration';

/** What scanning a class gives: its node definitions, or the first definition error found. */
export type ScanResult =
  | { readonly ok: true; readonly owner: string; readonly definitions: NodeDefinition[] }
  | { readonly ok: false; readonly code: DagDefinitionErrorCode; readonly message: string; readonly cause?: unknown };

/** The name used for a class in messages and as the graph's owner. */
export function classNameOf(Class: Function): string {
  // `name` can be redefined as a static member, a getter that throws, or a non-string.
  let name: unknown;
  try {
    name = Class.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && name !== '' ? name : 'anonymous class';
}

/** The most-derived own descriptor of `name` on the prototype chain of `Class`, read without calling a getter. */
function findMember(Class: Function, name: string): PropertyDescriptor | undefined {
  for (
    let p: object | null = Class.prototype as object | null;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}

function readMember(name: string): (this: Record<string, unknown>) => unknown {
  // Fields and getters are read from the instance at each invocation, so an override or a
  // constructor assignment is seen.
  return function read(this: Record<string, unknown>): unknown {
    return this[name];
  };
}

/**
 * Walks the prototype chain of `Class` (base class first), merges the declarations (a decorated
 * override replaces the inherited declaration in its place; an undecorated override keeps it)
 * and turns them into node definitions. Methods are resolved now, to the most-derived one.
 */
export function scanClass(Class: Function, options: { reserved?: readonly string[] } = {}): ScanResult {
  const owner = classNameOf(Class);
  const merged = new Map<string, MemberDeclaration>();
  for (const level of declarationsOf(Class)) {
    for (const [name, declaration] of level.declarations) merged.set(name, declaration);
  }
  const declarations = [...merged.values()];
  const index = new Map(declarations.map((declaration, i) => [declaration.name, i]));
  const fail = (code: DagDefinitionErrorCode, message: string, cause?: unknown): ScanResult => ({
    ok: false,
    code,
    message: `${owner}: ${message}`,
    cause,
  });

  const definitions: NodeDefinition[] = [];
  for (const declaration of declarations) {
    const { name, role, member, problem } = declaration;
    const label = `${owner}.${name}`;
    const decorator = role === 'node' ? '@node' : '@immediate';
    if (problem !== undefined) return fail('INVALID_NODE', `${decorator} on "${name}": ${problem}`);
    if (options.reserved?.includes(name)) {
      return fail(
        'INVALID_NODE',
        `"${name}" cannot be a node: it would replace ${owner}.prototype.${name}. Rename the member.`,
      );
    }
    if (role === 'node' && member !== 'method') {
      return fail(
        'INVALID_NODE',
        `@node is on "${name}", which is a ${member}, not a method. Use @node on a method, or @immediate for a value known at the start.`,
      );
    }
    if (role === 'immediate' && member === 'setter') {
      return fail(
        'INVALID_NODE',
        `@immediate is on "${name}", a setter, which has no value. Use it on a method, getter or field.`,
      );
    }

    let run: NodeDefinition['run'];
    let source: string = member;
    if (member === 'method') {
      const found = findMember(Class, name);
      if (found === undefined || typeof found.value !== 'function') {
        return fail(
          'INVALID_NODE',
          `"${name}" is declared as a ${decorator} method, but ${label} is ${found === undefined ? 'missing' : 'no longer a method'}. ` +
            'An override of a node must be a method too.',
        );
      }
      run = found.value as NodeDefinition['run'];
    } else {
      run = readMember(name);
      source = member === 'accessor' ? 'field' : member;
    }

    const deps: number[] = [];
    for (const dep of declaration.deps) {
      const at = index.get(dep);
      if (at === undefined) return fail('UNKNOWN_DEPENDENCY', unknownDependency(Class, name, dep, merged));
      deps.push(at);
    }

    let resolved;
    try {
      resolved = resolveNodeOptions(name, declaration.options as NodeOptions | undefined);
    } catch (error) {
      return fail('INVALID_OPTION', (error as Error).message, error);
    }
    definitions.push({ name, kind: role, deps, run, options: resolved, source });
  }
  return { ok: true, owner, definitions };
}

function unknownDependency(
  Class: Function,
  name: string,
  dep: string,
  declared: ReadonlyMap<string, MemberDeclaration>,
): string {
  const hint = closestName(dep, declared.keys());
  const where = `"${name}" depends on "${dep}", `;
  if (findMember(Class, dep) !== undefined) {
    return (
      `${where}a member that is neither a node nor an immediate. Decorate "${dep}" with @node(...) or @immediate.` +
      (hint === undefined ? '' : ` (Or did you mean "${hint}"?)`)
    );
  }
  const known = [...declared.keys()].join(', ');
  return (
    `${where}which is not a node or an immediate of ${classNameOf(Class)}.` +
    (hint === undefined ? ` Its nodes and immediates are: ${known}.` : ` Did you mean "${hint}"?`)
  );
}

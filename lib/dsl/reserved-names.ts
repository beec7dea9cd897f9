/**
 * Names that would touch a prototype, or that every object already has: a node or a dependency
 * may not use them. Checked as soon as a decorator runs, before anything is stored.
 */
const RESERVED = new Set<string>([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  'constructor',
  '__proto__',
]);

/** `true` for `constructor`, `__proto__`, `prototype`, `hasOwnProperty` and the other names every object has. */
export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

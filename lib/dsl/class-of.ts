/**
 * The class of `target`: `target` itself when it is a function, else the constructor its
 * prototype names, if that constructor really owns that prototype (an object can carry any
 * `constructor` property; trusting it would let it pose as another class).
 */
export function classOf(target: unknown): Function | undefined {
  if (typeof target === 'function') return target;
  if (typeof target !== 'object' || target === null) return undefined;
  const prototype: unknown = Object.getPrototypeOf(target);
  const Class =
    typeof prototype === 'object' && prototype !== null
      ? (prototype as { constructor?: unknown }).constructor
      : undefined;
  return typeof Class === 'function' && Class.prototype === prototype ? Class : undefined;
}

/** `Class` and every class it extends, most derived first (up to, not including, `Function.prototype`). */
export function classChain(Class: Function): Function[] {
  const chain: Function[] = [];
  for (let K: unknown = Class; typeof K === 'function' && K !== Function.prototype; K = Object.getPrototypeOf(K)) {
    chain.push(K);
  }
  return chain;
}

// Side effect, on purpose: standard (TC39) decorators hand each class a `context.metadata`
// object only when `Symbol.metadata` exists when the class is defined. Node 20 lacks it, so the
// library defines it the standard way, with the registered symbol that TypeScript's and
// esbuild's helpers also fall back to. Importing `async-dag` is enough; users never polyfill.

/** `Symbol.metadata`, defined on import when the platform lacks it. */
export const metadataSymbol: symbol = ((Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata'));

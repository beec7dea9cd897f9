// Side effect, on purpose: standard (TC39) decorators hand each class a `context.metadata`
// object only when `Symbol.metadata` exists when the class is defined. Node 20 lacks it, so the
// library defines it the standard way, with the registered symbol that TypeScript's and
// esbuild's helpers also fall back to. Importing `async-dag` is enough; users never polyfill.
//
// Where the platform has frozen `Symbol` (Temporal's reusable workflow sandbox freezes every
// global once its bootstrap is done), it cannot be defined; the registered symbol is used as is,
// which is what esbuild's and swc's decorator helpers read there.

const symbols = Symbol as { metadata?: symbol };

/** `Symbol.metadata`, defined on import when the platform lacks it (and lets it be defined). */
export const metadataSymbol: symbol = Object.isExtensible(Symbol)
  ? (symbols.metadata ??= Symbol.for('Symbol.metadata'))
  : (symbols.metadata ?? Symbol.for('Symbol.metadata'));

// Messages are built from values the user's code produced (a thrown value, an abort reason, an
// option), and such a value may fight back: a getter that throws (`message`, `stack`,
// `Symbol.toStringTag`), a revoked Proxy (every operation on it throws), an object without a
// prototype (no `toString`), a `toString` that returns an object. Every function here is total:
// it returns a string whatever it is given, and never throws.

/** What is said of a value that cannot be read at all (a revoked Proxy, say). */
const UNREADABLE = '[a value that cannot be described]';

/** The longest description kept; a message is no place for a megabyte of `toString`. */
const MAX_LENGTH = 2_000;

function cut(text: string): string {
  return text.length <= MAX_LENGTH ? text : `${text.slice(0, MAX_LENGTH - 1)}…`;
}

/** `read()`, or `undefined` when it throws. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** `String(value)` when that gives a string, else `Object.prototype.toString`, else `undefined`; never throws. */
function textOf(value: unknown): string | undefined {
  const text = attempt(() => String(value));
  if (typeof text === 'string') return text;
  const tag = attempt(() => Object.prototype.toString.call(value));
  return typeof tag === 'string' ? tag : undefined;
}

/** A function's name, read safely. */
function functionName(fn: unknown): string {
  const name = attempt(() => (fn as { name?: unknown }).name);
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

/**
 * A short, safe description of any thrown value, for messages: an error's message (or its name
 * when the message is empty), a string as it is, anything else as `String(value)`. Never throws,
 * whatever getters, Proxy traps or missing prototype the value has.
 *
 * @example
 * describe(new Error('boom')); // 'boom'
 * describe(Object.create(null)); // '[object Object]'
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return cut(value);
  // `String()` of a symbol is total (it never calls `toString`), as it is of the other primitives.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach this line
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (value === null) return 'null';
  // By shape, not `instanceof Error`: errors from another realm (a DOMException under jest,
  // a vm context) must show their plain message too. Either read may throw.
  const message = attempt(() => (value as { message?: unknown }).message);
  if (typeof message === 'string' && message !== '') return cut(message);
  if (typeof message === 'string') {
    const name = attempt(() => (value as { name?: unknown }).name);
    if (typeof name === 'string' && name !== '') return cut(name);
  }
  if (typeof value === 'function') return `a function (${cut(functionName(value))})`;
  return cut(textOf(value) ?? UNREADABLE);
}

/**
 * What a value is, for messages: `` `0` (number) ``. Never throws.
 *
 * @example
 * shown(0); // '`0` (number)'
 * shown('a'); // '`"a"` (string)'
 */
export function shown(value: unknown): string {
  if (typeof value === 'function') return `a function (${cut(functionName(value))})`;
  const text = typeof value === 'string' ? JSON.stringify(value) : textOf(value);
  return `\`${cut(text ?? UNREADABLE)}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * The stack of an error, for logs: `error.stack` when it is a non-empty string, else
 * {@link describe}. Never throws (a `stack` getter may).
 *
 * @example
 * logger.error(`run failed: ${describe(error)}`, stackOf(error));
 */
export function stackOf(value: unknown): string {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    const stack = attempt(() => (value as { stack?: unknown }).stack);
    if (typeof stack === 'string' && stack !== '') return stack;
  }
  return describe(value);
}

import { DagAbortedError, DagDefinitionError, DagError, NodeTimeoutError } from '../index';
import { shown } from '../errors';

/**
 * The wire form of values that cross between processes: JSON, with every value JSON cannot hold
 * faithfully written as a tagged object `{ "$": tag, ... }`. A plain object that has a `$` key of
 * its own is wrapped (`{ "$": "o", v }`), so no user object is ever read as a tag.
 *
 * Round-trips: primitives (with `undefined`, `NaN`, `±Infinity`, `-0`, `BigInt`), plain objects
 * (keys with `undefined` kept; a null-prototype object is accepted and comes back as a plain
 * object) and arrays (holes as `undefined`), `Date`,
 * `RegExp`, `Map`, `Set`, typed arrays, `ArrayBuffer`, `Buffer`, and `Error`s (name, message,
 * stack, `code`, `cause` and other own properties). Anything else (a function, a symbol, a class
 * instance, a circular reference) throws {@link WireValueError} naming where it is.
 */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

/** A value that cannot cross: `place` says where it is (`result.user.save`), `what` what it is. */
export class WireValueError extends Error {
  constructor(
    readonly place: string,
    readonly what: string,
  ) {
    super(`${place} is ${what}`);
  }
}

const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function placeOf(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function bytesOf(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

function className(value: object): string {
  try {
    const name = (value.constructor as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name !== '' ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

/** Encodes `value` for the wire; `place` names it in errors (`result`, `params`). */
export function encodeValue(value: unknown, place: string): Wire {
  return encode(value, place, new Set());
}

function encode(value: unknown, place: string, open: Set<object>): Wire {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isNaN(value)) return { $: 'n', v: 'NaN' };
      if (value === Infinity) return { $: 'n', v: 'Infinity' };
      if (value === -Infinity) return { $: 'n', v: '-Infinity' };
      if (Object.is(value, -0)) return { $: 'n', v: '-0' };
      return value;
    case 'undefined':
      return { $: 'u' };
    case 'bigint':
      return { $: 'b', v: value.toString() };
    case 'function':
      return unencodable(place, `a function (${value.name === '' ? 'anonymous' : value.name})`);
    case 'symbol':
      return unencodable(place, `a symbol (${value.description ?? ''})`);
  }
  if (value === null) return null;
  const object = value as object;
  if (open.has(object)) return unencodable(place, 'a circular reference');
  open.add(object);
  try {
    return encodeObject(object, place, open);
  } finally {
    open.delete(object);
  }
}

function encodeObject(value: object, place: string, open: Set<object>): Wire {
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) && proto === Array.prototype) {
    const out = new Array<Wire>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = encode(value[i], `${place}[${i}]`, open);
    return out;
  }
  if (proto === Object.prototype || proto === null) {
    if (Object.getOwnPropertySymbols(value).length > 0) return unencodable(place, 'an object with symbol keys');
    const out: Record<string, Wire> = {};
    for (const key of Object.keys(value)) {
      own(out, key, encode((value as Record<string, unknown>)[key], placeOf(place, key), open));
    }
    return Object.hasOwn(out, '$') ? { $: 'o', v: out } : out;
  }
  if (value instanceof Date && proto === Date.prototype) {
    const time = value.getTime();
    return { $: 'd', v: Number.isNaN(time) ? null : time };
  }
  if (value instanceof RegExp && proto === RegExp.prototype) return { $: 'r', v: value.source, f: value.flags };
  if (value instanceof Map && proto === Map.prototype) {
    const entries: Wire[] = [];
    let n = 0;
    for (const [k, v] of value) {
      entries.push([encode(k, `${place}.keys()[${n}]`, open), encode(v, `${place}.get(${describeKey(k)})`, open)]);
      n++;
    }
    return { $: 'm', v: entries };
  }
  if (value instanceof Set && proto === Set.prototype) {
    const items: Wire[] = [];
    let n = 0;
    for (const item of value) items.push(encode(item, `${place}.values()[${n++}]`, open));
    return { $: 's', v: items };
  }
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(value)) return { $: 't', k: 'Buffer', v: bytesOf(value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const kind = className(value);
    if (TYPED_ARRAYS[kind] !== undefined && proto === TYPED_ARRAYS[kind].prototype) {
      return { $: 't', k: kind, v: bytesOf(value) };
    }
  }
  if (value instanceof ArrayBuffer && proto === ArrayBuffer.prototype) {
    return { $: 't', k: 'ArrayBuffer', v: bytesOf(new Uint8Array(value)) };
  }
  if (value instanceof Error) return encodeError(value, place, open);
  return unencodable(place, `an instance of class ${className(value)}`);
}

function describeKey(key: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are answered before String() is reached
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'object' ? '…' : String(key);
}

function unencodable(place: string, what: string): never {
  throw new WireValueError(place, what);
}

/** Keys of an error written as fields of their own, not as extra properties. */
const ERROR_FIELDS = new Set(['name', 'message', 'stack', 'cause']);

function encodeError(error: Error, place: string, open: Set<object>): Wire {
  const props: Record<string, Wire> = {};
  for (const key of Object.keys(error)) {
    if (ERROR_FIELDS.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    // An error's extra properties are context (a `partial` result, a request): what cannot
    // cross is left out rather than failing the error that explains the failure.
    try {
      own(props, key, encode(value, placeOf(place, key), open));
    } catch (thrown) {
      if (!(thrown instanceof WireValueError)) throw thrown;
    }
  }
  let cause: Wire | undefined;
  if ('cause' in error) {
    try {
      cause = encode(error.cause, `${place}.cause`, open);
    } catch (thrown) {
      if (!(thrown instanceof WireValueError)) throw thrown;
      cause = { $: 'u' };
    }
  }
  return {
    $: 'e',
    name: error.name,
    message: error.message,
    stack: typeof error.stack === 'string' ? error.stack : null,
    props,
    ...(cause === undefined ? {} : { cause }),
  };
}

/** Decodes what {@link encodeValue} wrote. */
export function decodeValue(wire: Wire): unknown {
  if (wire === null || typeof wire !== 'object') return wire;
  if (Array.isArray(wire)) return wire.map(decodeValue);
  const tag = wire.$;
  if (typeof tag !== 'string') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(wire)) own(out, key, decodeValue(wire[key]!));
    return out;
  }
  switch (tag) {
    case 'o':
      return decodeObject(wire.v as Record<string, Wire>);
    case 'u':
      return undefined;
    case 'n':
      return wire.v === '-0' ? -0 : Number(wire.v);
    case 'b':
      return BigInt(wire.v as string);
    case 'd':
      return new Date(wire.v === null ? NaN : (wire.v as number));
    case 'r':
      return new RegExp(wire.v as string, wire.f as string);
    case 'm':
      return new Map((wire.v as Wire[][]).map(([k, v]) => [decodeValue(k!), decodeValue(v!)]));
    case 's':
      return new Set((wire.v as Wire[]).map(decodeValue));
    case 't':
      return decodeBytes(wire.k as string, wire.v as string);
    case 'e':
      return decodeError(wire);
    default:
      throw new TypeError(`Unknown wire tag ${JSON.stringify(tag)}: the other side runs another version of async-dag.`);
  }
}

function decodeObject(wire: Record<string, Wire>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(wire)) own(out, key, decodeValue(wire[key]!));
  return out;
}

function decodeBytes(kind: string, base64: string): unknown {
  const bytes = Buffer.from(base64, 'base64');
  if (kind === 'Buffer') return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  if (kind === 'ArrayBuffer') return copy.buffer;
  const Typed = TYPED_ARRAYS[kind];
  if (Typed === undefined) throw new TypeError(`Unknown typed array ${JSON.stringify(kind)} on the wire.`);
  return new Typed(copy.buffer);
}

const BUILT_IN_ERRORS: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * An error as it was thrown on the other side: the library's own errors as instances of their
 * classes, built-in errors as theirs, any other as an `Error` with the original `name`; each
 * with its `message`, `code` and other properties, and the stack of where it was thrown.
 */
function decodeError(wire: Record<string, Wire>): Error {
  const name = wire.name as string;
  const message = wire.message as string;
  const props = decodeObject((wire.props ?? {}) as Record<string, Wire>);
  const code = props.code;
  let error: Error;
  if (name === 'NodeTimeoutError' && code === 'NODE_TIMEOUT') {
    error = new NodeTimeoutError(String(props.node), Number(props.timeout), 0);
  } else if (code === 'ABORTED' && name === 'AbortError') {
    error = new DagAbortedError(undefined);
  } else if (name === 'DagDefinitionError' && typeof code === 'string') {
    error = new DagDefinitionError(code as never, message);
  } else if ((name === 'DagError' || name === 'NodeFailedError') && typeof code === 'string') {
    error = new DagError(code, message);
    define(error, 'name', name);
  } else {
    const Builtin = BUILT_IN_ERRORS[name];
    error = Builtin === undefined ? new Error(message) : new Builtin(message);
    if (Builtin === undefined) define(error, 'name', name);
  }
  define(error, 'message', message);
  if (typeof wire.stack === 'string') define(error, 'stack', wire.stack);
  for (const key of Object.keys(props)) {
    if (key === 'code' && error instanceof DagError) continue;
    own(error, key, props[key]);
  }
  if ('cause' in wire) define(error, 'cause', decodeValue(wire.cause));
  return error;
}

/**
 * An own enumerable property, as an object literal makes it. Never `out[key] = value`: a key
 * `__proto__` (JSON.parse makes it an own key) would set the object's prototype instead, so a
 * value that crossed could lose a key or, decoded from a job's data, get a prototype of the
 * sender's choosing.
 */
function own(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
}

/** As `new Error()` makes them: own, writable, not enumerable. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/** An error as it can be stored: whole when it can cross, as an `Error` describing it when not. */
export function errorWire(error: unknown): Wire {
  try {
    return encodeValue(error, 'error');
  } catch {
    const fallback = new Error(error instanceof Error ? error.message : `thrown: ${shown(error)}`);
    if (error instanceof Error) {
      fallback.name = error.name;
      if (error.stack !== undefined) fallback.stack = error.stack;
    }
    return encodeValue(fallback, 'error');
  }
}

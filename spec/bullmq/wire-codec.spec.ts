import { DagAbortedError, DagDefinitionError, DagError, NodeTimeoutError } from 'async-dag';
import fc from 'fast-check';
import { encodeIdPart, jobIdOf } from '../../lib/bullmq/job-id';
import { decodeValue, encodeValue, WireValueError, type Wire } from '../../lib/bullmq/wire-codec';

/** Through the wire and back, as JSON text (what Redis stores). */
const roundTrip = (value: unknown): unknown => decodeValue(JSON.parse(JSON.stringify(encodeValue(value, 'result'))));

const placeOf = (value: unknown): string => {
  try {
    encodeValue(value, 'result');
  } catch (error) {
    if (error instanceof WireValueError) return `${error.place} is ${error.what}`;
    throw error;
  }
  return 'crossed';
};

describe('wire codec', () => {
  it('round-trips any JSON-like value made of the supported kinds (property)', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.bigInt(),
      fc.date(),
    );
    const value = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('map'), tie('set')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4 }),
      map: fc.array(fc.tuple(fc.string(), tie('tree')), { maxLength: 3 }).map((entries) => new Map(entries)),
      set: fc.array(fc.integer(), { maxLength: 3 }).map((items) => new Set(items)),
    }));
    fc.assert(fc.property(value.tree, (v) => expect(roundTrip(v)).toEqual(v)));
  });

  it('keeps an own `__proto__` key as a key, never as a prototype, both ways', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": {"__proto__": null}}') as Record<string, unknown>;
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')!.value).toEqual({ polluted: 1 });
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(back.a as object, '__proto__')).toBe(true);
    // Job data written by anyone: decoding it never sets a prototype (of params, args or an error's props).
    const forged = JSON.parse(
      '{"__proto__": {"isAdmin": true}, "$$": 1, "err": {"$": "e", "name": "Error", "message": "m", "stack": null, "props": {"__proto__": {"x": 1}}}}',
    ) as Wire;
    const decoded = decodeValue(forged) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect((decoded as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(decoded.err)).toBe(Error.prototype);
    expect(Object.hasOwn(decoded.err as object, '__proto__')).toBe(true);
  });

  it('round-trips objects whose keys touch a prototype (`__proto__`, `constructor`, `$`) as own keys (property)', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '$', 'v'),
      fc.string(),
    );
    const value = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), tie('object')),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
    }));
    /** Own keys, prototypes and values, all compared: `toEqual` would not see a prototype that was set. */
    const shape = (v: unknown): unknown =>
      typeof v === 'object' && v !== null
        ? [
            Object.getPrototypeOf(v) === Object.prototype,
            Object.keys(v).map((k) => [k, shape(Object.getOwnPropertyDescriptor(v, k)!.value)]),
          ]
        : v;
    fc.assert(
      fc.property(value.tree, (v) => {
        expect(shape(roundTrip(v))).toEqual(shape(v));
      }),
    );
  });

  it('keeps what JSON loses: -0, NaN, undefined keys, array holes, typed arrays, null-prototype objects', () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip(NaN)).toBeNaN();
    expect(roundTrip({ a: undefined })).toEqual({ a: undefined });
    expect(Object.keys(roundTrip({ a: undefined }) as object)).toEqual(['a']);
    // eslint-disable-next-line no-sparse-arrays -- a hole is one of the values that must round-trip
    expect(roundTrip([1, , 3])).toEqual([1, undefined, 3]);
    expect(roundTrip(new Int16Array([-2, 7]))).toEqual(new Int16Array([-2, 7]));
    expect(roundTrip(Buffer.from('hi'))).toEqual(Buffer.from('hi'));
    expect(new Uint8Array(roundTrip(new Uint8Array([9, 8]).buffer) as ArrayBuffer)).toEqual(new Uint8Array([9, 8]));
    expect(roundTrip(Object.assign(Object.create(null), { x: 1 }))).toEqual({ x: 1 });
    const invalid = roundTrip(new Date(NaN)) as Date;
    expect(invalid).toBeInstanceOf(Date);
    expect(invalid.getTime()).toBeNaN();
    expect(roundTrip({ $: 'u', v: 1 })).toEqual({ $: 'u', v: 1 });
  });

  it('names where a value that cannot cross is, and what it is', () => {
    class User {
      name = 'ada';
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(placeOf({ user: { save() {} } })).toBe('result.user.save is a function (save)');
    expect(placeOf({ list: [1, new User()] })).toBe('result.list[1] is an instance of class User');
    expect(placeOf({ 'odd key': Symbol('s') })).toBe('result["odd key"] is a symbol (s)');
    expect(placeOf(new Map([['k', () => 1]]))).toBe('result.get("k") is a function (anonymous)');
    expect(placeOf(circular)).toBe('result.self is a circular reference');
    expect(placeOf(new WeakMap())).toBe('result is an instance of class WeakMap');
    // A shared (not circular) reference crosses, as a copy.
    const shared = { n: 1 };
    expect(placeOf([shared, shared])).toBe('crossed');
  });

  it("revives errors: the library's classes as theirs, built-ins as theirs, others by name, with code, stack and cause", () => {
    const timeout = roundTrip(new NodeTimeoutError('render', 150, 2)) as NodeTimeoutError;
    expect(timeout).toBeInstanceOf(NodeTimeoutError);
    expect(timeout).toMatchObject({ code: 'NODE_TIMEOUT', node: 'render', timeout: 150 });
    expect(timeout.message).toContain('attempt 2');
    expect(roundTrip(new DagAbortedError('stop'))).toBeInstanceOf(DagAbortedError);
    const definition = roundTrip(new DagDefinitionError('CYCLE', 'a -> a')) as DagDefinitionError;
    expect(definition).toBeInstanceOf(DagDefinitionError);
    expect(definition.code).toBe('CYCLE');
    const plain = roundTrip(new DagError('UNKNOWN_FLOW', 'nope')) as DagError;
    expect(plain).toBeInstanceOf(DagError);
    expect(plain.code).toBe('UNKNOWN_FLOW');
    class HttpError extends Error {
      override name = 'HttpError';
      status = 404;
    }
    const thrown = new HttpError('not found', { cause: new TypeError('inner') });
    const back = roundTrip(thrown) as Error & { status: number };
    expect(back).toBeInstanceOf(Error);
    expect(back).toMatchObject({ name: 'HttpError', message: 'not found', status: 404 });
    expect(back.stack).toBe(thrown.stack);
    expect(back.cause).toBeInstanceOf(TypeError);
    expect(Object.keys(back)).toEqual(['status']);
  });
});

describe('job ids', () => {
  it('are deterministic, never contain ":", and differ for different (run, incarnation, node, attempt) (property)', () => {
    expect(jobIdOf('report-2026', 'x1_y', 'render', 1)).toBe('report-2026.x1_y.render.1');
    expect(jobIdOf('a.b', 'i', 'c', 1)).not.toBe(jobIdOf('a', 'i', 'b.c', 1));
    expect(jobIdOf('a', 'b.i', 'c', 1)).not.toBe(jobIdOf('a.b', 'i', 'c', 1));
    fc.assert(
      fc.property(
        fc.tuple(fc.string(), fc.string(), fc.string()),
        fc.tuple(fc.string(), fc.string(), fc.string()),
        ([r1, i1, n1], [r2, i2, n2]) => {
          const a = jobIdOf(r1, i1, n1, 1);
          expect(a).not.toContain(':');
          expect(a).toBe(jobIdOf(r1, i1, n1, 1));
          if (r1 !== r2 || i1 !== i2 || n1 !== n2) expect(a).not.toBe(jobIdOf(r2, i2, n2, 1));
        },
      ),
    );
    expect(encodeIdPart('run:1/ü')).toBe('run%3A1%2F%C3%BC');
    // Lone surrogates (which encodeURIComponent refuses) too, apart from any other text.
    expect(encodeIdPart('\ud800x')).toBe('%uD800x');
    expect(encodeIdPart('a\udc00')).toBe('a%uDC00');
    expect(encodeIdPart('🚀\ud800')).toBe('%F0%9F%9A%80%uD800');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(encodeIdPart(a)).not.toContain(':');
        if (a !== b) expect(encodeIdPart(a)).not.toBe(encodeIdPart(b));
      }),
    );
  });
});

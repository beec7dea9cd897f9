import fc from 'fast-check';
import { buildDag, type NodeContext } from 'async-dag';
import { declaredParameters, seesArgument } from '../../lib/graph/sees-argument';

/**
 * A node's `ctx` is made only for bodies that can see it. Reading a parameter list wrong would
 * hand a body `undefined` for its `ctx`: every doubt must read as "can see it".
 */
describe('declaredParameters', () => {
  it.each([
    ['async (n) => n + 1', 1],
    ['(a, b) => a + b', 2],
    ['n => n', 1],
    ['async n => n', 1],
    ['async => async', 1],
    ['() => 1', 0],
    ['(a, b,) => a', 2],
    ['function named(a, b) { return a; }', 2],
    ['async function (a) { return a; }', 1],
    ['function* gen(a) { yield a; }', 1],
    ['async method(a, b) { return this.x; }', 2],
    ["'quoted (name'(a) { return a; }", 1],
    ['[Symbol.for("x(")](a, b) { return a; }', 2],
    ['get value() { return 1; }', 0],
    ['({ a, b }, [c, d]) => a', 2],
    ['({ a = 1, b = ")" }, c) => a', 2],
    ['(a /* , b */, c) => a', 2],
    ['(a, // b,\n c) => a', 2],
  ])('reads %s as %d plain parameters', (source, count) => {
    expect(declaredParameters(source)).toBe(count);
  });

  it.each([
    ['(a, ctx = undefined) => a', 'a default value'],
    ['({ a }, ctx = {}) => a', 'a default after a pattern'],
    ['(a, ...rest) => rest', 'a rest parameter'],
    ['(...args) => args', 'only a rest parameter'],
    ['function (a) { return arguments[2]; }', '`arguments`'],
    ['function () { [native code] }', 'a native or bound function'],
    ['({ a = /\\)/ }, b) => a', 'a regular expression in a pattern'],
    ['({ a = `)` }, b) => a', 'a template literal'],
    ['class Flow { constructor(a) {} }', 'a class'],
    ['(a, b', 'a list that never closes'],
    ['function (p) { return argument\\u0073[1]; }', 'an escaped identifier'],
    ["function (p) { return eval('argu' + 'ments')[1]; }", 'eval'],
    ['function (a, <!-- /*\n b, c) { return c; }', 'an HTML-like comment'],
    ['function (a,\n--> b, c\n c) { return c; }', 'a closing HTML-like comment'],
  ])('gives up on %s (%s)', (source) => {
    expect(declaredParameters(source)).toBeUndefined();
  });

  it('counts generated plain parameter lists as Function.length does, and gives up on any default or rest', () => {
    // Parameter i binds names ending in i, so that no two parameters share a name.
    const patterns = [
      'p#',
      '$#',
      '_#',
      'ü#',
      '{ p# }',
      '{ k: p# }',
      '{ p# = 1 }',
      "{ p# = ')' }",
      '[p#, , q#]',
      '[p# = (1, 2)]',
      '{ k: [p#, { r# }] }',
    ];
    const parameter = fc.record({
      pattern: fc.constantFrom(...patterns),
      fallback: fc.constantFrom(undefined, undefined, undefined, '1', '(x) => x', '{}'),
    });
    const shape = fc.constantFrom('arrow', 'async arrow', 'function', 'method');
    fc.assert(
      fc.property(
        fc.array(parameter, { maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        shape,
        (params, rest, comment, kind) => {
          const texts = params.map(
            ({ pattern, fallback }, i) =>
              pattern.replaceAll('#', String(i)) + (fallback === undefined ? '' : ` = ${fallback}`),
          );
          if (rest) texts.push('...rest');
          const list = texts.join(comment ? ' /* , ( */, ' : ', ');
          const source =
            kind === 'arrow'
              ? `(${list}) => 0`
              : kind === 'async arrow'
                ? `async (${list}) => 0`
                : kind === 'function'
                  ? `function f(${list}) { return 0; }`
                  : `({ m(${list}) { return 0; } }).m`;
          const fn = new Function(`return ${source};`)() as (...args: unknown[]) => unknown;
          const plain = !rest && params.every((p) => p.fallback === undefined);
          expect(declaredParameters(fn.toString())).toBe(plain ? fn.length : undefined);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('seesArgument', () => {
  it('sees a declared parameter, not one past the list', () => {
    expect(seesArgument(async (n: number) => n, 0)).toBe(true);
    expect(seesArgument(async (n: number) => n, 1)).toBe(false);
  });

  it('sees every argument of a sloppy-mode function, whose arguments others can reach', () => {
    const sloppy = new Function('p', 'return p;') as (p: unknown) => unknown;
    expect(declaredParameters(sloppy.toString())).toBe(1);
    expect(seesArgument(sloppy, 1)).toBe(true);
  });

  it('sees every argument of a function it cannot read', () => {
    const bound = ((n: number) => n).bind(null);
    const proxied = new Proxy((n: number) => n, {});
    expect(seesArgument(bound, 5)).toBe(true);
    expect(seesArgument(proxied, 5)).toBe(true);
    expect(seesArgument(Math.max, 5)).toBe(true);
  });
});

describe('the ctx of a node', () => {
  it('reaches every body that can see it, and is made for no other', async () => {
    const seen: Record<string, unknown> = {};
    const fallback = { name: 'fallback' };
    const dag = buildDag<number>((tm) => {
      const one = tm.addNode(function declared(n: number, ctx: NodeContext) {
        seen.declared = ctx.name;
        return n;
      });
      tm.addNode(function (...args: unknown[]) {
        seen.rest = (args[2] as NodeContext).name;
      }, one);
      tm.addNode(function withDefault(n: number, p: number, ctx: NodeContext = fallback as NodeContext) {
        seen.withDefault = ctx.name;
        return n + p;
      }, one);
      tm.addNode(function viaArguments(this: unknown) {
        // eslint-disable-next-line prefer-rest-params -- the point of the test: a body that reads ctx through `arguments`
        seen.viaArguments = (arguments[2] as NodeContext).name;
      }, one);
      tm.addNode(function plain(n: number) {
        seen.plain = n;
      }, one);
    });
    await dag.invoke(1);
    expect(seen).toEqual({
      declared: 'declared',
      rest: 'node_1',
      withDefault: 'withDefault',
      viaArguments: 'viaArguments',
      plain: 1,
    });
  });
});

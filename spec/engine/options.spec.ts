import { buildDag, Dag, DagDefinitionError, node, type InvokeOptions, type NodeOptions } from 'async-dag';
import { setInvokeDefaults } from '../../lib/dsl/invoke-defaults';

describe('invocation options', () => {
  const dag = buildDag((tm) => void tm.addNode(() => 1));

  it.each<[string, unknown, RegExp]>([
    [
      'concurrency: 0',
      { concurrency: 0 },
      /^Expected `concurrency` to be an integer from 1 and up, got `0` \(number\)$/,
    ],
    ['concurrency: -1', { concurrency: -1 }, /got `-1` \(number\)/],
    ['concurrency: 1.5', { concurrency: 1.5 }, /got `1.5` \(number\)/],
    ['concurrency: NaN', { concurrency: NaN }, /got `NaN` \(number\)/],
    ['concurrency: "2"', { concurrency: '2' }, /got `"2"` \(string\)/],
    ['failFast: "no"', { failFast: 'no' }, /^Expected `failFast` to be a boolean, got `"no"` \(string\)$/],
    [
      'signal: {}',
      { signal: {} },
      /^Expected `signal` to be an AbortSignal, got `\[object Object\]` \(object\), which has no `aborted`/,
    ],
    ['observer: 5', { observer: 5 }, /^Expected `observer` to be an object of hooks, got `5` \(number\)$/],
    ['options: "fast"', 'fast', /^Expected `options` to be an object, got `"fast"` \(string\)$/],
  ])('rejects %s with a TypeError saying what was expected and what came', async (_, options, message) => {
    let ran = false;
    const watched = buildDag((tm) => void tm.addNode(() => (ran = true)));
    const run = watched.invoke(undefined, options as InvokeOptions);
    await expect(run).rejects.toThrow(TypeError);
    await expect(run).rejects.toThrow(message);
    expect(ran).toBe(false);
  });

  it('checks every own key, symbols and non-enumerable ones included, and reads nothing inherited', async () => {
    const nonEnumerable = {};
    Object.defineProperty(nonEnumerable, 'concurency', { value: 2, enumerable: false });
    await expect(dag.invoke(undefined, nonEnumerable)).rejects.toThrow(
      new TypeError(
        'Unknown invoke option `concurency`. Did you mean `concurrency`? Known options: signal, concurrency, failFast, observer, runId, executor.',
      ),
    );
    await expect(dag.invoke(undefined, { [Symbol('retries')]: 1 } as InvokeOptions)).rejects.toThrow(
      /^Unknown invoke option `Symbol\(retries\)`\. Known options: /,
    );
    await expect(dag.invoke(undefined, JSON.parse('{"__proto__": {}}') as InvokeOptions)).rejects.toThrow(
      /^Unknown invoke option `__proto__`/,
    );
    // A non-enumerable known option is an option: read, and checked.
    const hidden = {};
    Object.defineProperty(hidden, 'concurrency', { value: 0, enumerable: false });
    await expect(dag.invoke(undefined, hidden)).rejects.toThrow(
      'Expected `concurrency` to be an integer from 1 and up',
    );
    // Inherited properties are not options: neither refused nor read (a bad inherited value changes nothing).
    const inherited = Object.create({ concurency: 2, concurrency: 0, failFast: 'no' }) as InvokeOptions;
    await expect(dag.invoke(undefined, inherited)).resolves.toBeDefined();
    // An options object made by a class: its own fields are its options, its methods are not.
    class Options {
      failFast = false;
      describe(): string {
        return 'settle';
      }
    }
    const settled = await buildDag(
      (tm) =>
        void tm.addNode(function bad() {
          throw new Error('x');
        }),
    ).invoke(undefined, new Options());
    expect(settled.status('bad')).toBe('rejected');
  });

  it('checks a per-call symbol key on a class with invoke defaults too', async () => {
    class Flow extends Dag {
      @node() one() {
        return 1;
      }
    }
    setInvokeDefaults(Flow, { concurrency: 2 });
    await expect(new Flow().invoke(undefined, { [Symbol('x')]: 1 } as InvokeOptions)).rejects.toThrow(
      /^Unknown invoke option `Symbol\(x\)`/,
    );
    await expect(
      new Flow().invoke(undefined, JSON.parse('{"__proto__": {"concurrency": 0}}') as InvokeOptions),
    ).rejects.toThrow(/^Unknown invoke option `__proto__`/);
  });

  it('never throws synchronously for a bad option', () => {
    const run = dag.invoke(undefined, { concurrency: 0 });
    expect(run).toBeInstanceOf(Promise);
    return expect(run).rejects.toBeInstanceOf(TypeError);
  });

  it('accepts undefined for every option', async () => {
    const options: InvokeOptions = {
      signal: undefined,
      concurrency: undefined,
      failFast: undefined,
      observer: undefined,
    };
    await expect(dag.invoke(undefined, options)).resolves.toBeDefined();
  });
});

describe('node options', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'timeout: -1',
      { timeout: -1 },
      /expected `timeout` to be a number of milliseconds above 0 and at most 2147483647, or Infinity, got `-1` \(number\)/,
    ],
    ['timeout: 2 ** 31 (setTimeout would fire at once)', { timeout: 2 ** 31 }, /`timeout`.*got `2147483648`/],
    ['timeout: 0', { timeout: 0 }, /`timeout`.*got `0`/],
    ['timeout: NaN', { timeout: NaN }, /`timeout`.*got `NaN`/],
    ['timeout: "1s"', { timeout: '1s' }, /`timeout`.*got `"1s"` \(string\)/],
    [
      'retry: "x"',
      { retry: 'x' },
      /expected `retry` to be an integer from 0 up or a RetryPolicy, got `"x"` \(string\)/,
    ],
    ['retry: -1', { retry: -1 }, /`retry`.*got `-1`/],
    ['retry: 1.5', { retry: 1.5 }, /`retry`.*got `1.5`/],
    ['retry: { retries: "2" }', { retry: { retries: '2' } }, /`retry.retries`.*got `"2"`/],
    ['retry without retries', { retry: { delay: 5 } }, /`retry.retries`.*got `undefined`/],
    ['retry.delay: -1', { retry: { retries: 1, delay: -1 } }, /`retry.delay`.*got `-1`/],
    [
      'retry.delay: 2 ** 31',
      { retry: { retries: 1, delay: 2 ** 31 } },
      /`retry.delay` to be a number of milliseconds from 0 to 2147483647 or a function, got `2147483648`/,
    ],
    [
      'retry.when: true',
      { retry: { retries: 1, when: true } },
      /`retry.when` to be a function, got `true` \(boolean\)/,
    ],
    ['retry.unknown', { retry: { retries: 1, backoff: 2 } }, /unknown option `retry.backoff`/],
    ['priority: NaN', { priority: NaN }, /`priority` to be a finite number, got `NaN`/],
    ['priority: "high"', { priority: 'high' }, /`priority`.*got `"high"`/],
    [
      'an unknown key',
      { timeot: 100 },
      /unknown option `timeot`\. Known options: timeout, retry, priority, queue, name/,
    ],
    ['options: 5', 5, /expected `options` to be an object, got `5`/],
    ['name: ""', { name: '' }, /`name` to be a non-empty string, got `""`/],
    ['name: 5', { name: 5 }, /`name` to be a non-empty string, got `5`/],
  ])('rejects %s with DagDefinitionError INVALID_OPTION when the graph is defined', (_, options, message) => {
    let error: unknown;
    try {
      buildDag((tm) => void tm.with(options as NodeOptions).addNode(function target() {}));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toMatch(message);
  });

  it('names the node in the message', () => {
    expect(() => buildDag((tm) => void tm.with({ timeout: -1 }).addNode(function fetchUser() {}))).toThrow(
      /Node "fetchUser"/,
    );
  });

  it('accepts Infinity as no timeout', async () => {
    const dag = buildDag(
      (tm) =>
        void tm.with({ timeout: Infinity }).addNode(async function free() {
          return 'ok';
        }),
    );
    expect((await dag.invoke()).get('free')).toBe('ok');
  });
});

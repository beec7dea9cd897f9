import { Dag, invokeDag, node, type DagObserver } from 'async-dag';
import { setInvokeDefaults, withInvokeDefaults } from '../../lib/dsl/invoke-defaults';

/** A flow whose node fails: fail fast rejects, settle mode resolves. */
class Failing extends Dag {
  @node() bad(): number {
    throw new Error('bad');
  }
  @node() good() {
    return 1;
  }
}

function observerCounting(starts: string[], tag: string): DagObserver {
  return { onRunStart: () => starts.push(tag) };
}

afterEach(() => {
  setInvokeDefaults(Dag, undefined);
  setInvokeDefaults(Failing, undefined);
});

describe('invoke defaults', () => {
  it('hand on every key the call gives, not only those a default can set', () => {
    const flow = new Failing();
    setInvokeDefaults(Failing, { failFast: false, concurrency: 2 });
    const options = { concurrency: 1, runId: 'order-7', concurency: 3 } as Record<string, unknown>;
    expect(withInvokeDefaults(flow, options)).toEqual({
      failFast: false,
      concurrency: 1,
      runId: 'order-7',
      concurency: 3,
    });
  });

  it('apply the defaults of a class to its invocations', async () => {
    await expect(new Failing().invoke()).rejects.toThrow('bad');
    setInvokeDefaults(Failing, { failFast: false });
    const result = await new Failing().invoke();
    expect(result.status('bad')).toBe('rejected');
    expect(result.get('good')).toBe(1);
  });

  it('apply defaults set on Dag to every subclass', async () => {
    setInvokeDefaults(Dag, { failFast: false });
    expect((await new Failing().invoke()).status('good')).toBe('fulfilled');
  });

  it('merge class < instance < per-call options, key by key', async () => {
    const starts: string[] = [];
    setInvokeDefaults(Failing, { failFast: false, observer: observerCounting(starts, 'class') });
    const flow = new Failing();
    setInvokeDefaults(flow, { observer: observerCounting(starts, 'instance') });
    await flow.invoke();
    await flow.invoke(undefined, { observer: observerCounting(starts, 'call') });
    await new Failing().invoke();
    expect(starts).toEqual(['instance', 'call', 'class']);
    await expect(flow.invoke(undefined, { failFast: true })).rejects.toThrow('bad');
  });

  it('keep a default when the per-call option is undefined', async () => {
    setInvokeDefaults(Failing, { failFast: false });
    const result = await new Failing().invoke(undefined, { failFast: undefined, concurrency: undefined });
    expect(result.status('bad')).toBe('rejected');
  });

  it('are removed with undefined', async () => {
    setInvokeDefaults(Failing, { failFast: false });
    setInvokeDefaults(Failing, undefined);
    await expect(new Failing().invoke()).rejects.toThrow('bad');
  });

  it('apply to invokeDag too', async () => {
    class Plain {
      @node() bad(): number {
        throw new Error('bad');
      }
    }
    setInvokeDefaults(Plain, { failFast: false });
    expect((await invokeDag(new Plain())).status('bad')).toBe('rejected');
  });

  it('are validated when set', () => {
    expect(() => setInvokeDefaults(Failing, { concurrency: 0 })).toThrow(
      'Expected `concurrency` to be an integer from 1 and up, got `0` (number)',
    );
    expect(() => setInvokeDefaults(42 as unknown as object, {})).toThrow(TypeError);
  });
});

import { buildDag, type DagObserver } from 'async-dag';
import { combineObservers } from '../../lib/run/combine-observers';

describe('combineObservers', () => {
  it('hands every event to each observer in order, even when one of them throws', async () => {
    const seen: string[] = [];
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const first: DagObserver = {
      onNodeEnd: ({ name }) => {
        seen.push(`first ${name}`);
        throw new Error('first observer broke');
      },
    };
    const second: DagObserver = {
      onNodeEnd: ({ name }) => void seen.push(`second ${name}`),
      onRunEnd: () => void seen.push('second end'),
    };
    const dag = buildDag((tm) => {
      tm.with({ name: 'a' }).addNode(() => 1);
    });
    const result = await dag.invoke(undefined, { observer: combineObservers([first, second])! });
    const calls = emitWarning.mock.calls.map(([message]) => String(message));
    emitWarning.mockRestore();
    expect(result.get('a')).toBe(1);
    expect(seen).toEqual(['first a', 'second a', 'second end']);
    expect(calls).toEqual([expect.stringContaining('first observer broke')]);
  });

  it('returns the only observer as it is, and nothing for none', () => {
    const only: DagObserver = {};
    expect(combineObservers([only])).toBe(only);
    expect(combineObservers([])).toBeUndefined();
  });

  it('has only the hooks that some observer has', () => {
    const combined = combineObservers([{ onRunStart: () => {} }, { onRunEnd: () => {} }])!;
    expect(Object.keys(combined).sort()).toEqual(['onRunEnd', 'onRunStart']);
  });
});

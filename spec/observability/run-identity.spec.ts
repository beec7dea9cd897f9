import { buildDag, Dag, node, NodeFailedError, type DagObserver, type NodeContext, type RunInfo } from 'async-dag';
import { RunIdentity } from '../../lib/run/run-info';
import { sleep } from '../helpers/deferred';

/** An observer that records the `run` of every event of every hook, in order. */
function runsSeen(): { observer: DagObserver; events: { hook: string; run: RunInfo }[] } {
  const events: { hook: string; run: RunInfo }[] = [];
  const observer: DagObserver = {
    onRunStart: ({ run }) => void events.push({ hook: 'onRunStart', run }),
    onNodeStart: ({ run }) => void events.push({ hook: 'onNodeStart', run }),
    onNodeRetry: ({ run }) => void events.push({ hook: 'onNodeRetry', run }),
    onNodeEnd: ({ run }) => void events.push({ hook: 'onNodeEnd', run }),
    onRunEnd: ({ run }) => void events.push({ hook: 'onRunEnd', run }),
  };
  return { observer, events };
}

const flaky = () => {
  let calls = 0;
  return buildDag((tm) => {
    const a = tm.with({ retry: 1 }).addNode(async function a() {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
      return 1;
    });
    tm.addNode(async function b(x: number, _p: void, ctx: NodeContext) {
      await sleep(1);
      return `${x}:${ctx.runId}`;
    }, a);
  });
};

describe('run identity', () => {
  it('gives every event of one invocation the same `run`, with `run.id` equal to ctx.runId', async () => {
    const { observer, events } = runsSeen();
    const result = await flaky().invoke(undefined, { observer });
    expect(events.map((e) => e.hook)).toEqual([
      'onRunStart',
      'onNodeStart',
      'onNodeRetry',
      'onNodeStart',
      'onNodeEnd',
      'onNodeStart',
      'onNodeEnd',
      'onRunEnd',
    ]);
    const run = events[0]!.run;
    for (const event of events) expect(event.run).toBe(run);
    expect(typeof run.id).toBe('string');
    expect(run.id.length).toBeGreaterThan(8);
    expect(result.get('b')).toBe(`1:${run.id}`);
  });

  it('gives concurrent invocations of one graph different runs and ids, so one observer serves them all', async () => {
    const { observer, events } = runsSeen();
    const dag = buildDag((tm) => {
      tm.addNode(async function only(_p: void, ctx: NodeContext) {
        await sleep(2);
        return ctx.runId;
      });
    });
    const results = await Promise.all([1, 2, 3].map(() => dag.invoke(undefined, { observer })));
    const runs = new Set(events.map((e) => e.run));
    expect(runs.size).toBe(3);
    const ids = new Set([...runs].map((run) => run.id));
    expect(ids.size).toBe(3);
    expect(new Set(results.map((r) => r.get('only')))).toEqual(ids);
    // Each run's events stay together by `run`: start, node start, node end, end.
    for (const run of runs) {
      expect(events.filter((e) => e.run === run).map((e) => e.hook)).toEqual([
        'onRunStart',
        'onNodeStart',
        'onNodeEnd',
        'onRunEnd',
      ]);
    }
  });

  it('uses the `runId` option, any characters included, for run.id and ctx.runId', async () => {
    const { observer, events } = runsSeen();
    const runId = 'report:2026-12-03/ünïcode 🚀 "quoted"';
    const result = await flaky().invoke(undefined, { observer, runId });
    expect(result.get('b')).toBe(`1:${runId}`);
    for (const event of events) expect(event.run.id).toBe(runId);
  });

  it('keeps one id per invocation even when two invocations share a `runId`, and separate `run` objects', async () => {
    const { observer, events } = runsSeen();
    const dag = buildDag((tm) => void tm.addNode(() => 1));
    await dag.invoke(undefined, { observer, runId: 'same' });
    await dag.invoke(undefined, { observer, runId: 'same' });
    const starts = events.filter((e) => e.hook === 'onRunStart');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.run).not.toBe(starts[1]!.run);
    expect(starts.map((e) => e.run.id)).toEqual(['same', 'same']);
  });

  it('has the run on the events of a failed run, and on the error path of the class DSL', async () => {
    class Failing extends Dag {
      @node() async boom(_p: void, ctx: NodeContext): Promise<number> {
        throw new Error(`boom in ${ctx.runId}`);
      }
    }
    const { observer, events } = runsSeen();
    const error = await new Failing().invoke(undefined, { observer, runId: 'r-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect((error as NodeFailedError).cause).toEqual(new Error('boom in r-1'));
    expect(events.map((e) => [e.hook, e.run.id])).toEqual([
      ['onRunStart', 'r-1'],
      ['onNodeStart', 'r-1'],
      ['onNodeEnd', 'r-1'],
      ['onRunEnd', 'r-1'],
    ]);
  });

  it('rejects a `runId` that is not a non-empty string with a TypeError saying what came', async () => {
    const dag = buildDag((tm) => void tm.addNode(() => 1));
    await expect(dag.invoke(undefined, { runId: 42 as never })).rejects.toThrow(
      new TypeError('Expected `runId` to be a non-empty string, got `42` (number)'),
    );
    await expect(dag.invoke(undefined, { runId: '' })).rejects.toThrow(TypeError);
  });

  it('has `id` as an own enumerable property: spread, toEqual, Object.keys and JSON see it', async () => {
    const { observer, events } = runsSeen();
    await flaky().invoke(undefined, { observer, runId: 'R' });
    const run = events[0]!.run;
    expect({ ...run }).toEqual({ id: 'R' });
    expect(run).toEqual({ id: 'R' });
    expect(Object.keys(run)).toEqual(['id']);
    expect(JSON.stringify(run)).toBe('{"id":"R"}');
    const unnamed = runsSeen();
    await flaky().invoke(undefined, { observer: unnamed.observer });
    const fresh = unnamed.events[0]!.run;
    expect(Object.getOwnPropertyDescriptor(fresh, 'id')).toMatchObject({ enumerable: true, value: fresh.id });
    expect({ ...fresh }).toEqual({ id: fresh.id });
  });

  it('makes a fresh id for each identity not given one, and keeps it', () => {
    const made = new RunIdentity(undefined);
    const first = made.id;
    expect(made.id).toBe(first);
    expect(new RunIdentity(undefined).id).not.toBe(first);
    expect(JSON.stringify(new RunIdentity('given'))).toBe('{"id":"given"}');
  });
});

import { buildDag, type TaskNode } from 'async-dag';
import { deferred, sleep, type Deferred } from '../helpers/deferred';
import { Recorder } from '../helpers/recorder';

/** A synchronous node named `name` that records its start. */
function recorded(rec: Recorder, name: string) {
  return Object.defineProperty(() => void rec.push(`start:${name}`), 'name', { value: name });
}

describe('concurrency limit', () => {
  it('never runs more than `concurrency` node bodies at once, and uses every slot', async () => {
    let running = 0;
    let most = 0;
    const gates: Deferred<void>[] = [];
    const dag = buildDag((tm) => {
      const body = async () => {
        running++;
        most = Math.max(most, running);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        running--;
      };
      const roots = Array.from({ length: 6 }, () => tm.addNode(body));
      tm.addNode(body, ...roots.slice(0, 3));
      tm.addNode(body, ...roots.slice(3));
    });
    const run = dag.invoke(undefined, { concurrency: 2 });
    let released = 0;
    while (released < 8) {
      await sleep(1);
      expect(running).toBeLessThanOrEqual(2);
      const gate = gates[released];
      if (gate !== undefined) {
        gate.resolve();
        released++;
      }
    }
    await run;
    expect(most).toBe(2);
  });

  it('gives no slot to immediates: a pending immediate does not hold back a node', async () => {
    const rec = new Recorder();
    const slow = deferred<number>();
    const dag = buildDag((tm) => {
      const value = tm.addImmediateNode(slow.promise);
      tm.addNode(recorded(rec, 'root'));
      tm.addNode((v: number) => rec.push(`start:dependent ${v}`), value);
    });
    const run = dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['root']);
    slow.resolve(3);
    await run;
    expect(rec.of('start')).toEqual(['root', 'dependent 3']);
  });

  it('accepts concurrency: Infinity as no limit', async () => {
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      for (const name of ['a', 'b', 'c']) tm.addNode(recorded(rec, name));
    });
    await dag.invoke(undefined, { concurrency: Infinity });
    expect(rec.of('start')).toEqual(['a', 'b', 'c']);
  });

  it('frees the slot of a node that fails in settle mode', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(async function bad() {
        throw new Error('bad');
      });
      tm.addNode(async function good() {
        return 'good';
      });
    });
    const result = await dag.invoke(undefined, { concurrency: 1, failFast: false });
    expect(result.get('good')).toBe('good');
  });

  it('frees the slot while a node waits for its retry', async () => {
    const rec = new Recorder();
    let calls = 0;
    const dag = buildDag((tm) => {
      tm.with({ name: 'flaky', retry: { retries: 1, delay: 20 } }).addNode(() => {
        rec.push(`start:flaky${++calls}`);
        if (calls === 1) throw new Error('once');
      });
      tm.addNode(recorded(rec, 'other'));
    });
    await dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['flaky1', 'other', 'flaky2']);
  });
});

describe('order of ready nodes under a concurrency limit', () => {
  it('starts the higher priority first', async () => {
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      tm.addNode(recorded(rec, 'low'));
      tm.with({ priority: 5 }).addNode(recorded(rec, 'high'));
      tm.with({ priority: 1 }).addNode(recorded(rec, 'middle'));
      tm.with({ priority: -1 }).addNode(recorded(rec, 'negative'));
    });
    await dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['high', 'middle', 'low', 'negative']);
  });

  it('then the node with the longest remaining path, then declaration order', async () => {
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      tm.addNode(recorded(rec, 'leafA'));
      const head = tm.addNode(recorded(rec, 'head'));
      tm.addNode(recorded(rec, 'leafB'));
      const mid = tm.addNode(recorded(rec, 'mid'), head);
      tm.addNode(recorded(rec, 'tail'), mid);
      const shortHead = tm.addNode(recorded(rec, 'shortHead'));
      tm.addNode(recorded(rec, 'shortTail'), shortHead);
    });
    await dag.invoke(undefined, { concurrency: 1 });
    // Remaining path in nodes: head 3; mid and shortHead 2; the rest 1. Ties go by declaration order,
    // whenever a node became ready: mid (declared before shortHead), and tail after the leaves.
    expect(rec.of('start')).toEqual(['head', 'mid', 'shortHead', 'leafA', 'leafB', 'tail', 'shortTail']);
  });

  it('lets priority win over the critical path', async () => {
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      const long = tm.addNode(recorded(rec, 'long'));
      tm.addNode(recorded(rec, 'long2'), tm.addNode(recorded(rec, 'long1'), long));
      tm.with({ priority: 1 }).addNode(recorded(rec, 'urgent'));
    });
    await dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')[0]).toBe('urgent');
  });

  it('orders ready nodes deterministically as slots free up', async () => {
    const rec = new Recorder();
    const gate = deferred();
    const dag = buildDag((tm) => {
      const blocker = tm.addNode(async () => {
        rec.push('start:blocker');
        await gate.promise;
      });
      tm.addNode(recorded(rec, 'plain'), blocker);
      tm.with({ priority: 2 }).addNode(recorded(rec, 'important'), blocker);
      tm.addNode(recorded(rec, 'free'));
    });
    const run = dag.invoke(undefined, { concurrency: 1 });
    // blocker has the longest path (2), so it takes the only slot; `free` waits.
    expect(rec.of('start')).toEqual(['blocker']);
    gate.resolve();
    await run;
    // plain and free tie (priority 0, one node to the end): declaration order, not arrival order.
    expect(rec.of('start')).toEqual(['blocker', 'important', 'plain', 'free']);
  });

  it('weights the critical path by measured durations once the graph has run', async () => {
    const rec = new Recorder();
    let last!: TaskNode<void>;
    const dag = buildDag((tm) => {
      // By node count the quick chain is longer; by time the single slow node is.
      const q1 = tm.addNode(recorded(rec, 'quick1'));
      const q2 = tm.addNode(recorded(rec, 'quick2'), q1);
      tm.addNode(recorded(rec, 'quick3'), q2);
      last = tm.addNode(async function slow() {
        rec.push('start:slow');
        await sleep(40);
      });
    });
    await dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['quick1', 'quick2', 'quick3', 'slow']);
    rec.events.length = 0;
    const result = await dag.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['slow', 'quick1', 'quick2', 'quick3']);
    expect(result.status(last)).toBe('fulfilled');
  });

  it('keeps learned durations per graph', async () => {
    const rec = new Recorder();
    const define = () =>
      buildDag((tm) => {
        tm.addNode(recorded(rec, 'quick1'));
        tm.addNode(async function slow() {
          rec.push('start:slow');
          await sleep(30);
        });
      });
    const trained = define();
    await trained.invoke(undefined, { concurrency: 1 });
    rec.events.length = 0;
    await define().invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['quick1', 'slow']);
    rec.events.length = 0;
    await trained.invoke(undefined, { concurrency: 1 });
    expect(rec.of('start')).toEqual(['slow', 'quick1']);
  });
});

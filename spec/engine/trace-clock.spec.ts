import { buildDag, type TaskGraph } from 'async-dag';
import { exactNow, TURN_CLOCK_BELOW, turnNow } from '../../lib/run/clock';
import { taskGraphOf } from '../../lib/builder/task-graph';
import { sleep } from '../helpers/deferred';

/**
 * The clock behind the trace: exact for a graph's first run and for any graph whose last run
 * took TURN_CLOCK_BELOW ms or more; for a quick graph, one reading per turn of the event loop,
 * with the run's start and end always read exactly.
 */

const busyFor = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** The seed's six nodes, zero delays: async bodies that settle at once. */
function seedShaped(body: (n: number) => Promise<number> = async (n) => n + 1): TaskGraph<number> {
  const add = async (a: number, b: number) => a + b;
  return buildDag<number>((tm) => {
    const fastA = tm.addNode(body);
    const slowB = tm.addNode(body, fastA);
    const slowA = tm.addNode(body);
    const fastB = tm.addNode(body);
    const fastC = tm.addNode(add, slowA, fastB);
    tm.addNode(add, fastC, slowB);
  });
}

/** Invokes `dag` and counts the clock readings the invocation made. */
async function readingsOf<P>(dag: TaskGraph<P>, params: P): Promise<{ readings: number; duration: number }> {
  const clock = jest.spyOn(performance, 'now');
  try {
    const result = await dag.invoke(params);
    return { readings: clock.mock.calls.length, duration: result.trace.duration };
  } finally {
    clock.mockRestore();
  }
}

/** Invokes `dag` until a run is quick (the next one then uses the turn clock); fails if none is. */
async function untilQuick<P>(dag: TaskGraph<P>, params: P): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await dag.invoke(params)).trace.duration < TURN_CLOCK_BELOW) return;
  }
  throw new Error(`no run of the graph took under ${TURN_CLOCK_BELOW} ms`);
}

describe('the clock of the trace', () => {
  it("reads the clock at every asynchronous event of a graph's first run", async () => {
    const { readings } = await readingsOf(seedShaped(), 1);
    // The start, one reading per settled node (six), the end shares the last one.
    expect(readings).toBeGreaterThanOrEqual(7);
  });

  it('reads it only at the start and the end of a run that follows a quick one', async () => {
    const dag = seedShaped();
    await untilQuick(dag, 1);
    for (let run = 0; run < 20; run++) {
      const { readings, duration } = await readingsOf(dag, 1);
      expect(readings).toBe(2);
      // A slow moment of a busy machine makes the next run exact again: then retry.
      if (duration >= TURN_CLOCK_BELOW) await untilQuick(dag, 1);
    }
  });

  it('keeps node times exact across turns of the event loop when the graph was quick', async () => {
    const dag = seedShaped(async (n) => {
      if (n > 1) await sleep(n);
      return n + 1;
    });
    await untilQuick(dag, 0);
    const result = await dag.invoke(30);
    const [fastA, slowB, , , , end] = result.trace.nodes;
    // Each sleep ends in a later turn, where the turn clock reads again.
    expect(fastA!.end! - fastA!.start!).toBeGreaterThanOrEqual(25);
    expect(slowB!.start!).toBeGreaterThanOrEqual(fastA!.end!);
    expect(slowB!.end! - slowB!.start!).toBeGreaterThanOrEqual(25);
    expect(end!.start!).toBeGreaterThanOrEqual(slowB!.end!);
    expect(result.trace.duration).toBeGreaterThanOrEqual(end!.end!);
    expect(result.trace.duration).toBeGreaterThanOrEqual(55);
  });

  it("measures a quick graph's run exactly even when it spends its time inside one turn, and times the next run exactly", async () => {
    const dag = seedShaped(async (n) => {
      if (n > 1) busyFor(n);
      return n + 1;
    });
    await untilQuick(dag, 0);
    const busy = await dag.invoke(20);
    // Four bodies each busy for 20 ms inside the same turn: the node times cannot see it (they
    // share the turn's reading), the run's duration does.
    expect(busy.trace.duration).toBeGreaterThanOrEqual(75);
    const next = await dag.invoke(20);
    const [fastA, slowB] = next.trace.nodes;
    expect(slowB!.start!).toBeGreaterThanOrEqual(fastA!.start! + 15);
    expect(next.trace.duration).toBeGreaterThanOrEqual(75);
  });

  it('learns node durations only from exactly timed runs', async () => {
    const dag = seedShaped();
    const { learning } = taskGraphOf(dag)!;
    await dag.invoke(1);
    expect(learning.runs).toBe(1);
    expect(learning.average).toBeDefined();
    await untilQuick(dag, 1);
    const exactRuns = learning.runs;
    const version = learning.version;
    // The next run uses the turn clock (its node times would all be about 0): it teaches nothing.
    const { readings } = await readingsOf(dag, 1);
    expect(readings).toBe(2);
    expect(learning.runs).toBe(exactRuns);
    expect(learning.version).toBe(version);
  });

  it('gives a run that follows a quick one times since its own start, never before it', async () => {
    const dag = seedShaped();
    await untilQuick(dag, 1);
    const results = await Promise.all([dag.invoke(1), dag.invoke(2), dag.invoke(3)]);
    for (const result of results) {
      for (const entry of result.trace.nodes) {
        expect(entry.start).toBeGreaterThanOrEqual(0);
        expect(entry.end).toBeGreaterThanOrEqual(entry.start!);
        expect(entry.end).toBeLessThanOrEqual(result.trace.duration);
      }
    }
  });

  it("times a quick graph's runs in fake time under jest's fake timers", async () => {
    const dag = seedShaped(async (n) => {
      if (n > 1) await sleep(n);
      return n + 1;
    });
    await untilQuick(dag, 0);
    jest.useFakeTimers();
    try {
      const pending = dag.invoke(50);
      await jest.advanceTimersByTimeAsync(200);
      const result = await pending;
      const [fastA, slowB] = result.trace.nodes;
      // (advanceTimersByTimeAsync moves the fake clock on by a step after a timer fires.)
      expect(fastA!.end! - fastA!.start!).toBeGreaterThanOrEqual(50);
      expect(fastA!.end! - fastA!.start!).toBeLessThan(55);
      expect(slowB!.start).toBe(fastA!.end);
      expect(slowB!.end! - slowB!.start!).toBeGreaterThanOrEqual(50);
      expect(result.trace.duration).toBeGreaterThanOrEqual(100);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets the turn reading even when the nextTick it was first handed to is gone (fake timers removed)', async () => {
    await new Promise((resolve) => setImmediate(resolve)); // no forget pending from earlier tests
    const real = process.nextTick;
    const dropped: unknown[] = [];
    // A fake nextTick that is never driven, as fake timers leave behind when they are removed.
    process.nextTick = ((callback: () => void) => void dropped.push(callback)) as typeof process.nextTick;
    let first: number;
    try {
      first = exactNow();
    } finally {
      process.nextTick = real;
    }
    expect(dropped).toHaveLength(1);
    expect(turnNow()).toBe(first); // the same turn: remembered
    exactNow(); // the next run's start hands a forget to the real nextTick
    await new Promise((resolve) => setImmediate(resolve));
    const clock = jest.spyOn(performance, 'now');
    try {
      turnNow();
      expect(clock).toHaveBeenCalledTimes(1);
    } finally {
      clock.mockRestore();
    }
  });

  it('makes the next run exact after a slow run that failed fast', async () => {
    const dag = seedShaped(async (n) => {
      if (n > 1) {
        await sleep(n);
        throw new Error('slow and broken');
      }
      return n + 1;
    });
    await untilQuick(dag, 0);
    await expect(dag.invoke(20)).rejects.toThrow('slow and broken');
    const { readings } = await readingsOf(dag, 0);
    expect(readings).toBeGreaterThan(2);
  });
});

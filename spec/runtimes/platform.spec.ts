// lib/run/platform.ts reads the platform's globals once, guarded. Here it is loaded again with
// the globals Temporal's workflow sandbox lacks (`performance`, `queueMicrotask`, `process`)
// taken away, as the sandbox has them; scripts/check-runtimes.mjs runs the real sandbox.
type Platform = typeof import('../../lib/run/platform');
type Clock = typeof import('../../lib/run/clock');

const GLOBALS = ['performance', 'queueMicrotask', 'process'] as const;

/** Loads fresh copies of platform.ts and clock.ts while `GLOBALS` are missing. */
function loadWithout(): { platform: Platform; clock: Clock } {
  const saved = GLOBALS.map((name) => Object.getOwnPropertyDescriptor(globalThis, name));
  for (const name of GLOBALS) Reflect.deleteProperty(globalThis, name);
  try {
    let loaded!: { platform: Platform; clock: Clock };
    jest.isolateModules(() => {
      loaded = {
        platform: jest.requireActual<Platform>('../../lib/run/platform'),
        clock: jest.requireActual<Clock>('../../lib/run/clock'),
      };
    });
    return loaded;
  } finally {
    GLOBALS.forEach((name, i) => {
      const descriptor = saved[i];
      if (descriptor !== undefined) Object.defineProperty(globalThis, name, descriptor);
    });
  }
}

describe('the platform seam, where performance, queueMicrotask and process are missing', () => {
  it('times with Date.now(), so that a trace in the Temporal sandbox is in workflow time', () => {
    const { platform } = loadWithout();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_123);
    try {
      expect(platform.platformClock()).toBe(1_700_000_000_123);
    } finally {
      spy.mockRestore();
    }
  });

  it('runs a callback after the current microtasks with a promise', async () => {
    const { platform } = loadWithout();
    const order: string[] = [];
    platform.afterMicrotasks(() => order.push('after'));
    order.push('sync');
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(['sync', 'after']);
    expect(platform.nodeProcess).toBeUndefined();
  });

  it("keeps the turn clock's reading for the rest of the turn only", async () => {
    const { clock } = loadWithout();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(10);
    try {
      expect(clock.turnNow()).toBe(10);
      spy.mockReturnValue(25);
      expect(clock.turnNow()).toBe(10); // same turn: the reading is shared
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(clock.turnNow()).toBe(25);
    } finally {
      spy.mockRestore();
    }
  });

  it('uses performance.now() where the platform has it', () => {
    const { platformClock } = jest.requireActual<Platform>('../../lib/run/platform');
    const before = performance.now();
    const reading = platformClock();
    expect(reading).toBeGreaterThanOrEqual(before);
    expect(reading).toBeLessThan(before + 1_000);
    expect(Number.isInteger(reading) && Number.isInteger(before)).toBe(false);
  });
});

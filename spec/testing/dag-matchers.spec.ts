import { buildDag, NodeFailedError, NodeTimeoutError, type ExecutionResult } from 'async-dag';
import { dagMatchers, matchers, setupMatchers } from 'async-dag/testing';

expect.extend(dagMatchers);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** a and b run side by side; c waits for both; d fails; e depends on d (skipped in settle mode). */
function diamond() {
  return buildDag<void>((tm) => {
    const a = tm.with({ name: 'a' }).addNode(async () => {
      await sleep(30);
      return 1;
    });
    const b = tm.with({ name: 'b' }).addNode(async () => {
      await sleep(30);
      return 2;
    });
    tm.with({ name: 'c' }).addNode((x: number, y: number) => x + y, a, b);
    const d = tm.with({ name: 'd' }).addNode(async () => {
      await sleep(5);
      throw new RangeError('d broke');
    });
    tm.with({ name: 'e' }).addNode((x: unknown) => x, d);
  });
}

let settled: ExecutionResult;
beforeAll(async () => {
  settled = await diamond().invoke(undefined, { failFast: false });
});

/** The message a failing assertion gives. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

describe('toHaveRunBefore', () => {
  it('passes when the first node ended before the second started', () => {
    expect(settled).toHaveRunBefore('a', 'c');
    expect(settled).toHaveRunBefore('b', 'c');
  });

  it('fails for nodes that overlapped, naming both with their times', () => {
    const message = failure(() => expect(settled).toHaveRunBefore('a', 'b'));
    expect(message).toContain('Expected "a" to end before "b" started');
    expect(message).toMatch(/a\s+fulfilled, started at [\d.]+ ms, ended at [\d.]+ ms/);
    expect(message).toMatch(/b\s+fulfilled, started at/);
  });

  it('fails when the second node never started', () => {
    expect(settled).not.toHaveRunBefore('d', 'e');
    expect(failure(() => expect(settled).toHaveRunBefore('d', 'e'))).toContain('e  skipped, never started');
  });

  it('says what was not expected under .not', () => {
    const message = failure(() => expect(settled).not.toHaveRunBefore('a', 'c'));
    expect(message).toContain('expect(result).not.toHaveRunBefore("a", "c")');
    expect(message).toContain('Expected "a" not to end before "c" started');
  });
});

describe('toHaveRunConcurrently', () => {
  it('passes when the two intervals overlap, in either order', () => {
    expect(settled).toHaveRunConcurrently('a', 'b');
    expect(settled).toHaveRunConcurrently('b', 'a');
  });

  it('fails for a node and its dependent, which run one after the other', () => {
    expect(settled).not.toHaveRunConcurrently('a', 'c');
    expect(failure(() => expect(settled).toHaveRunConcurrently('a', 'c'))).toContain(
      'Expected the runs of "a" and "c" to overlap',
    );
  });

  it('fails when one of the nodes never started', () => {
    expect(settled).not.toHaveRunConcurrently('a', 'e');
  });

  it('shows the timeline of the run in its message', () => {
    const message = failure(() => expect(settled).toHaveRunConcurrently('a', 'c'));
    expect(message).toContain('The run:');
    expect(message).toMatch(/^c\s+\|.*\| [\d.]+ ms$/m);
  });
});

describe('status matchers', () => {
  it('tell fulfilled, rejected and skipped nodes apart', () => {
    expect(settled).toHaveFulfilled('c');
    expect(settled).toHaveRejected('d');
    expect(settled).toHaveBeenSkipped('e');
    expect(settled).not.toHaveFulfilled('d');
    expect(settled).not.toHaveRejected('c');
    expect(settled).not.toHaveBeenSkipped('a');
  });

  it('name the node and its actual status when they fail', () => {
    expect(failure(() => expect(settled).toHaveFulfilled('e'))).toContain(
      'Expected "e" to be fulfilled, but:\n  e  skipped',
    );
    expect(failure(() => expect(settled).toHaveBeenSkipped('c'))).toContain('Expected "c" to be skipped');
  });

  it('toHaveRejected compares the error with a substring, a RegExp, a class or an Error', () => {
    expect(settled).toHaveRejected('d', 'broke');
    expect(settled).toHaveRejected('d', /^d br/);
    expect(settled).toHaveRejected('d', RangeError);
    expect(settled).toHaveRejected('d', new Error('d broke'));
    expect(settled).not.toHaveRejected('d', TypeError);
    expect(settled).not.toHaveRejected('d', 'other');
    const message = failure(() => expect(settled).toHaveRejected('d', TypeError));
    expect(message).toContain('to be rejected with an instance of TypeError');
    expect(message).toContain('Its error: RangeError: d broke');
  });
});

describe('received values', () => {
  it('reads the partial result of a NodeFailedError (fail fast)', async () => {
    const error = await diamond()
      .invoke()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(error).toHaveRejected('d', 'd broke');
    expect(error).toHaveBeenSkipped('e');
    // a and b were still running when d failed: the run stopped them, so they count as skipped.
    expect(error).toHaveBeenSkipped('c');
  });

  it('finds the error of a node that timed out', async () => {
    const dag = buildDag((tm) => {
      tm.with({ name: 'slow', timeout: 5 }).addNode(() => sleep(200));
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result).toHaveRejected('slow', NodeTimeoutError);
  });

  it('throws, even under .not, for a name that is not a node', () => {
    expect(() => expect(settled).not.toHaveFulfilled('nope')).toThrow(
      'toHaveFulfilled: the result has no node named "nope". Its nodes are: a, b, c, d, e.',
    );
  });

  it('throws for something that is not a result', () => {
    expect(() => expect(42).toHaveFulfilled('a')).toThrow(
      /expected the received value to be a run's result.*got `42` \(number\)/,
    );
    expect(() => expect({ trace: 'x' }).toHaveFulfilled('a')).toThrow(TypeError);
  });
});

describe('setupMatchers', () => {
  it('extends the expect it is given with the same matchers', () => {
    const extend = jest.fn();
    setupMatchers({ extend });
    expect(extend).toHaveBeenCalledWith(dagMatchers);
    expect(matchers).toBe(dagMatchers);
  });

  it('extends the global expect by default', () => {
    const spy = jest.spyOn(expect, 'extend');
    try {
      setupMatchers();
      expect(spy).toHaveBeenCalledWith(dagMatchers);
    } finally {
      spy.mockRestore();
    }
  });

  it('throws a TypeError for something that cannot be extended', () => {
    expect(() => setupMatchers({} as never)).toThrow(/Expected `expect` to be jest's expect/);
  });
});

import { buildDag, graphOf, NodeFailedError } from 'async-dag';

/** A real promise whose own `then` throws, as a hostile or broken library might hand back. */
function promiseWithThrowingThen(): Promise<number> {
  const promise = Promise.resolve(1);
  Object.defineProperty(promise, 'then', {
    value: () => {
      throw new Error('then exploded');
    },
  });
  return promise;
}

describe('hardening', () => {
  it('keeps a retry policy given as a number immutable, even through graphOf', async () => {
    let attempts = 0;
    const dag = buildDag((tm) => {
      tm.with({ name: 'flaky', retry: 1 }).addNode(() => {
        attempts++;
        throw new Error('always');
      });
    });
    const retry = graphOf(dag).nodes[0]!.options!.retry!;
    expect(Object.isFrozen(retry)).toBe(true);
    expect(() => {
      (retry as { retries: number }).retries = 5;
    }).toThrow(TypeError);
    await expect(dag.invoke()).rejects.toBeInstanceOf(NodeFailedError);
    expect(attempts).toBe(2);
  });

  it.each([
    ['a root, started inside invoke()', false],
    ['a dependent, started from a settled promise', true],
  ])('fails %s whose returned promise has a throwing then, instead of hanging the run', async (_, dependent) => {
    const dag = buildDag((tm) => {
      const first = dependent ? tm.addNode(async () => 0) : undefined;
      const broken = () => promiseWithThrowingThen();
      if (first === undefined) tm.with({ name: 'broken' }).addNode(broken);
      else tm.with({ name: 'broken' }).addNode(broken, first);
    });
    const failure = await dag.invoke().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NodeFailedError);
    expect((failure as NodeFailedError).node).toBe('broken');
    expect(((failure as NodeFailedError).cause as Error).message).toBe('then exploded');
  });
});

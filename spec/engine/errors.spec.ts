import { DagAbortedError, DagDefinitionError, DagError, NodeFailedError, NodeTimeoutError, buildDag } from 'async-dag';

describe('errors', () => {
  it('are all DagErrors and Errors, with a stable code and their class name as name', async () => {
    const definition = new DagDefinitionError('CYCLE', 'a -> b -> a');
    const partial = await buildDag(() => {}).invoke();
    const failed = new NodeFailedError('fetchUser', new Error('404'), partial);
    const timeout = new NodeTimeoutError('fetchUser', 250, 2);
    const aborted = new DagAbortedError('user left');
    for (const error of [definition, failed, timeout, aborted]) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(DagError);
      expect(typeof error.code).toBe('string');
      expect(error.stack).toContain(error.message);
    }
    expect([definition.code, failed.code, timeout.code, aborted.code]).toEqual([
      'CYCLE',
      'NODE_FAILED',
      'NODE_TIMEOUT',
      'ABORTED',
    ]);
    expect([definition.name, failed.name, timeout.name, aborted.name]).toEqual([
      'DagDefinitionError',
      'NodeFailedError',
      'NodeTimeoutError',
      'AbortError',
    ]);
  });

  it('name the node and keep the original error as cause', async () => {
    const cause = new Error('404');
    const partial = await buildDag(() => {}).invoke();
    const failed = new NodeFailedError('fetchUser', cause, partial);
    expect(failed.node).toBe('fetchUser');
    expect(failed.cause).toBe(cause);
    expect(failed.partial).toBe(partial);
    expect(failed.message).toBe('Node "fetchUser" failed: 404');
    const timeout = new NodeTimeoutError('fetchUser', 250, 2);
    expect(timeout).toMatchObject({ node: 'fetchUser', timeout: 250 });
    expect(timeout.message).toMatch(/^Node "fetchUser" timed out after 250 ms \(attempt 2\)\. Raise its `timeout`/);
  });

  it('describe causes that are not Errors without throwing', async () => {
    const partial = await buildDag(() => {}).invoke();
    const unprintable = Object.create(null) as object;
    expect(new NodeFailedError('n', 'plain text', partial).message).toBe('Node "n" failed: plain text');
    expect(new NodeFailedError('n', unprintable, partial).message).toBe('Node "n" failed: [object Object]');
    expect(new NodeFailedError('n', new TypeError(''), partial).message).toBe('Node "n" failed: TypeError');
    expect(new DagAbortedError(undefined).message).toBe('The run was aborted: undefined');
  });

  it('let code be branched on with instanceof DagError alone', async () => {
    const dag = buildDag(
      (tm) =>
        void tm.addNode(function broken(): number {
          throw new Error('no');
        }),
    );
    const error: unknown = await dag.invoke().catch((e: unknown) => e);
    expect(error instanceof DagError && error.code).toBe('NODE_FAILED');
  });
});

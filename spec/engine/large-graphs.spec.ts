import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { buildDag, type TaskNode } from 'async-dag';

// A million nodes: the scheduler's loops (never recursion) must not grow the stack with the
// depth or the width of a graph. Those runs happen in a plain Node process (a jest worker builds
// such graphs several times slower), with the default stack size.
jest.setTimeout(180_000);

const root = path.resolve(__dirname, '../..');
const script = path.join(root, 'spec/helpers/large-graph-script.ts');

function runShape(shape: string): Promise<{ values: number[]; ms: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, shape],
      { cwd: root, timeout: 170_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${shape} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { values: number[]; ms: number });
      },
    );
  });
}

describe('graphs of a million nodes', () => {
  it('runs a chain of 1,000,000 synchronous nodes without a stack overflow, with and without a limit', async () => {
    const { values } = await runShape('chain');
    expect(values).toEqual([999_999, 999_999]);
  });

  it('runs a fan-out of 1,000,000 dependents of one async node', async () => {
    const { values } = await runShape('fanOut');
    expect(values).toEqual([1_000_000, 1]);
  });
});

describe('large graphs in process', () => {
  it('runs a chain of 20,000 async nodes', async () => {
    let last!: TaskNode<number>;
    const dag = buildDag((tm) => {
      let previous = tm.addNode(async () => 0);
      for (let i = 1; i < 20_000; i++) previous = tm.addNode(async (n: number) => n + 1, previous);
      last = previous;
    });
    expect(last.extractResult(await dag.invoke())).toBe(19_999);
  });

  it('passes 10,000 dependencies to one node given as a spread array', async () => {
    let total!: TaskNode<number>;
    const dag = buildDag((tm) => {
      const leaves = Array.from({ length: 10_000 }, (_, i) => tm.addNode(() => i));
      total = tm.addNode((...values: number[]) => values.slice(0, -2).reduce((a, b) => a + b, 0), ...leaves);
    });
    expect(total.extractResult(await dag.invoke())).toBe((10_000 * 9_999) / 2);
  });
});

import { main as flowMain } from '../../examples/testing-flow';
import { main as invokeWithMain } from '../../examples/testing-invoke-with';
import { main as matchersMain } from '../../examples/testing-matchers';
import { main as runNodeMain } from '../../examples/testing-run-node';

describe('examples/testing-*', () => {
  it('testing-flow: combines the user and their orders', async () => {
    const lines: string[] = [];
    await expect(flowMain((line) => lines.push(line))).resolves.toBe('Ada: 2 orders, 42 spent');
    expect(lines).toEqual(['Ada: 2 orders, 42 spent']);
  });

  it('testing-invoke-with: replaces the user node for one run only', async () => {
    const lines: string[] = [];
    await expect(invokeWithMain((line) => lines.push(line))).resolves.toEqual([
      'Test user: 2 orders, 42 spent',
      'Ada: 2 orders, 42 spent',
    ]);
    expect(lines).toEqual([
      'with the override: Test user: 2 orders, 42 spent',
      'without:           Ada: 2 orders, 42 spent',
    ]);
  });

  it('testing-run-node: runs the profile node with the values given', async () => {
    await expect(runNodeMain(() => {})).resolves.toBe('Grace: 1 orders, 5 spent');
  });

  it('testing-matchers: passes its checks, and shows a clear message for a failing one', async () => {
    const lines: string[] = [];
    const message = await matchersMain((line) => lines.push(line));
    expect(lines[0]).toBe('all checks passed');
    expect(message).toContain('expect(result).toHaveRunConcurrently("user", "profile")');
    expect(message).toContain('Expected the runs of "user" and "profile" to overlap, but:');
    expect(message).toMatch(/user\s+fulfilled, started at [\d.]+ ms, ended at [\d.]+ ms/);
  });
});

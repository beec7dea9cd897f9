import { main } from '../examples/seed-builder';

describe('examples/seed-builder', () => {
  it('starts each task as soon as its dependencies are done and returns 1 and 4', async () => {
    const lines: string[] = [];
    const { fastA, end } = await main((line) => lines.push(line), 0.3);
    expect(fastA).toBe(1);
    expect(end).toBe(4);
    const at = (text: string) => {
      const index = lines.findIndex((line) => line.endsWith(text));
      expect(index).toBeGreaterThanOrEqual(0);
      return index;
    };
    // The three roots start before anything finishes.
    for (const root of ['fastTaskA', 'slowTaskA', 'fastTaskB']) expect(at(`${root} task started...`)).toBeLessThan(at('fastTaskA task done!'));
    // slowTaskB starts right after fastTaskA, long before slowTaskA is done.
    expect(at('slowTaskB task started...')).toBeLessThan(at('slowTaskA task done!'));
    expect(at('fastTaskC task started...')).toBeGreaterThan(at('slowTaskA task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('slowTaskB task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('fastTaskC task done!'));
    expect(lines).toContain('fastTaskA result: 1');
    expect(lines).toContain('endTask result: 4');
  });
});

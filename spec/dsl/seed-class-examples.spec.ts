import { main as seedClass } from '../../examples/seed-class';
import { main as seedClassEvents } from '../../examples/seed-class-events';

/** Index of the line ending with `text`; fails if there is none. */
function indexIn(lines: readonly string[], text: string): number {
  const index = lines.findIndex((line) => line.endsWith(text));
  expect({ text, found: index >= 0 }).toEqual({ text, found: true });
  return index;
}

describe('examples/seed-class', () => {
  it('starts each task as soon as its dependencies are done and returns 1 and 4', async () => {
    const lines: string[] = [];
    const { fastTaskA, endTask } = await seedClass((line) => lines.push(line), 0.3);
    expect([fastTaskA, endTask]).toEqual([1, 4]);
    const at = (text: string) => indexIn(lines, text);
    // The three roots start synchronously, in declaration order, before anything finishes.
    expect(lines.slice(0, 3)).toEqual(['fastTaskA task started...', 'slowTaskA task started...', 'fastTaskB task started...']);
    // slowTaskB starts right after fastTaskA, long before slowTaskA is done.
    expect(at('slowTaskB task started...')).toBe(at('fastTaskA task done!') + 1);
    expect(at('slowTaskB task started...')).toBeLessThan(at('slowTaskA task done!'));
    expect(at('fastTaskC task started...')).toBeGreaterThan(at('slowTaskA task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('slowTaskB task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('fastTaskC task done!'));
    expect(lines).toContain('fastTaskA result: 1');
    expect(lines).toContain('endTask result: 4');
    expect(lines).toContain(
      'graph TD\n    fastTaskA --> slowTaskB\n    slowTaskA --> fastTaskC\n    fastTaskB --> fastTaskC\n    fastTaskC --> endTask\n    slowTaskB --> endTask\n',
    );
  });
});

describe('examples/seed-class-events', () => {
  it('stores only the allowed location, on each of two invocations of one instance', async () => {
    const lines: string[] = [];
    const { first, second } = await seedClassEvents((line) => lines.push(line), 10);
    expect(lines).toEqual([
      'logger: moon true, sun false',
      'moonEvent: moon',
      'moonInsert: true',
      'logger: moon false, sun true',
      'moonInsert: false',
      'sunInsert: true',
    ]);
    expect(first.get('publishResults')).toBe(2);
    expect(second.get('sunEvent').location).toBe('sun');
    expect(second.get('moonEvent').timestamp).toBeInstanceOf(Date);
    // Immediates took no time; publishResults waited for both inserts.
    const trace = new Map(first.trace.nodes.map((entry) => [entry.name, entry]));
    expect(trace.get('publishResults')!.start!).toBeGreaterThanOrEqual(
      Math.max(trace.get('moonInsert')!.end!, trace.get('sunInsert')!.end!),
    );
  });
});

// What the seed examples written as classes must do, whichever decorator mode compiled them:
// spec/dsl (legacy) and spec/tc39 (standard) run the same checks.
import type { Trace } from 'async-dag';
import type { main as SeedClass } from '../../examples/seed-class';

/** What both versions of the events example resolve to: two runs of their own `EventFlow` class. */
interface EventsRun {
  get(name: 'publishResults'): number;
  get(name: 'sunEvent' | 'moonEvent'): { readonly location: string; readonly timestamp: Date };
  readonly trace: Trace;
}
type SeedClassEvents = (log: (line: string) => void, delay: number) => Promise<{ first: EventsRun; second: EventsRun }>;

/** Index of the line ending with `text`; fails if there is none. */
function indexIn(lines: readonly string[], text: string): number {
  const index = lines.findIndex((line) => line.endsWith(text));
  expect({ text, found: index >= 0 }).toEqual({ text, found: true });
  return index;
}

/** The seed's first example: each task starts as soon as its dependencies are done; results 1 and 4. */
export async function checkSeedClass(seedClass: typeof SeedClass): Promise<void> {
  const lines: string[] = [];
  const { fastTaskA, endTask } = await seedClass((line) => lines.push(line), 0.3);
  expect([fastTaskA, endTask]).toEqual([1, 4]);
  const at = (text: string) => indexIn(lines, text);
  // The three roots start synchronously, in declaration order, before anything finishes.
  expect(lines.slice(0, 3)).toEqual([
    'fastTaskA task started...',
    'slowTaskA task started...',
    'fastTaskB task started...',
  ]);
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
}

/** The seed's second example: only the allowed location is stored, on each of two invocations of one instance. */
export async function checkSeedClassEvents(seedClassEvents: SeedClassEvents): Promise<void> {
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
}

import { main } from '../examples/seed-builder';
import { main as mainEvents, moonEvent, moonInsert, sunInsert } from '../examples/seed-builder-events';

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
    for (const root of ['fastTaskA', 'slowTaskA', 'fastTaskB'])
      expect(at(`${root} task started...`)).toBeLessThan(at('fastTaskA task done!'));
    // slowTaskB starts right after fastTaskA, long before slowTaskA is done.
    expect(at('slowTaskB task started...')).toBeLessThan(at('slowTaskA task done!'));
    expect(at('fastTaskC task started...')).toBeGreaterThan(at('slowTaskA task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('slowTaskB task done!'));
    expect(at('endTask task started...')).toBeGreaterThan(at('fastTaskC task done!'));
    expect(lines).toContain('fastTaskA result: 1');
    expect(lines).toContain('endTask result: 4');
  });
});

describe('examples/seed-builder-events', () => {
  it('inserts only the allowed location, publishes and logs the results, in two invocations of one graph', async () => {
    const lines: string[] = [];
    const { first, second, httpClient, dbClient } = await mainEvents((line) => lines.push(line), 20);
    expect(lines).toEqual(['moon true sun false', 'moon', 'true', 'moon false sun true', 'moon', 'false']);
    expect([first.get(moonInsert), first.get(sunInsert)]).toEqual([true, false]);
    expect([second.get(moonInsert), second.get(sunInsert)]).toEqual([false, true]);
    expect(first.get(moonEvent).location).toBe('moon');
    expect(first.get(moonEvent)).not.toBe(second.get(moonEvent));
    expect(httpClient.published).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(dbClient.inserted.map((event) => event.location)).toEqual(['moon', 'sun']);
    // The names the builder gave: each function's name, made unique.
    expect(first.trace.nodes.map((node) => node.name)).toEqual([
      'immediate_0',
      'fetchEvent',
      'insertToDb',
      'immediate_3',
      'fetchEvent_2',
      'insertToDb_2',
      'publishResults',
      'logger',
    ]);
    // Both fetches start together, at the start of the run; each insert waits only for its own fetch.
    const at = (name: string) => first.trace.nodes.find((node) => node.name === name)!;
    expect(at('fetchEvent').start).toBeLessThan(5);
    expect(at('fetchEvent_2').start).toBeLessThan(5);
    expect(at('insertToDb').start).toBeGreaterThanOrEqual(at('fetchEvent').end!);
    expect(at('logger').start).toBeGreaterThanOrEqual(at('insertToDb_2').end!);
  });
});

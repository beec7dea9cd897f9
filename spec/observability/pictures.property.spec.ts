// Properties of the pictures, over random graphs, names, schedules and widths.
import fc from 'fast-check';
import { buildDag, graphOf, Trace, type NodeStatus, type TraceEntry } from 'async-dag';
import { parseGantt } from './mermaid-syntax';

/** Pieces of names: plain, Mermaid syntax, wide, zero-width, combining, control, keyword-like. */
const PIECES = [
  'a',
  'Z',
  '_',
  '1',
  ' ',
  ':',
  ';',
  '#',
  '%',
  '"',
  '`',
  '<',
  '>',
  '&',
  '[',
  ']',
  '(',
  ')',
  '-',
  '>',
  '|',
  '漢',
  '🚀',
  'e\u0301',
  '\n',
  '\t',
  '\u001b',
  'end',
  'style',
  'class',
  'direction',
  ' TB',
  'title ',
  'section ',
  'gantt',
  '2024-01-01',
  'x',
  'o',
  'n0',
];
const nameArb = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
/** For the timeline, whose test finds the bar between the two `|` of each row. */
const rowNameArb = nameArb.map((name) => name.replaceAll('|', '/'));

/** Columns a test name takes in a terminal: the wide pieces take 2, the combining accent 0. */
function columns(line: string): number {
  let n = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    n += code === 0x301 ? 0 : char === '漢' || char === '🚀' ? 2 : 1;
  }
  return n;
}

const entryArb = (total: number) =>
  fc
    .record({
      name: rowNameArb,
      kind: fc.constantFrom('node' as const, 'node' as const, 'immediate' as const),
      status: fc.constantFrom<NodeStatus>('fulfilled', 'rejected', 'skipped'),
      started: fc.boolean(),
      a: fc.double({ min: 0, max: total, noNaN: true }),
      b: fc.double({ min: 0, max: total, noNaN: true }),
      attempts: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ name, kind, status, started, a, b, attempts }): Omit<TraceEntry, 'duration'> =>
      started
        ? { name, kind, status, start: Math.min(a, b), end: Math.max(a, b), attempts }
        : { name, kind, status: 'skipped', start: undefined, end: undefined, attempts: 0 },
    );

const traceArb = fc
  .double({ min: 0, max: 120_000, noNaN: true })
  .chain((total) => fc.tuple(fc.constant(total), fc.array(entryArb(total), { maxLength: 12 })))
  .map(([total, entries]) => new Trace(entries, total));

describe('the pictures, over random runs', () => {
  it('toTimeline: exactly one row per node, none wider than `width` columns, bars inside the frame', () => {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 30, max: 200 }), (trace, width) => {
        const lines = trace.toTimeline(width).split('\n');
        expect(lines.pop()).toBe('');
        expect(lines).toHaveLength(trace.nodes.length);
        for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(width);
        trace.nodes.forEach((entry, i) => {
          const bar = lines[i]!.slice(lines[i]!.indexOf('|') + 1, lines[i]!.lastIndexOf('|'));
          if (entry.start === undefined) expect(bar.trim()).toBe('');
          else expect(bar.trim().length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('toGantt: Mermaid reads one task per node that started, none ending before it starts', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        const chart = parseGantt(trace.toGantt());
        expect(chart.tasks).toHaveLength(trace.nodes.filter((n) => n.start !== undefined).length);
        for (const task of chart.tasks) {
          if (task.tags.includes('milestone')) expect(task.end).toBe(task.start);
          else expect(task.end).toBeGreaterThan(task.start);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('toMermaid: every id is a plain word, ids are distinct, and there is one edge line per edge', () => {
    const graphArb = fc
      .uniqueArray(nameArb, { minLength: 1, maxLength: 10 })
      .chain((names) =>
        fc.tuple(
          fc.constant(names),
          fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: names.length, maxLength: names.length }),
        ),
      );
    fc.assert(
      fc.property(graphArb, ([names, picks]) => {
        const dag = buildDag((tm) => {
          const added: ReturnType<typeof tm.addNode>[] = [];
          names.forEach((name, i) => {
            // Each node depends on some of the nodes before it, so the graph has no cycle.
            const deps = i === 0 ? [] : picks[i]!.map((p) => added[p % i]!);
            added.push(tm.with({ name }).addNode((...xs: unknown[]) => xs.length, ...deps));
          });
        });
        const view = graphOf(dag);
        const lines = view.toMermaid().trimEnd().split('\n');
        expect(lines[0]).toBe('graph TD');
        const edges = lines.filter((line) => line.includes(' --> '));
        expect(edges).toHaveLength(view.edges.length);
        const declared = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const edge = /^ {4}(\w+) --> (\w+)$/.exec(line);
          const node = /^ {4}(\w+)\[("[^"]*")\]$/.exec(line);
          expect(edge !== null || node !== null).toBe(true);
          if (node !== null) declared.set(node[1]!, node[2]!);
          for (const id of edge === null ? [] : [edge[1]!, edge[2]!])
            expect(/^(end|style\w*|class\w*|graph\w*|\w*direction)$/.test(id)).toBe(false);
        }
        // A name that is not itself used as an id is declared, under a distinct id, with its label.
        expect(new Set(declared.keys()).size).toBe(declared.size);
        for (const [id, label] of declared) {
          expect(/^(end|style\w*|class\w*|graph\w*|\w*direction)$/.test(id)).toBe(false);
          expect(label).not.toMatch(/[\n\r<>`]|direction\s+(TB|BT|RL|LR)/);
        }
      }),
      { numRuns: 100 },
    );
  });
});

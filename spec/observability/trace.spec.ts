import { buildDag, NodeFailedError, Trace, type TraceEntry } from 'async-dag';
import { parseGantt } from './mermaid-syntax';

type Entry = Omit<TraceEntry, 'duration'>;
const node = (
  name: string,
  start: number | undefined,
  end: number | undefined,
  status: TraceEntry['status'] = 'fulfilled',
  attempts = start === undefined ? 0 : 1,
): Entry => ({ name, kind: 'node', status, start, end, attempts });

/** The seed run as it happens at full speed (ms). */
const seedTrace = () =>
  new Trace(
    [
      node('fastTaskA', 0.4, 101.2),
      node('slowTaskB', 101.3, 1102.9),
      node('slowTaskA', 0.5, 501.0),
      node('fastTaskB', 0.5, 100.9),
      node('fastTaskC', 501.1, 602.0),
      node('endTask', 1103.0, 1103.4),
    ],
    1103.6,
  );

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('result.trace', () => {
  it('has one entry per node, in declaration order, with name, kind, status, start, end, duration and attempts', async () => {
    let calls = 0;
    const dag = buildDag((tm) => {
      const url = tm.addImmediateNode('moon');
      const fetch = tm.with({ name: 'fetch', retry: 1 }).addNode(async (u: string) => {
        await sleep(5);
        if (++calls === 1) throw new Error('flaky');
        return u;
      }, url);
      tm.addNode(async function store(e: string) {
        await sleep(20);
        return e.length;
      }, fetch);
    });
    const result = await dag.invoke();
    const [url, fetch, store] = result.trace.nodes;
    expect(result.trace.nodes.map((e) => [e.name, e.kind, e.status, e.attempts])).toEqual([
      ['immediate_0', 'immediate', 'fulfilled', 1],
      ['fetch', 'node', 'fulfilled', 2],
      ['store', 'node', 'fulfilled', 1],
    ]);
    expect(url!.start).toBeLessThanOrEqual(fetch!.start!);
    // fetch's duration spans both attempts; store starts when fetch ends.
    expect(fetch!.duration).toBeGreaterThanOrEqual(8);
    expect(fetch!.duration).toBeCloseTo(fetch!.end! - fetch!.start!, 6);
    expect(store!.start).toBeGreaterThanOrEqual(fetch!.end!);
    expect(store!.duration).toBeGreaterThanOrEqual(15);
    expect(result.trace.duration).toBeGreaterThanOrEqual(store!.end!);
    expect(Object.isFrozen(result.trace.nodes)).toBe(true);
    expect(Object.isFrozen(store)).toBe(true);
  });

  it('leaves start, end and duration undefined for a node that never started', async () => {
    const dag = buildDag((tm) => {
      const bad = tm.addNode(function bad(): number {
        throw new Error('no');
      });
      tm.addNode(function after(x: number) {
        return x;
      }, bad);
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.trace.nodes[1]).toMatchObject({
      name: 'after',
      status: 'skipped',
      start: undefined,
      end: undefined,
      duration: undefined,
      attempts: 0,
    });
    expect(result.trace.nodes[0]).toMatchObject({ name: 'bad', status: 'rejected', attempts: 1 });
  });
});

describe('Trace.toGantt', () => {
  it('renders a Mermaid gantt chart in ms since the run began (dateFormat x), one done task per fulfilled node', () => {
    expect(seedTrace().toGantt()).toBe(
      [
        'gantt',
        '    title async-dag run',
        '    dateFormat x',
        '    axisFormat %S.%L s',
        '    section nodes',
        '    fastTaskA :done, 0, 101',
        '    slowTaskB :done, 101, 1103',
        '    slowTaskA :done, 1, 501',
        '    fastTaskB :done, 1, 101',
        '    fastTaskC :done, 501, 602',
        '    endTask :done, 1103, 1104',
        '',
      ].join('\n'),
    );
  });

  it('is read by Mermaid as the tasks we mean', () => {
    const chart = parseGantt(seedTrace().toGantt());
    expect(chart.sections).toEqual(['nodes']);
    expect(chart.tasks.map((t) => [t.name.trim(), t.tags, t.start, t.end])).toEqual([
      ['fastTaskA', ['done'], 0, 101],
      ['slowTaskB', ['done'], 101, 1103],
      ['slowTaskA', ['done'], 1, 501],
      ['fastTaskB', ['done'], 1, 101],
      ['fastTaskC', ['done'], 501, 602],
      ['endTask', ['done'], 1103, 1104],
    ]);
  });

  it('marks rejected nodes crit and nodes cut short by the end of the run active, and leaves out nodes that never started', () => {
    const trace = new Trace(
      [
        node('ok', 0, 10),
        node('bad', 0, 20, 'rejected', 3),
        node('cut', 5, 20, 'skipped'),
        node('never', undefined, undefined, 'skipped'),
      ],
      20,
    );
    const chart = parseGantt(trace.toGantt());
    expect(chart.tasks.map((t) => [t.name.trim(), t.tags, t.start, t.end])).toEqual([
      ['ok', ['done'], 0, 10],
      ['bad (3 attempts)', ['crit'], 0, 20],
      ['cut', ['active'], 5, 20],
    ]);
  });

  it('puts immediates in a section of their own, as milestones', () => {
    const trace = new Trace([{ ...node('moonUrl', 0, 0), kind: 'immediate' }, node('fetch', 0.2, 40.4)], 41);
    const chart = parseGantt(trace.toGantt());
    expect(chart.sections).toEqual(['immediates', 'nodes']);
    expect(chart.tasks.map((t) => [t.section, t.name.trim(), t.tags])).toEqual([
      ['immediates', 'moonUrl', ['milestone']],
      ['nodes', 'fetch', ['done']],
    ]);
    expect(chart.axisFormat).toBe('%L ms');
  });

  it('gives every bar at least 1 ms, since Mermaid draws nothing for an empty one', () => {
    const chart = parseGantt(new Trace([node('sync', 3.1, 3.2)], 4).toGantt());
    expect(chart.tasks[0]).toMatchObject({ start: 3, end: 4 });
  });

  it('keeps names that Mermaid would misread from breaking the chart', () => {
    const names = [
      'title: the end',
      'section a',
      'Gantt chart',
      'a%%b',
      '%x',
      'x#y;z',
      '2024-01-01 batch',
      'dateFormat YYYY',
      'click me',
      'topAxisLabel',
    ];
    const trace = new Trace(
      names.map((name, i) => node(name, i, i + 10)),
      20,
    );
    const chart = parseGantt(trace.toGantt());
    expect(chart.sections).toEqual(['nodes']);
    expect(chart.tasks).toHaveLength(names.length);
    expect(chart.tasks.map((t) => t.name.replace('\u200b', '').trim())).toEqual([
      'title_ the end',
      'section a',
      'Gantt chart',
      'a__b',
      '_x',
      'x_y_z',
      '2024-01-01 batch',
      'dateFormat YYYY',
      'click me',
      'topAxisLabel',
    ]);
  });

  it('labels the axis in seconds for a run of a second or more, and in minutes past a minute', () => {
    expect(parseGantt(new Trace([node('a', 0, 90_000)], 90_000).toGantt()).axisFormat).toBe('%M:%S');
    expect(parseGantt(new Trace([node('a', 0, 999)], 999).toGantt()).axisFormat).toBe('%L ms');
  });

  it('charts a real run, fail fast included', async () => {
    const dag = buildDag((tm) => {
      const slow = tm.addNode(async function slow() {
        await sleep(30);
        return 1;
      });
      tm.addNode(async function bad(): Promise<number> {
        await sleep(5);
        throw new Error('no');
      });
      tm.addNode(function later(x: number) {
        return x;
      }, slow);
    });
    const error: unknown = await dag.invoke().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    const chart = parseGantt((error as NodeFailedError).partial.trace.toGantt());
    expect(chart.tasks.map((t) => [t.name.trim(), t.tags])).toEqual([
      ['slow', ['active']],
      ['bad', ['crit']],
    ]);
  });
});

describe('Trace.toTimeline', () => {
  it('draws exactly one row per node, bars scaled to the run', () => {
    const lines = seedTrace().toTimeline(80).split('\n');
    expect(lines).toHaveLength(7); // 6 rows, each ending with a newline
    expect(lines[6]).toBe('');
    const bar = (line: string) => /\|(.*)\|/.exec(line)![1]!;
    const cells = (line: string) => [...bar(line)];
    const first = (line: string) => cells(line).findIndex((c) => c !== ' ');
    const last = (line: string) => cells(line).length - 1 - [...cells(line)].reverse().findIndex((c) => c !== ' ');
    const [fastA, slowB, slowA, fastB, fastC, end] = lines;
    for (const row of lines.slice(0, 6)) expect(cells(row!)).toHaveLength(cells(fastA!).length);
    // fastTaskA and slowTaskA start together; slowTaskB starts where fastTaskA ends and runs to the end.
    expect(first(fastA!)).toBe(0);
    expect(first(slowA!)).toBe(0);
    expect(first(slowB!)).toBeGreaterThanOrEqual(last(fastA!) - 1);
    expect(last(slowB!)).toBe(cells(slowB!).length - 1);
    expect(first(fastC!)).toBeGreaterThanOrEqual(last(slowA!) - 1);
    expect(last(fastB!)).toBeLessThan(last(slowA!));
    expect(first(end!)).toBe(cells(end!).length - 1);
    expect(fastA).toMatch(/^fastTaskA +\|█+ +\| 100\.8 ms$/);
  });

  it('is never wider than `width` and is still readable at 80 columns with long names', () => {
    const trace = new Trace(
      [
        node('aNodeWithAVeryLongNameThatGoesOnAndOn', 0, 50, 'rejected', 3),
        node('ok', 0, 100),
        node('never', undefined, undefined, 'skipped'),
        { ...node('moonUrl', 0, 0), kind: 'immediate' },
      ],
      100,
    );
    for (const width of [30, 40, 80, 120]) {
      const lines = trace.toTimeline(width).trimEnd().split('\n');
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    }
    const lines = trace.toTimeline().split('\n');
    expect(lines[0]).toMatch(/^aNodeWithAVeryLongNameT… \|▓+ +\| 50\.0 ms, rejected, 3 attempts$/);
    expect(lines[1]).toMatch(/^ok +\|█+\| 100\.0 ms$/);
    expect(lines[2]).toMatch(/^never +\| +\| skipped$/);
    expect(lines[3]).toMatch(/^moonUrl +\|◆ +\| immediate$/);
  });

  it('shows a node that the end of the run cut short as stopped', () => {
    const line = new Trace([node('cut', 0, 10, 'skipped')], 10).toTimeline(40).split('\n')[0]!;
    expect(line).toMatch(/^cut +\|░+\| 10\.0 ms, stopped$/);
  });

  it('defaults to 80 columns', () => {
    const widths = seedTrace()
      .toTimeline()
      .trimEnd()
      .split('\n')
      .map((line) => [...line].length);
    expect(Math.max(...widths)).toBe(80);
  });

  it.each([[29], [0], [-80], [80.5], [NaN], [Infinity], ['80'], [null]])(
    'rejects width %p with a TypeError that says what it got',
    (width) => {
      expect(() => seedTrace().toTimeline(width as number)).toThrow(TypeError);
      expect(() => seedTrace().toTimeline(width as number)).toThrow(
        /^Expected `width` to be an integer from 30 and up, got `.*` \((number|string|null)\)$/,
      );
    },
  );

  it('says `got `0` (number)` like p-queue does', () => {
    expect(() => seedTrace().toTimeline(0)).toThrow(
      'Expected `width` to be an integer from 30 and up, got `0` (number)',
    );
  });

  it('draws an empty graph as an empty string', () => {
    expect(new Trace([], 0).toTimeline(40)).toBe('');
  });
});

describe('large traces', () => {
  it('draws a timeline of 150 000 nodes without running out of stack', () => {
    const entries = Array.from({ length: 150_000 }, (_, i) => node(`n${i}`, i / 1000, i / 1000 + 1));
    const lines = new Trace(entries, 151).toTimeline(40).split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[149_999]).toMatch(/^n149999 \|.*█\| 1\.0 ms$/);
  });
});

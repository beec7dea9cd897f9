import { main as diagramClass } from '../../examples/diagram-class';
import { main as diagramSeed } from '../../examples/diagram-seed';
import { main as observerLogging } from '../../examples/observer-logging';
import { main as observerMetrics } from '../../examples/observer-metrics';
import { parseGantt } from './mermaid-syntax';

describe('examples/diagram-seed', () => {
  it("logs the seed's diagram, and a gantt chart and a timeline of a run that started each task as soon as it could", async () => {
    const logged: string[] = [];
    const { mermaid, gantt, timeline } = await diagramSeed((text) => logged.push(text), 0.1);
    expect(logged).toEqual([mermaid, gantt, timeline]);
    expect(mermaid).toBe(
      'graph TD\n    fastTaskA --> slowTaskB\n    slowTaskA --> fastTaskC\n    fastTaskB --> fastTaskC\n    fastTaskC --> endTask\n    slowTaskB --> endTask\n',
    );
    const tasks = new Map(parseGantt(gantt).tasks.map((t) => [t.name.trim(), t]));
    expect([...tasks.keys()]).toEqual(['fastTaskA', 'slowTaskB', 'slowTaskA', 'fastTaskB', 'fastTaskC', 'endTask']);
    for (const t of tasks.values()) expect(t.tags).toEqual(['done']);
    // slowTaskB starts when fastTaskA ends, long before slowTaskA is done (the whole point of the seed).
    expect(tasks.get('slowTaskB')!.start).toBeLessThan(tasks.get('slowTaskA')!.end);
    expect(tasks.get('fastTaskC')!.start).toBeGreaterThanOrEqual(tasks.get('slowTaskA')!.end - 1);
    expect(tasks.get('endTask')!.start).toBeGreaterThanOrEqual(tasks.get('slowTaskB')!.end - 1);
    const rows = timeline.trimEnd().split('\n');
    expect(rows.map((row) => row.split(' ')[0])).toEqual([
      'fastTaskA',
      'slowTaskB',
      'slowTaskA',
      'fastTaskB',
      'fastTaskC',
      'endTask',
    ]);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(80);
  });
});

describe('examples/diagram-class', () => {
  it('draws immediates as stadiums and shows node options under the names', () => {
    const logged: string[] = [];
    const diagram = diagramClass((text) => logged.push(text));
    expect(logged).toEqual([diagram]);
    expect(diagram).toBe(
      [
        'graph TD',
        '    moonUrl(["moonUrl"])',
        '    sunUrl(["sunUrl"])',
        '    moonEvent["moonEvent<br/>timeout 2000 ms, retry 2"]',
        '    sunEvent["sunEvent<br/>timeout 2000 ms, retry 2"]',
        '    publish["publish<br/>priority 1"]',
        '    moonUrl --> moonEvent',
        '    sunUrl --> sunEvent',
        '    moonEvent --> moonInsert',
        '    sunEvent --> sunInsert',
        '    moonInsert --> publish',
        '    sunInsert --> publish',
        '',
      ].join('\n'),
    );
  });
});

describe('examples/observer-logging', () => {
  it('logs one line per event, retries included, in the order they happen', async () => {
    const logged: string[] = [];
    const lines = await observerLogging((line) => logged.push(line));
    expect(logged.at(-1)).toBe('charges: 2');
    expect(lines.map((line) => line.replace(/ duration=\d+/, ''))).toEqual([
      'run.start run=r1 graph=buildDag nodes=3',
      'node.start run=r1 node=cart attempt=1',
      'node.end run=r1 node=cart status=fulfilled attempts=1',
      'node.start run=r1 node=pay attempt=1',
      'node.retry run=r1 node=pay attempt=1 delay=5 error="Error: gateway timeout"',
      'node.start run=r1 node=pay attempt=2',
      'node.end run=r1 node=pay status=fulfilled attempts=2',
      'node.start run=r1 node=receipt attempt=1',
      'node.end run=r1 node=receipt status=fulfilled attempts=1',
      'run.end run=r1 status=fulfilled',
    ]);
    const cart = /duration=(\d+)/.exec(lines[2]!);
    expect(Number(cart![1])).toBeGreaterThanOrEqual(5);
  });
});

describe('examples/observer-metrics', () => {
  it('counts node outcomes, retries and run outcomes over five runs', async () => {
    const logged: string[] = [];
    await observerMetrics((line) => logged.push(line));
    expect(logged).toEqual([
      'dag_node_duration_ms{node="render",status="fulfilled"} count=3',
      'dag_node_duration_ms{node="render",status="rejected"} count=2',
      'dag_node_duration_ms{node="rows",status="fulfilled"} count=5',
      'dag_node_retries_total{node="rows"} 2',
      'dag_runs_total{status="fulfilled"} 3',
      'dag_runs_total{status="rejected"} 2',
    ]);
  });
});

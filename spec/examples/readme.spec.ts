import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphOf } from 'async-dag';
import { main as whyDag, optimalDuration, stagedDuration } from '../../examples/builder-vs-promise-all';
import { dag as whyDagGraph, main as whyDagShown } from '../../examples/why-dag';
import { DatabaseClient, HttpClient, main as eventFlow } from '../../examples/getting-started-event-flow';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('examples/builder-vs-promise-all', () => {
  it('computes 1.5 s for stages of Promise.all and 1.1 s for the DAG, from the seed delays', () => {
    expect(stagedDuration()).toBe(1500);
    expect(optimalDuration()).toBe(1100);
  });

  it('measures the DAG faster than the stages, each no sooner than its computed duration', async () => {
    const lines: string[] = [];
    const scale = 0.2;
    const run = await whyDag((line) => lines.push(line), scale);
    expect(run.results).toEqual([4, 4]);
    expect(run.staged).toBeCloseTo(300);
    expect(run.optimal).toBeCloseTo(220);
    // Timers never fire early (allow a few ms of clock rounding); under load they may fire late.
    expect(run.measuredStaged).toBeGreaterThanOrEqual(run.staged - 5);
    expect(run.measuredDag).toBeGreaterThanOrEqual(run.optimal - 5);
    expect(run.measuredDag).toBeLessThan(run.measuredStaged);
    expect(lines[1]).toMatch(/^staged Promise\.all: expected 300 ms, measured \d+ ms$/);
    expect(lines[2]).toMatch(/^async-dag: +expected 220 ms, measured \d+ ms$/);
  });

  it('draws the graph the README shows, and the README states the computed numbers', async () => {
    const { mermaid } = await whyDag(() => undefined, 0);
    const blocks = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks).toContain(mermaid.trim());
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    expect(readme).toContain(`| ${seconds(stagedDuration())} |`);
    expect(readme).toContain(`| ${seconds(optimalDuration())} |`);
  });
});

describe('examples/why-dag', () => {
  it('runs the seed graph in stages (about 1.5 s) and as a DAG (about 1.1 s), to the same result', async () => {
    const lines: string[] = [];
    await expect(whyDagShown((line) => lines.push(line))).resolves.toEqual([4, 4]);
    const [stages, dag] = lines.map((line) => Number(/(\d+) ms$/.exec(line)![1]));
    expect(lines[0]).toMatch(/^stages of Promise\.all: \d+ ms$/);
    expect(lines[1]).toMatch(/^async-dag: \d+ ms$/);
    // Timers never fire early (allow a few ms of rounding); under load they may fire late.
    expect(stages).toBeGreaterThanOrEqual(1495);
    expect(dag).toBeGreaterThanOrEqual(1095);
  }, 20_000);

  it('is the graph the README draws', () => {
    const blocks = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks).toContain(graphOf(whyDagGraph).toMermaid().trim());
  });
});

describe('examples/getting-started-event-flow', () => {
  it('inserts only the allowed event on each of two invocations of one flow', async () => {
    const lines: string[] = [];
    const http = new HttpClient();
    const db = new DatabaseClient();
    await expect(eventFlow((line) => lines.push(line), http, db)).resolves.toEqual([
      [true, false],
      [false, true],
    ]);
    expect(lines).toEqual(['moon: true, sun: false', 'moonInsert: true', 'moon: false, sun: true']);
    expect(db.inserted).toEqual(['moon', 'sun']);
    expect(http.published).toEqual([
      [true, false],
      [false, true],
    ]);
  });
});

describe('README.md', () => {
  it('keeps the commands a newcomer runs first', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toContain('npm run bench');
    expect(readme).toContain('npm run stress');
    expect(readme).toContain('npm install async-dag');
  });
});

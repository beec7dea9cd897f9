import { resolve } from 'node:path';
import { graphOf } from 'async-dag';
import { ReportFlow } from '../../examples/workers-flow';
import { main as cancel } from '../../examples/workers-cancel';
import { main as idempotent } from '../../examples/workers-idempotent';
import { main } from '../../examples/workers-invoke';
import { main as started } from '../../examples/workers-start';
import { startRedis, type RedisHarness } from '../helpers/redis-server';

jest.setTimeout(30_000);

describe('examples/workers-invoke and examples/workers-worker', () => {
  let redis: RedisHarness;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('runs the queued nodes in the worker process and the others here, with the same result as in-process', async () => {
    const worker = await redis.spawnWorker(resolve(__dirname, '../../examples/workers-worker.ts'), {});
    const lines: string[] = [];
    const { result, local } = await main(redis.port, (line) => lines.push(line));
    expect(lines[0]).toBe('published 27 bytes, 2 bars');
    expect(lines.at(-1)).toBe('published 27 bytes, 2 bars');
    expect(lines.filter((l) => l.includes('in its queue')).map((l) => l.split(' ')[0])).toEqual(['pdf', 'chart']);
    const pdf = result.get('pdf');
    expect(pdf.renderedBy).toBe(worker.pid);
    expect(pdf.runId).toBe('report-2026-12');
    expect(pdf.bytes).toBeInstanceOf(Uint8Array);
    expect(result.get('chart')).toEqual(
      new Map([
        ['north', 70],
        ['south', 42],
      ]),
    );
    expect(local.get('pdf').renderedBy).toBe(process.pid);
    expect(local.get('chart')).toEqual(result.get('chart'));
  });

  it('starts a run that a process serving runs orchestrates, and reads what it published from another executor', async () => {
    const lines: string[] = [];
    await started(redis.port, (line) => lines.push(line));
    expect(lines).toEqual(['started monthly-report-2026-12', 'published 27 bytes, 2 bars', 'no such report']);
  });

  it('cancels a run by its runId from another executor: the invoking one rejects with DagAbortedError', async () => {
    const lines: string[] = [];
    await cancel(redis.port, (line) => lines.push(line));
    expect(lines).toEqual(['The run was aborted: run "invoice-2026-12-acme" was cancelled: cancelled by an operator']);
  });
});

describe('examples/workers-flow', () => {
  it('places pdf and chart on queue render, and draws it', () => {
    const nodes = graphOf(ReportFlow).nodes;
    expect(nodes.map((n) => [n.name, n.options?.queue])).toEqual([
      ['rows', undefined],
      ['pdf', 'render'],
      ['chart', 'render'],
      ['publish', undefined],
    ]);
    expect(graphOf(ReportFlow).toMermaid()).toContain('pdf["pdf<br/>timeout 10000 ms, retry 1, queue render"]');
  });
});

describe('examples/workers-idempotent', () => {
  it('charges once for a body that runs twice in one run, through a key derived from ctx.runId', async () => {
    const lines: string[] = [];
    const payments = await idempotent(lines.push.bind(lines));
    expect(lines).toEqual(['acme: 4200 cents, ch_1', 'acme: 4200 cents, ch_1', '1 charge']);
    expect([...payments.charges.keys()]).toEqual(['invoice-2026-12-acme/charge']);
  });
});

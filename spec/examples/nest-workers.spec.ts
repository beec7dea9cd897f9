// The Nest recipe of docs/workers.md: a web app that invokes and a worker app (a child process)
// that renders, the same flow provider class in both, on a redis-server of the test's own.
import { resolve } from 'node:path';
import { graphOf } from 'async-dag';
import { DagWorkerHost } from '../../lib/nest/dag-worker-host';
import { ReportController } from '../../examples/nest-workers/report.controller';
import { ReportFlow } from '../../examples/nest-workers/report.flow';
import { SalesService } from '../../examples/nest-workers/sales.service';
import { main } from '../../examples/nest-workers/web-main';
import { WebModule } from '../../examples/nest-workers/web.module';
import { startWorkerApp } from '../../examples/nest-workers/worker-main';
import { WorkerModule } from '../../examples/nest-workers/worker.module';
import { DagModule } from 'async-dag/nest';
import { startRedis, type RedisHarness } from '../helpers/redis-server';

jest.setTimeout(40_000);

describe('examples/nest-workers', () => {
  let redis: RedisHarness;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('serves a report over HTTP, its pdf node rendered by the worker app in another process', async () => {
    const worker = await redis.spawnWorker(resolve(__dirname, '../../examples/nest-workers/worker-main.ts'), {});
    const lines: string[] = [];
    const body = (await main(redis.port, (line) => lines.push(line))) as Record<string, unknown>;
    expect(lines).toEqual(['GET /reports/2026-12 -> 200 Sales 2026-12: 112']);
    expect(body.renderedBy).toBe(worker.pid);
    expect(body.publishedBy).toBe(process.pid);
    expect(graphOf(ReportFlow).nodes.map((n) => n.options?.queue)).toEqual([undefined, 'render', undefined]);
  });

  it('has the service and the controller docs/workers.md shows: rows per region, one invoke per request', async () => {
    await expect(new SalesService().rows('2026-12')).resolves.toEqual([
      { region: 'north', sales: 70 },
      { region: 'south', sales: 42 },
    ]);
    const invoked: unknown[] = [];
    const flow = {
      invoke: async (params: unknown) => {
        invoked.push(params);
        return { get: (name: string) => `${name} of 2026-12` };
      },
    } as unknown as ReportFlow;
    await expect(new ReportController(flow).report('2026-12')).resolves.toBe('publish of 2026-12');
    expect(invoked).toEqual([{ month: '2026-12' }]);
  });

  it('starts the workers with the app, with its own flow providers, and closes them with it', async () => {
    const app = await startWorkerApp(redis.port);

    const host = app.get(DagWorkerHost);
    expect(host.flows()).toEqual([app.get(ReportFlow)]);
    await app.close();
  });

  it('gives the web app no workers and the worker app no controllers; `workers` must be a function', () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    expect(WorkerModule.forRedis(connection).controllers).toBeUndefined();
    const web = WebModule.forRedis(connection);
    expect(web.controllers).toHaveLength(1);
    void (
      web.providers!.find((p) => typeof p === 'object' && 'useValue' in p) as { useValue: { close(): Promise<void> } }
    ).useValue.close();
    expect(() => DagModule.forRoot({ workers: 3 as never })).toThrow(
      'Expected `workers` to be a function (flows) => workers, got `3` (number)',
    );
  });
});

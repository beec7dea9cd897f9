// An observer that turns runs into metrics: node durations, retries, failures, run outcomes.
// #region docs
import { buildDag, type DagObserver, type NodeContext, type NodeStatus } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a graph five times, every third run failing, and logs the metrics an observer gathered. */
export async function main(log: (line: string) => void = console.log): Promise<Metrics> {
  // A stand-in for your metrics client (prom-client, StatsD, OpenTelemetry metrics...).
  const metrics = new Metrics();

  // One observer object can serve every run: it keeps no per-run state.
  const metricsObserver: DagObserver = {
    onNodeEnd: ({ name, status, duration }) =>
      metrics.observe('dag_node_duration_ms', duration, { node: name, status }),
    onNodeRetry: ({ name }) => metrics.increment('dag_node_retries_total', { node: name }),
    onRunEnd: ({ status }) => metrics.increment('dag_runs_total', { status }),
  };

  let run = 0;
  const report = buildDag((tm) => {
    const rows = tm.with({ name: 'rows', retry: 1 }).addNode(async (_params: void, ctx: NodeContext) => {
      await sleep(5);
      if (run % 2 === 1 && ctx.attempt === 1) throw new Error('replica lagging'); // odd runs retry once
      return [1, 2, 3];
    });
    tm.with({ name: 'render' }).addNode(async (data: number[]) => {
      if (run % 3 === 0) throw new Error('template missing'); // runs 0 and 3 fail
      return data.join(',');
    }, rows);
  });

  for (run = 0; run < 5; run++) {
    await report.invoke(undefined, { observer: metricsObserver }).catch(() => undefined);
  }
  for (const line of metrics.lines()) log(line);
  // dag_node_duration_ms{node="render",status="fulfilled"} count=3
  // dag_node_duration_ms{node="render",status="rejected"} count=2
  // dag_node_duration_ms{node="rows",status="fulfilled"} count=5
  // dag_node_retries_total{node="rows"} 2
  // dag_runs_total{status="fulfilled"} 3
  // dag_runs_total{status="rejected"} 2
  return metrics;
}

/** Counters and histograms (as sample lists) keyed by name and labels, printed Prometheus-style. */
export class Metrics {
  readonly counters = new Map<string, number>();
  readonly samples = new Map<string, number[]>();

  increment(name: string, labels: Record<string, string>): void {
    const key = Metrics.key(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  observe(name: string, value: number, labels: Record<string, string | NodeStatus>): void {
    const key = Metrics.key(name, labels);
    this.samples.set(key, [...(this.samples.get(key) ?? []), value]);
  }

  lines(): string[] {
    return [
      ...[...this.samples].map(([key, values]) => `${key} count=${values.length}`),
      ...[...this.counters].map(([key, count]) => `${key} ${count}`),
    ].sort();
  }

  static key(name: string, labels: Record<string, string>): string {
    const text = Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, value]) => `${label}="${value}"`)
      .join(',');
    return `${name}{${text}}`;
  }
}
// #endregion docs

if (require.main === module) void main();

// A flow with two nodes on worker machines: the same class is deployed on both sides.
import { Dag, node, type NodeContext } from 'async-dag';

export interface ReportParams {
  readonly month: string;
}

export interface Row {
  readonly region: string;
  readonly sales: number;
}

/** A stand-in for your data access; each process that runs the flow has its own. */
export class SalesRepository {
  async rows(month: string): Promise<Row[]> {
    return [
      { region: 'north', sales: month.length * 10 },
      { region: 'south', sales: 42 },
    ];
  }
}

export class ReportFlow extends Dag<ReportParams> {
  constructor(private readonly sales: SalesRepository) {
    super();
  }

  // Runs where invoke runs.
  @node() async rows(p: ReportParams) {
    return this.sales.rows(p.month);
  }

  // Run by the workers of queue 'render'; the timeout counts on the worker, from the start of each attempt.
  @node('rows', { queue: 'render', timeout: 10_000, retry: 1 })
  async pdf(rows: Row[], p: ReportParams, ctx: NodeContext) {
    const text = `${p.month}: ${rows.map((r) => `${r.region}=${r.sales}`).join(', ')}`;
    return { bytes: new TextEncoder().encode(text), renderedBy: process.pid, runId: ctx.runId };
  }

  @node('rows', { queue: 'render' }) async chart(rows: Row[]) {
    return new Map(rows.map((r) => [r.region, r.sales]));
  }

  // Back where invoke runs, as soon as both remote nodes resolved.
  @node('pdf', 'chart') publish(pdf: { bytes: Uint8Array }, chart: Map<string, number>) {
    return `published ${pdf.bytes.byteLength} bytes, ${chart.size} bars`;
  }
}

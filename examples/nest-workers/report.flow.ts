// One flow class for both apps: the web app invokes it, the worker app renders its `pdf` node.
import { Inject, Injectable } from '@nestjs/common';
import { Dag, node, type NodeContext } from 'async-dag';
import { SalesService } from './sales.service';

export interface ReportParams {
  readonly month: string;
}

@Injectable()
export class ReportFlow extends Dag<ReportParams> {
  // `@Inject` names the token, so the worker app also runs where decorator metadata is not emitted (tsx).
  constructor(@Inject(SalesService) private readonly sales: SalesService) {
    super();
  }

  @node() rows(p: ReportParams) {
    return this.sales.rows(p.month);
  }

  // Runs on a worker of queue 'render', with the worker app's own SalesService.
  @node('rows', { queue: 'render' }) async pdf(rows: { sales: number }[], p: ReportParams, ctx: NodeContext) {
    const total = rows.reduce((sum, r) => sum + r.sales, 0);
    return { title: `Sales ${p.month}: ${total}`, renderedBy: this.sales.whereAmI(), runId: ctx.runId };
  }

  @node('pdf') publish(pdf: { title: string; renderedBy: number }) {
    return { published: pdf.title, renderedBy: pdf.renderedBy, publishedBy: this.sales.whereAmI() };
  }
}

// OpenTelemetry: each run becomes a span, each node attempt a child span. This example sets up
// the SDK with an in-memory exporter so that it can print the span tree; in an app, register
// your usual tracer provider and exporter (OTLP, Jaeger, ...) instead.
// #region docs
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { Dag, immediate, node, type NodeContext } from 'async-dag';
import { otelObserver } from 'async-dag/otel';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a flow twice at once with one otelObserver, and logs the two span trees it records. */
export async function main(log: (line: string) => void = console.log): Promise<ReadableSpan[]> {
  // Setup, once per process: a tracer provider with an exporter.
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);

  class Checkout extends Dag<{ cartId: string }> {
    @immediate currency() {
      return 'EUR';
    }
    @node() async cart(p: { cartId: string }) {
      await sleep(10);
      return { id: p.cartId, total: 30 };
    }
    @node('cart', 'currency', { retry: 1 }) async pay(
      cart: { total: number },
      currency: string,
      _p: unknown,
      ctx: NodeContext,
    ) {
      if (ctx.attempt === 1) throw new Error('gateway timeout');
      return `${cart.total} ${currency}`;
    }
    @node('pay') receipt(paid: string) {
      return `paid ${paid}`;
    }
  }

  // One otelObserver for every run (here, or in DagModule.forRoot({ defaults: { observer } })):
  // each event carries its run, so concurrent runs get a span tree each. It uses the global
  // tracer unless given `tracer`; the run span carries the run's id (`runId` when given).
  const observer = otelObserver({ attributes: { 'app.service': 'checkout' } });
  const flow = new Checkout();
  await Promise.all([
    flow.invoke({ cartId: 'c-1' }, { observer, runId: 'checkout-c-1' }),
    flow.invoke({ cartId: 'c-2' }, { observer, runId: 'checkout-c-2' }),
  ]);

  const spans = exporter.getFinishedSpans();
  for (const line of spanTree(spans)) log(line);
  trace.disable();
  await provider.shutdown();
  return spans;
}

/** The spans as an indented tree, children in the order they started. */
function spanTree(spans: readonly ReadableSpan[]): string[] {
  const ms = (span: ReadableSpan) => span.startTime[0] * 1e3 + span.startTime[1] / 1e6;
  const byStart = [...spans].sort((a, b) => ms(a) - ms(b) || a.name.localeCompare(b.name));
  const lines: string[] = [];
  const visit = (parentId: string | undefined, depth: number) => {
    for (const span of byStart.filter((s) => s.parentSpanContext?.spanId === parentId)) {
      const attempt = span.attributes['async_dag.node.attempt'];
      const status = span.status.code === SpanStatusCode.ERROR ? ` ERROR: ${span.status.message}` : '';
      const events = span.events
        .filter((e) => e.name !== 'exception')
        .map((e) => ` +${e.name}`)
        .join('');
      lines.push(
        `${'  '.repeat(depth)}${span.name}${attempt === undefined ? '' : ` #${String(attempt)}`}${status}${events}`,
      );
      visit(span.spanContext().spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return lines;
}
// #endregion docs

if (require.main === module) void main();

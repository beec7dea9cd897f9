import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Dag, node } from 'async-dag';
import { DagModule } from 'async-dag/nest';
import { OtelAttributes, otelObserver } from 'async-dag/otel';
import { StackContextManager } from '../otel/stack-context-manager';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

@Injectable()
class QuoteFlow extends Dag<{ item: number }> {
  @node() async price(p: { item: number }) {
    await sleep(5 + (p.item % 7));
    return 10 * p.item;
  }
  @node() async stock(p: { item: number }) {
    await sleep(3 + (p.item % 5));
    return p.item % 2 === 0;
  }
  @node('price', 'stock') quote(price: number, inStock: boolean) {
    return inStock ? price : -1;
  }
}

describe('one otelObserver() in DagModule.forRoot', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => context.setGlobalContextManager(new StackContextManager()));
  afterAll(async () => {
    context.disable();
    await provider.shutdown();
  });

  it('traces 50 concurrent requests as 50 separate span trees', async () => {
    const tracer = provider.getTracer('spec');
    const moduleRef = await Test.createTestingModule({
      imports: [DagModule.forRoot({ defaults: { observer: otelObserver({ tracer }) } })],
      providers: [QuoteFlow],
    }).compile();
    await moduleRef.init();
    try {
      const flow = moduleRef.get(QuoteFlow);
      const requests = Array.from({ length: 50 }, (_, item) => tracer.startSpan(`GET /quote/${item}`));
      const quotes = await Promise.all(
        requests.map((request, item) =>
          context.with(trace.setSpan(context.active(), request), () => flow.invoke({ item })),
        ),
      );
      for (const request of requests) request.end();
      expect(quotes.map((q) => q.get('quote'))).toEqual(
        Array.from({ length: 50 }, (_, item) => (item % 2 === 0 ? 10 * item : -1)),
      );

      const spans = exporter.getFinishedSpans();
      const runs = spans.filter((s) => s.name === 'async-dag QuoteFlow');
      expect(runs).toHaveLength(50);
      expect(new Set(runs.map((r) => r.attributes[OtelAttributes.RUN_ID])).size).toBe(50);
      for (const request of requests) {
        const mine = runs.filter((r) => r.parentSpanContext?.spanId === request.spanContext().spanId);
        expect(mine).toHaveLength(1);
        const nodes = spans.filter((s) => s.parentSpanContext?.spanId === mine[0]!.spanContext().spanId);
        expect(nodes.map((s) => s.name).sort()).toEqual(['price', 'quote', 'stock']);
        expect(nodes.every((s) => s.spanContext().traceId === request.spanContext().traceId)).toBe(true);
      }
    } finally {
      await moduleRef.close();
    }
  });
});

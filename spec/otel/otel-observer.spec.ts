import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  buildDag,
  Dag,
  DagAbortedError,
  immediate,
  node,
  NodeFailedError,
  type DagObserver,
  type NodeContext,
} from 'async-dag';
import { otelObserver, OtelAttributes, RETRY_EVENT } from 'async-dag/otel';
import { StackContextManager } from './stack-context-manager';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('spec');

beforeAll(() => context.setGlobalContextManager(new StackContextManager()));
afterEach(() => exporter.reset());
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const byName = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Checkout extends Dag<{ failPayment: number }> {
  @immediate cartId() {
    return 'cart-1';
  }

  @node('cartId')
  async cart(id: string) {
    await sleep(2);
    return { id, total: 30 };
  }

  @node('cart', { retry: 2 })
  async pay(cart: { total: number }, params: { failPayment: number }, ctx: NodeContext) {
    if (ctx.attempt <= params.failPayment) throw new Error(`card declined (attempt ${ctx.attempt})`);
    return cart.total;
  }

  @node('pay')
  receipt(amount: number) {
    return `paid ${amount}`;
  }
}

describe('otelObserver', () => {
  it('opens one span for the run and, under it, one span per node attempt', async () => {
    const result = await new Checkout().invoke({ failPayment: 0 }, { observer: otelObserver({ tracer }) });
    expect(result.get('receipt')).toBe('paid 30');
    const [run] = byName('async-dag Checkout');
    expect(run).toBeDefined();
    expect(parentOf(run!)).toBeUndefined();
    expect(
      spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['async-dag Checkout', 'cart', 'cartId', 'pay', 'receipt']);
    for (const span of spans()) {
      if (span !== run) {
        expect(parentOf(span)).toBe(run!.spanContext().spanId);
        expect(span.spanContext().traceId).toBe(run!.spanContext().traceId);
      }
    }
    expect(run!.attributes).toMatchObject({
      [OtelAttributes.GRAPH]: 'Checkout',
      [OtelAttributes.NODE_COUNT]: 4,
      [OtelAttributes.RUN_STATUS]: 'fulfilled',
    });
    expect(run!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('names each attempt span after its node, with the node name, kind, attempt and status as attributes', async () => {
    await new Checkout().invoke({ failPayment: 0 }, { observer: otelObserver({ tracer }) });
    expect(byName('cartId')[0]!.attributes).toEqual({
      [OtelAttributes.NODE_NAME]: 'cartId',
      [OtelAttributes.NODE_KIND]: 'immediate',
      [OtelAttributes.ATTEMPT]: 1,
      [OtelAttributes.NODE_STATUS]: 'fulfilled',
      [OtelAttributes.ATTEMPTS]: 1,
    });
    expect(byName('cart')[0]!.attributes).toMatchObject({
      [OtelAttributes.NODE_KIND]: 'node',
      [OtelAttributes.NODE_STATUS]: 'fulfilled',
    });
  });

  it('times each span by the node: a dependent starts after its dependency ended', async () => {
    await new Checkout().invoke({ failPayment: 0 }, { observer: otelObserver({ tracer }) });
    // The SDK anchors each span's clock on its own, so spans may disagree by a fraction of a ms.
    const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    const slack = 2;
    const cart = byName('cart')[0]!;
    const pay = byName('pay')[0]!;
    const run = byName('async-dag Checkout')[0]!;
    expect(ms(cart.endTime)).toBeLessThanOrEqual(ms(pay.startTime) + slack);
    expect(ms(cart.endTime) - ms(cart.startTime)).toBeGreaterThanOrEqual(1);
    expect(ms(run.startTime)).toBeLessThanOrEqual(ms(cart.startTime) + slack);
    expect(ms(run.endTime) + slack).toBeGreaterThanOrEqual(ms(byName('receipt')[0]!.endTime));
  });

  it('records a failed attempt that is retried as an error span with a retry event, then a span for the next attempt', async () => {
    await new Checkout().invoke({ failPayment: 2 }, { observer: otelObserver({ tracer }) });
    const pays = byName('pay').sort(
      (a, b) => Number(a.attributes[OtelAttributes.ATTEMPT]) - Number(b.attributes[OtelAttributes.ATTEMPT]),
    );
    expect(
      pays.map((s) => [s.attributes[OtelAttributes.ATTEMPT], s.attributes[OtelAttributes.NODE_STATUS], s.status.code]),
    ).toEqual([
      [1, 'rejected', SpanStatusCode.ERROR],
      [2, 'rejected', SpanStatusCode.ERROR],
      [3, 'fulfilled', SpanStatusCode.UNSET],
    ]);
    expect(pays[0]!.status.message).toBe('card declined (attempt 1)');
    expect(pays[0]!.events.map((e) => e.name)).toEqual(['exception', RETRY_EVENT]);
    expect(pays[0]!.events.find((e) => e.name === 'exception')!.attributes).toMatchObject({
      'exception.message': 'card declined (attempt 1)',
    });
    expect(pays[0]!.events.find((e) => e.name === RETRY_EVENT)!.attributes).toEqual({
      [OtelAttributes.ATTEMPT]: 1,
      [OtelAttributes.RETRY_DELAY]: 0,
    });
    expect(pays[2]!.events).toEqual([]);
    expect(pays[2]!.attributes[OtelAttributes.ATTEMPTS]).toBe(3);
  });

  it('records a node that fails for good, and the run it fails, as errors with the exception', async () => {
    const error: unknown = await new Checkout()
      .invoke({ failPayment: 5 }, { observer: otelObserver({ tracer }) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    const last = byName('pay').find((s) => s.attributes[OtelAttributes.ATTEMPT] === 3)!;
    expect(last.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined (attempt 3)' });
    expect(last.events.map((e) => e.name)).toEqual(['exception']);
    const run = byName('async-dag Checkout')[0]!;
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    expect(run.status.message).toBe((error as Error).message);
    expect(run.attributes[OtelAttributes.RUN_STATUS]).toBe('rejected');
    // The SDK types an exception by its `code` when it has one.
    expect(run.events[0]!.attributes).toMatchObject({ 'exception.type': 'NODE_FAILED' });
    expect(byName('receipt')).toEqual([]);
  });

  it('ends the spans of nodes in flight when the run is cancelled, as skipped', async () => {
    const controller = new AbortController();
    const dag = buildDag((tm) => {
      tm.with({ name: 'hang' }).addNode(
        (_p: void, ctx: NodeContext) =>
          new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      );
    });
    const running = dag.invoke(undefined, { observer: otelObserver({ tracer }), signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(DagAbortedError);
    const [hang] = byName('hang');
    expect(hang!.attributes[OtelAttributes.NODE_STATUS]).toBe('skipped');
    expect(hang!.status.code).toBe(SpanStatusCode.UNSET);
    const [run] = byName('async-dag');
    expect(run!.attributes[OtelAttributes.RUN_STATUS]).toBe('rejected');
    expect(run!.events[0]!.attributes).toMatchObject({ 'exception.type': 'ABORTED' });
  });

  it('makes the run span a child of the span active when invoke is called', async () => {
    const request = tracer.startSpan('GET /checkout');
    await context.with(trace.setSpan(context.active(), request), () =>
      new Checkout().invoke({ failPayment: 0 }, { observer: otelObserver({ tracer }) }),
    );
    request.end();
    const run = byName('async-dag Checkout')[0]!;
    expect(parentOf(run)).toBe(request.spanContext().spanId);
    expect(run.spanContext().traceId).toBe(request.spanContext().traceId);
  });

  it('takes a name, extra attributes and an explicit parent context', async () => {
    const parent = tracer.startSpan('job');
    const dag = buildDag((tm) => {
      tm.addNode(function only() {
        return 1;
      });
    });
    await dag.invoke(undefined, {
      observer: otelObserver({
        tracer,
        name: 'nightly report',
        attributes: { 'app.tenant': 'acme' },
        parent: trace.setSpan(context.active(), parent),
      }),
    });
    parent.end();
    const [run] = byName('nightly report');
    expect(run!.attributes).toMatchObject({ 'app.tenant': 'acme', [OtelAttributes.GRAPH]: 'buildDag' });
    expect(parentOf(run!)).toBe(parent.spanContext().spanId);
  });

  it('keeps concurrent runs apart when each invocation has an observer of its own, too', async () => {
    const flow = new Checkout();
    await Promise.all([
      flow.invoke({ failPayment: 0 }, { observer: otelObserver({ tracer }) }),
      flow.invoke({ failPayment: 1 }, { observer: otelObserver({ tracer }) }),
    ]);
    const runs = byName('async-dag Checkout');
    expect(runs).toHaveLength(2);
    const children = (run: ReadableSpan) =>
      spans()
        .filter((s) => parentOf(s) === run.spanContext().spanId)
        .map((s) => s.name)
        .sort();
    const counts = runs
      .map(children)
      .map((names) => names.length)
      .sort();
    expect(counts).toEqual([4, 5]); // the second run tried `pay` twice
    expect(new Set(runs.map((r) => r.spanContext().traceId)).size).toBe(2);
  });

  it('can follow runs one after another', async () => {
    const observer = otelObserver({ tracer });
    const flow = new Checkout();
    await flow.invoke({ failPayment: 0 }, { observer });
    await flow.invoke({ failPayment: 0 }, { observer });
    expect(byName('async-dag Checkout')).toHaveLength(2);
    expect(spans()).toHaveLength(10);
  });

  it('created once, traces 50 concurrent runs as 50 separate span trees, each under its own request', async () => {
    const observer = otelObserver({ tracer });
    const flow = new Checkout();
    const requests = Array.from({ length: 50 }, (_, i) => tracer.startSpan(`GET /checkout/${i}`));
    // Every third run has its payment declined once: a retry, so one more span in its tree.
    const results = await Promise.all(
      requests.map((request, i) =>
        context.with(trace.setSpan(context.active(), request), () =>
          flow.invoke({ failPayment: i % 3 === 0 ? 1 : 0 }, { observer, runId: `checkout-${i}` }),
        ),
      ),
    );
    for (const request of requests) request.end();
    expect(results.map((r) => r.get('receipt'))).toEqual(Array(50).fill('paid 30'));

    const runs = byName('async-dag Checkout');
    expect(runs).toHaveLength(50);
    requests.forEach((request, i) => {
      // The run span of request i is the child of request i's span, in its trace, with its run id.
      const [run, ...others] = runs.filter((r) => parentOf(r) === request.spanContext().spanId);
      expect(others).toEqual([]);
      expect(run!.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(run!.attributes[OtelAttributes.RUN_ID]).toBe(`checkout-${i}`);
      const children = spans().filter((s) => parentOf(s) === run!.spanContext().spanId);
      expect(children.map((s) => s.name).sort()).toEqual(
        i % 3 === 0 ? ['cart', 'cartId', 'pay', 'pay', 'receipt'] : ['cart', 'cartId', 'pay', 'receipt'],
      );
      expect(children.every((s) => s.spanContext().traceId === request.spanContext().traceId)).toBe(true);
      expect(children.every((s) => s.ended)).toBe(true);
    });
    // Nothing else: 50 request spans, 50 run spans, and their node spans.
    expect(spans()).toHaveLength(50 + 50 + 50 * 4 + 17);
  });

  it('keeps the trees of concurrent runs apart when they fail or are cancelled', async () => {
    const observer = otelObserver({ tracer });
    const flow = new Checkout();
    const controller = new AbortController();
    const runs = [
      flow.invoke({ failPayment: 0 }, { observer }),
      flow.invoke({ failPayment: 5 }, { observer }),
      flow.invoke({ failPayment: 0 }, { observer, signal: controller.signal }),
    ];
    controller.abort();
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const statuses = byName('async-dag Checkout')
      .map((run) => run.attributes[OtelAttributes.RUN_STATUS])
      .sort();
    expect(statuses).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(spans().every((span) => span.ended)).toBe(true);
  });

  it('uses the global tracer provider when no tracer is given', async () => {
    const global = new InMemorySpanExporter();
    const globalProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(global)] });
    expect(trace.setGlobalTracerProvider(globalProvider)).toBe(true);
    try {
      await new Checkout().invoke({ failPayment: 0 }, { observer: otelObserver() });
      const run = global.getFinishedSpans().find((s) => s.name === 'async-dag Checkout')!;
      expect(run.instrumentationScope.name).toBe('async-dag');
      expect(global.getFinishedSpans()).toHaveLength(5);
    } finally {
      trace.disable();
      await globalProvider.shutdown();
    }
  });

  it('rejects bad options with a TypeError that says what it got', () => {
    expect(() => otelObserver({ tracer: {} as never })).toThrow(
      'Expected `tracer` to be an OpenTelemetry Tracer, got `[object Object]` (object)',
    );
    expect(() => otelObserver({ name: '' })).toThrow('Expected `name` to be a non-empty string, got `""` (string)');
    expect(() => otelObserver(42 as never)).toThrow('Expected `options` to be an object, got `42` (number)');
  });

  it('is a plain DagObserver, usable beside others', () => {
    const observer: DagObserver = otelObserver({ tracer });
    expect(typeof observer.onRunStart).toBe('function');
    expect(typeof observer.onNodeRetry).toBe('function');
  });
});

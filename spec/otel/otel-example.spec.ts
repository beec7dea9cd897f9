import { SpanStatusCode } from '@opentelemetry/api';
import { main } from '../../examples/otel-tracing';

describe('examples/otel-tracing', () => {
  it('prints one span tree per concurrent run of one observer: the run, then one span per node attempt', async () => {
    const logged: string[] = [];
    const spans = await main((line) => logged.push(line));
    const roots = logged.flatMap((line, i) => (line === 'async-dag Checkout' ? [i] : []));
    expect(roots).toEqual([0, 6]);
    for (const start of roots) {
      expect(logged.slice(start + 1, start + 6).sort()).toEqual(
        [
          '  cart #1',
          '  currency #1',
          '  pay #1 ERROR: gateway timeout +async_dag.retry',
          '  pay #2',
          '  receipt #1',
        ].sort(),
      );
    }
    expect(spans).toHaveLength(12);
    const runs = spans.filter((s) => s.name === 'async-dag Checkout');
    expect(runs.map((r) => r.attributes['async_dag.run.id']).sort()).toEqual(['checkout-c-1', 'checkout-c-2']);
    expect(runs.map((r) => r.attributes['app.service'])).toEqual(['checkout', 'checkout']);
    expect(runs.every((r) => r.status.code === SpanStatusCode.UNSET)).toBe(true);
  });
});

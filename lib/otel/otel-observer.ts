import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  DagObserver,
  NodeEndEvent,
  NodeRetryEvent,
  NodeStartEvent,
  RunEndEvent,
  RunInfo,
  RunStartEvent,
} from '../run';
import { describe } from '../errors';
import { shown } from '../errors';

/**
 * Options of {@link otelObserver}.
 *
 * @example
 * otelObserver({ tracer: trace.getTracer('billing'), name: 'invoice run', attributes: { 'app.tenant': tenantId } });
 */
export interface OtelObserverOptions {
  /** Where spans go. Default: `trace.getTracer('async-dag')` of the global tracer provider. */
  readonly tracer?: Tracer | undefined;
  /** The name of the run's span. Default: `async-dag <ClassName>`, or `async-dag` for a `buildDag` graph. */
  readonly name?: string | undefined;
  /** Extra attributes for the run's span (a request id, a tenant, ...). */
  readonly attributes?: Attributes | undefined;
  /** The context the run's span is a child of. Default: the active context when `invoke` is called. */
  readonly parent?: Context | undefined;
}

/**
 * Attribute names set on the spans, under the library's own namespace.
 *
 * Run span: `GRAPH` (class name or `buildDag`), `NODE_COUNT`, `RUN_ID` (the run's `run.id`, as
 * `ctx.runId`: the `runId` invoke option when given), and at its end `RUN_STATUS`.
 * Attempt span: `NODE_NAME`, `NODE_KIND`, `ATTEMPT`, and at its end `NODE_STATUS` (the attempt's
 * outcome: `'fulfilled'`, `'rejected'`, or `'skipped'` when the run stopped while it ran) and,
 * on the node's last attempt, `ATTEMPTS`.
 *
 * @example
 * const failedNodes = spans.filter((s) => s.attributes[OtelAttributes.NODE_STATUS] === 'rejected');
 */
export const OtelAttributes = Object.freeze({
  /** Run span: the class name, or `buildDag`. */
  GRAPH: 'async_dag.graph',
  /** Run span: how many nodes the graph has. */
  NODE_COUNT: 'async_dag.node_count',
  /** Run span, at its end: how the run ended. */
  RUN_STATUS: 'async_dag.run.status',
  /** Attempt span: the node's name. */
  NODE_NAME: 'async_dag.node.name',
  /** Attempt span: `'node'` or `'immediate'`. */
  NODE_KIND: 'async_dag.node.kind',
  /** Attempt span: this attempt's number, from 1. */
  ATTEMPT: 'async_dag.node.attempt',
  /** The node's last attempt span: how many attempts it made. */
  ATTEMPTS: 'async_dag.node.attempts',
  /** Attempt span, at its end: the attempt's outcome. */
  NODE_STATUS: 'async_dag.node.status',
  /** Retry event: milliseconds before the next attempt. */
  RETRY_DELAY: 'async_dag.retry.delay_ms',
  /** Run span: the run's id (`run.id`, as `ctx.runId`: the `runId` invoke option when given). */
  RUN_ID: 'async_dag.run.id',
} as const);

/**
 * The name of the event added to an attempt's span when that attempt failed and will be tried
 * again; its attributes are the attempt and `async_dag.retry.delay_ms`.
 *
 * @example
 * const retried = span.events.some((e) => e.name === RETRY_EVENT);
 */
export const RETRY_EVENT = 'async_dag.retry';

/** `error[key]` when it is a non-empty string; never throws (a getter or a revoked Proxy may). */
function stringField(error: unknown, key: 'name' | 'stack' | 'code'): string | undefined {
  if ((typeof error !== 'object' || error === null) && typeof error !== 'function') return undefined;
  try {
    const value = (error as Record<string, unknown>)[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records the error on the span from what can be read of it safely: the SDK would read an
 * error's fields itself, and a hostile one (a throwing getter, a revoked Proxy) would throw there.
 */
function recordError(span: Span, error: unknown): void {
  const message = describe(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  const stack = stringField(error, 'stack');
  // The SDK names the exception by its `code` when it has one (a DagError's), as it would from the error itself.
  const code = stringField(error, 'code');
  span.recordException({
    name: stringField(error, 'name') ?? 'Error',
    message,
    ...(stack === undefined ? {} : { stack }),
    ...(code === undefined ? {} : { code }),
  });
}

/** The spans of one run: its own span and context, and the span of each node's current attempt. */
interface RunSpans {
  readonly span: Span;
  readonly context: Context;
  readonly kinds: ReadonlyMap<string, string>;
  /** A node runs one attempt at a time. */
  readonly attempts: Map<string, Span>;
}

/**
 * Records runs as span trees. Every event carries its run (`event.run`, one object per
 * invocation), so the spans of each run are kept apart, keyed by that object: one observer
 * serves any number of concurrent runs, each with a tree of its own.
 */
class OtelRunObserver implements DagObserver {
  readonly #tracer: Tracer;
  readonly #name: string | undefined;
  readonly #attributes: Attributes | undefined;
  readonly #parent: Context | undefined;
  /** Runs started and not yet ended; an entry goes at `onRunEnd`, which every started run gets. */
  readonly #runs = new Map<RunInfo, RunSpans>();

  constructor(options: OtelObserverOptions) {
    this.#tracer = options.tracer ?? trace.getTracer('async-dag');
    this.#name = options.name;
    this.#attributes = options.attributes;
    this.#parent = options.parent;
  }

  onRunStart({ run, graph }: RunStartEvent): void {
    // onRunStart is called inside invoke(), so the active context is the caller's (its request span).
    const parent = this.#parent ?? otelContext.active();
    const name = this.#name ?? (graph.owner === 'buildDag' ? 'async-dag' : `async-dag ${graph.owner}`);
    const span = this.#tracer.startSpan(
      name,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...this.#attributes,
          [OtelAttributes.GRAPH]: graph.owner,
          [OtelAttributes.NODE_COUNT]: graph.nodes.length,
          [OtelAttributes.RUN_ID]: run.id,
        },
      },
      parent,
    );
    this.#runs.set(run, {
      span,
      context: trace.setSpan(parent, span),
      kinds: new Map(graph.nodes.map((node) => [node.name, node.kind])),
      attempts: new Map(),
    });
  }

  onNodeStart({ run, name, attempt }: NodeStartEvent): void {
    const spans = this.#runs.get(run);
    if (spans === undefined) return;
    spans.attempts.get(name)?.end();
    const span = this.#tracer.startSpan(
      name,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [OtelAttributes.NODE_NAME]: name,
          [OtelAttributes.NODE_KIND]: spans.kinds.get(name) ?? 'node',
          [OtelAttributes.ATTEMPT]: attempt,
        },
      },
      spans.context,
    );
    spans.attempts.set(name, span);
  }

  onNodeRetry({ run, name, attempt, error, delay }: NodeRetryEvent): void {
    const attempts = this.#runs.get(run)?.attempts;
    const span = attempts?.get(name);
    if (attempts === undefined || span === undefined) return;
    attempts.delete(name);
    span.setAttribute(OtelAttributes.NODE_STATUS, 'rejected');
    recordError(span, error);
    span.addEvent(RETRY_EVENT, { [OtelAttributes.ATTEMPT]: attempt, [OtelAttributes.RETRY_DELAY]: delay });
    span.end();
  }

  onNodeEnd({ run, name, status, attempts: count, error }: NodeEndEvent): void {
    const attempts = this.#runs.get(run)?.attempts;
    const span = attempts?.get(name);
    if (attempts === undefined || span === undefined) return;
    attempts.delete(name);
    span.setAttribute(OtelAttributes.NODE_STATUS, status);
    span.setAttribute(OtelAttributes.ATTEMPTS, count);
    if (status === 'rejected') recordError(span, error);
    span.end();
  }

  onRunEnd({ run, status, error }: RunEndEvent): void {
    const spans = this.#runs.get(run);
    if (spans === undefined) return;
    this.#runs.delete(run);
    // Every node that started has ended by now; this only closes what a misbehaving run left open.
    for (const span of spans.attempts.values()) span.end();
    spans.span.setAttribute(OtelAttributes.RUN_STATUS, status);
    if (status === 'rejected') recordError(spans.span, error);
    spans.span.end();
  }
}

/**
 * A `DagObserver` that records a run as OpenTelemetry spans: one span for the run (a child of
 * the context active when `invoke` is called, so it nests under an HTTP request's span), and
 * under it one span per node attempt, named after the node. A failed attempt's span has status
 * `ERROR` and the exception; if it will be retried it also carries an `async_dag.retry` event
 * with the delay. A rejected run's span records the `NodeFailedError` or `DagAbortedError`.
 *
 * Create it once and give it to every run (in `DagModule.forRoot({ defaults: { observer } })`,
 * or to each `invoke`): every event carries its run, so each run gets a span tree of its own,
 * whatever the concurrency: 50 concurrent requests make 50 run spans, each under its own
 * request's span, each with its own node spans.
 *
 * Uses only `@opentelemetry/api` (an optional peer dependency of `async-dag`); configure an SDK
 * (a tracer provider and an exporter) as usual, or pass a `tracer`.
 *
 * @example
 * import { trace } from '@opentelemetry/api';
 * import { otelObserver } from 'async-dag/otel';
 *
 * const observer = otelObserver({ tracer: trace.getTracer('checkout') }); // once, for every run
 * const result = await flow.invoke(params, { observer });
 */
export function otelObserver(options: OtelObserverOptions = {}): DagObserver {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${shown(options)}`);
  }
  const { tracer, name } = options;
  if (tracer !== undefined && typeof (tracer as { startSpan?: unknown }).startSpan !== 'function') {
    throw new TypeError(`Expected \`tracer\` to be an OpenTelemetry Tracer, got ${shown(tracer)}`);
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new TypeError(`Expected \`name\` to be a non-empty string, got ${shown(name)}`);
  }
  return new OtelRunObserver(options);
}

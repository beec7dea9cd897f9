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
import type { DagObserver, NodeEndEvent, NodeRetryEvent, NodeStartEvent, RunEndEvent, RunStartEvent } from '../run';
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
 * Run span: `GRAPH` (class name or `buildDag`), `NODE_COUNT`, and at its end `RUN_STATUS`.
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

/**
 * The spans of one run. Hooks carry no run id, so an observer can follow one run at a time:
 * a second `onRunStart` before `onRunEnd` means the observer was given to two concurrent
 * invocations, whose events can no longer be told apart.
 */
class OtelRunObserver implements DagObserver {
  readonly #tracer: Tracer;
  readonly #name: string | undefined;
  readonly #attributes: Attributes | undefined;
  readonly #parent: Context | undefined;
  #run: Span | undefined;
  #runContext: Context | undefined;
  #kinds = new Map<string, string>();
  /** The span of each node's current attempt; a node runs one attempt at a time. */
  readonly #attempts = new Map<string, Span>();
  /** Runs started and not yet ended; above 1, spans would mix, so nothing more is recorded until all end. */
  #open = 0;
  #mixed = false;

  constructor(options: OtelObserverOptions) {
    this.#tracer = options.tracer ?? trace.getTracer('async-dag');
    this.#name = options.name;
    this.#attributes = options.attributes;
    this.#parent = options.parent;
  }

  onRunStart({ graph }: RunStartEvent): void {
    this.#open++;
    if (this.#open > 1) {
      const open = this.#run;
      this.#endAll(
        'This otelObserver() was given to two invocations at once; its spans were closed. ' +
          'Create one observer per invoke() call.',
      );
      this.#mixed = true;
      if (open !== undefined) {
        throw new Error(
          'otelObserver(): one observer was passed to two concurrent invocations, so their events cannot be told apart; ' +
            'it stopped recording until both end. Call otelObserver() once per invoke().',
        );
      }
      return;
    }
    this.#kinds = new Map(graph.nodes.map((node) => [node.name, node.kind]));
    const parent = this.#parent ?? otelContext.active();
    const name = this.#name ?? (graph.owner === 'buildDag' ? 'async-dag' : `async-dag ${graph.owner}`);
    this.#run = this.#tracer.startSpan(
      name,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...this.#attributes,
          [OtelAttributes.GRAPH]: graph.owner,
          [OtelAttributes.NODE_COUNT]: graph.nodes.length,
        },
      },
      parent,
    );
    this.#runContext = trace.setSpan(parent, this.#run);
  }

  onNodeStart({ name, attempt }: NodeStartEvent): void {
    if (this.#mixed || this.#runContext === undefined) return;
    this.#attempts.get(name)?.end();
    const span = this.#tracer.startSpan(
      name,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [OtelAttributes.NODE_NAME]: name,
          [OtelAttributes.NODE_KIND]: this.#kinds.get(name) ?? 'node',
          [OtelAttributes.ATTEMPT]: attempt,
        },
      },
      this.#runContext,
    );
    this.#attempts.set(name, span);
  }

  onNodeRetry({ name, attempt, error, delay }: NodeRetryEvent): void {
    if (this.#mixed) return;
    const span = this.#attempts.get(name);
    if (span === undefined) return;
    this.#attempts.delete(name);
    span.setAttribute(OtelAttributes.NODE_STATUS, 'rejected');
    recordError(span, error);
    span.addEvent(RETRY_EVENT, { [OtelAttributes.ATTEMPT]: attempt, [OtelAttributes.RETRY_DELAY]: delay });
    span.end();
  }

  onNodeEnd({ name, status, attempts, error }: NodeEndEvent): void {
    if (this.#mixed) return;
    const span = this.#attempts.get(name);
    if (span === undefined) return;
    this.#attempts.delete(name);
    span.setAttribute(OtelAttributes.NODE_STATUS, status);
    span.setAttribute(OtelAttributes.ATTEMPTS, attempts);
    if (status === 'rejected') recordError(span, error);
    span.end();
  }

  onRunEnd({ status, error }: RunEndEvent): void {
    this.#open = Math.max(0, this.#open - 1);
    if (this.#mixed) {
      if (this.#open === 0) this.#mixed = false;
      return;
    }
    const run = this.#run;
    if (run === undefined) return;
    this.#endAll(undefined);
    run.setAttribute(OtelAttributes.RUN_STATUS, status);
    if (status === 'rejected') recordError(run, error);
    run.end();
  }

  /** Ends every open span; with a `reason`, as errors (the observer was misused). */
  #endAll(reason: string | undefined): void {
    for (const span of this.#attempts.values()) {
      if (reason !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      span.end();
    }
    this.#attempts.clear();
    if (reason !== undefined && this.#run !== undefined) {
      this.#run.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      this.#run.end();
    }
    if (reason !== undefined) {
      this.#run = undefined;
      this.#runContext = undefined;
    }
  }
}

/**
 * A `DagObserver` that records a run as OpenTelemetry spans: one span for the run (a child of
 * the context active when `invoke` is called, so it nests under an HTTP request's span), and
 * under it one span per node attempt, named after the node. A failed attempt's span has status
 * `ERROR` and the exception; if it will be retried it also carries an `async_dag.retry` event
 * with the delay. A rejected run's span records the `NodeFailedError` or `DagAbortedError`.
 *
 * Call it once per invocation. Hooks carry no run id, so the observer keeps the state of
 * exactly one run; a fresh observer per `invoke()` is what keeps two concurrent runs from
 * mixing their spans. Given to two runs at once, it closes its spans, stops recording until
 * both end, and says so once through the `DagObserverWarning` channel. Reusing it for runs one
 * after another is fine.
 *
 * Uses only `@opentelemetry/api` (an optional peer dependency of `async-dag`); configure an SDK
 * (a tracer provider and an exporter) as usual, or pass a `tracer`.
 *
 * @example
 * import { trace } from '@opentelemetry/api';
 * import { otelObserver } from 'async-dag/otel';
 *
 * const tracer = trace.getTracer('checkout');
 * const result = await flow.invoke(params, { observer: otelObserver({ tracer }) });
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

// `async-dag/otel`: OpenTelemetry traces of runs. The only module that imports
// `@opentelemetry/api`; the core never does.

export { otelObserver, OtelAttributes, RETRY_EVENT } from './otel-observer';
export type { OtelObserverOptions } from './otel-observer';

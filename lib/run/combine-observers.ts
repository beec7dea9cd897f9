import { hasHook, notify, type DagObserver } from './observer';

const HOOKS = ['onRunStart', 'onNodeStart', 'onNodeRetry', 'onNodeEnd', 'onRunEnd'] as const;

/**
 * One observer that hands every event to each of `observers`, in order. Each is called through
 * `notify`, so one that throws neither stops the others nor changes the run.
 */
export function combineObservers(observers: readonly DagObserver[]): DagObserver | undefined {
  if (observers.length <= 1) return observers[0];
  const combined: DagObserver = {};
  for (const hook of HOOKS) {
    if (!observers.some((observer) => hasHook(observer, hook))) continue;
    combined[hook] = (event: never) => {
      for (const observer of observers) notify(observer, hook, event);
    };
  }
  return combined;
}

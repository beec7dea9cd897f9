import type { DagObserver, GraphView } from 'async-dag';

/** One recorded hook call: the hook's name and what it was given (the graph as its owner's name). */
export type Recorded =
  | { hook: 'onRunStart'; owner: string; graph: GraphView }
  | { hook: 'onNodeStart'; name: string; attempt: number }
  | { hook: 'onNodeRetry'; name: string; attempt: number; error: unknown; delay: number }
  | {
      hook: 'onNodeEnd';
      name: string;
      status: string;
      duration: number;
      attempts: number;
      error?: unknown;
      hasError: boolean;
    }
  | { hook: 'onRunEnd'; status: string; duration: number; error?: unknown; hasError: boolean };

/** An observer that records every hook call, in order. */
export function recordingObserver(): DagObserver & { readonly events: Recorded[]; lines(): string[] } {
  const events: Recorded[] = [];
  return {
    events,
    onRunStart: ({ graph }) => void events.push({ hook: 'onRunStart', owner: graph.owner, graph }),
    onNodeStart: ({ name, attempt }) => void events.push({ hook: 'onNodeStart', name, attempt }),
    onNodeRetry: ({ name, attempt, error, delay }) =>
      void events.push({ hook: 'onNodeRetry', name, attempt, error, delay }),
    onNodeEnd: (event) => void events.push({ hook: 'onNodeEnd', ...event, hasError: 'error' in event }),
    onRunEnd: (event) => void events.push({ hook: 'onRunEnd', ...event, hasError: 'error' in event }),
    /** The events as short lines, `start a#1`, `retry a#1 +10ms`, `end a fulfilled x1`, for ordering assertions. */
    lines() {
      return events.map((e) => {
        switch (e.hook) {
          case 'onRunStart':
            return `run start ${e.owner}`;
          case 'onNodeStart':
            return `start ${e.name}#${e.attempt}`;
          case 'onNodeRetry':
            return `retry ${e.name}#${e.attempt} +${e.delay}ms`;
          case 'onNodeEnd':
            return `end ${e.name} ${e.status} x${e.attempts}`;
          case 'onRunEnd':
            return `run end ${e.status}`;
        }
      });
    },
  };
}

/** A promise with its resolve and reject, to settle nodes exactly when a test says so. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

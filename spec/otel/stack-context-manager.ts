import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * The smallest real ContextManager: `context.with(ctx, fn)` makes `ctx` active while `fn` runs
 * synchronously. Enough to show that a run's span nests under the span active when `invoke` is
 * called (its `onRunStart` runs inside `invoke`); apps use AsyncLocalStorage-based managers.
 */
export class StackContextManager implements ContextManager {
  #stack: Context[] = [];

  active(): Context {
    return this.#stack.at(-1) ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.#stack.push(context);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }

  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#stack = [];
    return this;
  }
}

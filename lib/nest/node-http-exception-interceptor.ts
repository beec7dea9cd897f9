import { HttpException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { NodeFailedError } from '../run';

/** The part of an rxjs `Observable` used here; the library does not import rxjs itself. */
interface Subscribable {
  subscribe(observer: { next: (value: unknown) => void; error: (error: unknown) => void; complete: () => void }): {
    unsubscribe(): void;
  };
}
interface SubscriberLike {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}
type ObservableClass = new (subscribe: (subscriber: SubscriberLike) => () => void) => Subscribable;

/** What a handler's failure should be to Nest: the `HttpException` a node threw, or the error as it came. */
export function unwrapNodeHttpException(error: unknown): unknown {
  return error instanceof NodeFailedError && error.cause instanceof HttpException ? error.cause : error;
}

/**
 * Registered app-wide by `DagModule`: when a handler fails with a `NodeFailedError` whose
 * `cause` is an `HttpException` (a `NotFoundException` thrown by a service a node called), the
 * handler fails with that `HttpException` instead. Nest's exception layer then answers with its
 * status and body (404, not 500), and the app's own exception filters for that type apply, as
 * they would had the controller called the service itself. Other errors pass unchanged.
 */
export class NodeHttpExceptionInterceptor implements NestInterceptor {
  // Returns the handler's own kind of Observable, typed as Nest's `CallHandler` result.
  intercept(_context: ExecutionContext, next: CallHandler): ReturnType<CallHandler['handle']> {
    const source = next.handle() as unknown as Subscribable;
    // The handler's own Observable class (Nest's rxjs), so that nothing here depends on rxjs.
    const Observable = source.constructor as ObservableClass;
    const unwrapped = new Observable((subscriber) => {
      const subscription = source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error) => subscriber.error(unwrapNodeHttpException(error)),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
    return unwrapped as unknown as ReturnType<CallHandler['handle']>;
  }
}

// Must fail with standard decorators: an @immediate getter that returns a function is a value
// (its dependents get the function), which its type cannot say; it does not compile. (Legacy
// decorators type a getter exactly like a method, so there the compiler cannot tell.)
import { Dag, immediate } from 'async-dag';

export class FunctionGetter extends Dag {
  // @expect-error Make it a method (called with params), or hold the function in an object
  @immediate get format(): (n: number) => string {
    return (n) => n.toFixed(2);
  }
}

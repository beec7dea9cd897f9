// Must fail in both decorator modes: an @immediate field that holds a function. Its dependents
// get the function itself, but TypeScript types a function-valued field like a method, so they
// would be typed with what it returns; it does not compile, and the error says what to write.
import { Dag, immediate } from 'async-dag';

export class FunctionField extends Dag {
  // @expect-error Make it a method (called with params), or hold the function in an object
  @immediate readonly format = (n: number): string => n.toFixed(2);
  // @expect-error Make it a method (called with params), or hold the function in an object
  @immediate readonly parse: (text: string) => number = Number;
}

// Must compile in both decorator modes: immediates whose values involve functions. A method is
// called with params, and its dependents get what it returns (a function, here); a field or
// getter whose value is not a function is a value.
import { Dag, immediate, node } from 'async-dag';

export class Formatting extends Dag<{ digits: number }> {
  // A method that returns a function: its dependents get the function.
  @immediate formatter(params: { digits: number }): (n: number) => string {
    return (n) => n.toFixed(params.digits);
  }
  @immediate readonly unit = 'ms';
  @immediate get separator(): string {
    return ' ';
  }
  // A function held in an object is a value like any other.
  @immediate readonly helpers = { double: (n: number) => n * 2 };

  @node('formatter', 'unit', 'separator', 'helpers') line(
    format: (n: number) => string,
    unit: string,
    separator: string,
    helpers: { double: (n: number) => number },
  ): string {
    return format(helpers.double(1.5)) + separator + unit;
  }
}

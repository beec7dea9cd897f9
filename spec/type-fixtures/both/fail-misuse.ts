// Must fail in both decorator modes (legacy and standard TC39): misuse of the decorators, subclasses, invokeDag and results.
import { Dag, immediate, invokeDag, node } from 'async-dag';

abstract class Base extends Dag<number> {
  @node() async count(n: number) {
    return n + 1;
  }
}

export class Derived extends Base {
  // A subclass's dependencies are checked against inherited members too.
  @node('count') doubled(count: number) {
    return count * 2;
  }
  // @expect-error parameter 1 of 'asText' does not accept the value of 'count'
  @node('count') asText(count: string) {
    return count;
  }
  // @expect-error 'counts' is not a public member of this class
  @node('doubled', 'counts') total(doubled: number) {
    return doubled;
  }
  // Options come last.
  // @expect-error not assignable
  @node({ timeout: 5 }, 'count') early() {
    return 0;
  }
  // @expect-error not assignable
  @node('count', { timeout: '5' }) badOption() {
    return 0;
  }
  // An immediate has no dependencies.
  // @expect-error @immediate has no dependencies
  @immediate('count') notImmediate() {
    return 0;
  }
}

export abstract class Generic<T> extends Dag {
  protected abstract load(): Promise<T>;
  @node() async item(): Promise<T> {
    return this.load();
  }
  @node('item') fine(item: T) {
    return item;
  }
  // @expect-error parameter 1 of 'notString' does not accept the value of 'item'
  @node('item') notString(item: string) {
    return item;
  }
}

class Plain {
  @node() one() {
    return 1;
  }
  // @expect-error parameter 1 of 'two' does not accept the value of 'one'
  @node('one') two(one: string) {
    return one;
  }
}

export async function run(): Promise<void> {
  // @expect-error not assignable to parameter of type 'number'
  await new Derived().invoke('1');
  const plain = await invokeDag(new Plain());
  // @expect-error not assignable to type 'string'
  const one: string = plain.get('one');
  void one;
}

// Must compile in both decorator modes (legacy and standard TC39): inheritance, abstract bases, classes that do not extend Dag.
import { expectTypeOf } from 'expect-type';
import { Dag, immediate, invokeDag, node } from 'async-dag';

abstract class Fetcher<T> extends Dag<{ id: number }> {
  protected abstract load(id: number): Promise<T>;

  @immediate id(params: { id: number }) {
    return params.id;
  }
  @node('id') async item(id: number): Promise<T> {
    return this.load(id);
  }
  // Checked inside the generic class: the value of 'item' is T.
  @node('item') describe(item: T) {
    return JSON.stringify(item);
  }
  @node('item', 'describe') both(item: T | undefined, text: string) {
    return [item, text] as const;
  }
}

class UserFetcher extends Fetcher<{ name: string }> {
  protected async load(id: number) {
    return { name: `user ${id}` };
  }
  // A subclass adds a node that depends on an inherited one.
  @node('item') greeting(user: { name: string }) {
    return `hello ${user.name}`;
  }
}

class LoudFetcher extends UserFetcher {
  // An undecorated override keeps the inherited declaration.
  override greeting(user: { name: string }) {
    return `HELLO ${user.name.toUpperCase()}`;
  }
}

// Dependency names known only at run time (a spread string[]) are checked at the first `new`.
const parts: readonly string[] = ['month'];
export class Dynamic extends Dag {
  @immediate month() {
    return '2026-11';
  }
  @node(...parts) joined(...values: unknown[]) {
    return values.join('/');
  }
}

class Service {
  constructor(readonly prefix: string) {}
}

// A class that extends something else, run with invokeDag: params are untyped there.
class Report extends Service {
  @immediate month() {
    return '2026-11';
  }
  @node('month') async totals(month: string, params: { scale: number }) {
    return { month: `${this.prefix}${month}`, total: 3 * params.scale };
  }
}

export async function run(): Promise<void> {
  const user = await new LoudFetcher().invoke({ id: 1 });
  expectTypeOf(user.get('item')).toEqualTypeOf<{ name: string }>();
  expectTypeOf(user.get('greeting')).toEqualTypeOf<string>();
  expectTypeOf(user.get('both')).toEqualTypeOf<readonly [{ name: string } | undefined, string]>();
  const report = await invokeDag(new Report('m:'), { scale: 2 });
  expectTypeOf(report.get('totals')).toEqualTypeOf<{ month: string; total: number }>();
}

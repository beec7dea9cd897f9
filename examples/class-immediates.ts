// Immediates: values known at the start of every invocation, before any node starts. A method
// is called with (params); a getter or a field is read from the instance at each invocation.
// #region docs
import { Dag, immediate, node } from 'async-dag';

interface Params {
  readonly userId: number;
}

class Greeting extends Dag<Params> {
  @immediate language = 'en'; // a field: read at each invocation
  #calls = 0;

  @immediate get invocation() {
    return ++this.#calls; // a getter: read at each invocation
  }

  @immediate userId(params: Params) {
    return params.userId; // a method: called with (params), `this` is the instance
  }

  @immediate async config() {
    return { greeting: 'Hello' }; // a promise is awaited before dependents start
  }

  @node('config', 'language', 'userId', 'invocation')
  greet(config: { greeting: string }, language: string, userId: number, invocation: number) {
    return `${config.greeting} user ${userId} (${language}, invocation ${invocation})`;
  }
}

export async function main(log: (line: string) => void = console.log): Promise<string[]> {
  const flow = new Greeting();
  const first = await flow.invoke({ userId: 1 });
  log(first.get('greet')); // Hello user 1 (en, invocation 1)

  flow.language = 'fr';
  const second = await flow.invoke({ userId: 2 });
  log(second.get('greet')); // Hello user 2 (fr, invocation 2)
  return [first.get('greet'), second.get('greet')];
}
// #endregion docs

if (require.main === module) void main();

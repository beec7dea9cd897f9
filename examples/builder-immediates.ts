// Immediates and params: values known at the start of each invocation.
// #region docs
import { buildDag, type TaskNode } from 'async-dag';

/** Shows addImmediateNode, plain values as dependencies, and `tm.params` in any position. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  interface Params {
    greeting: string;
    shout: boolean;
  }

  function greet(name: string, params: Params): string {
    return `${params.greeting}, ${name}`;
  }
  function format(shout: boolean, text: string): string {
    return shout ? `${text.toUpperCase()}!` : `${text}.`;
  }

  let out!: TaskNode<string>;
  let answer!: TaskNode<number>;
  const dag = buildDag<Params>((tm) => {
    const name = tm.addImmediateNode('world'); // a value known at the start (a promise is awaited)
    const text = tm.addNode(greet, name); // params still arrive after the dependencies
    // `tm.params` is the invocation's params as a node: put it in any position.
    // A plain value is a dependency too: it becomes an immediate node of its own.
    const options = tm.addNode((p: Params) => p.shout, tm.params);
    out = tm.addNode(format, options, text);
    answer = tm.addNode((a: number, b: number) => a + b, 40, Promise.resolve(2));
  });

  const quiet = await dag.invoke({ greeting: 'Hello', shout: false });
  const loud = await dag.invoke({ greeting: 'Hello', shout: true });
  log(out.extractResult(quiet)); // Hello, world.
  log(out.extractResult(loud)); // HELLO, WORLD!
  log(`answer: ${answer.extractResult(loud)}`); // answer: 42
  return out.extractResult(loud);
}
// #endregion docs

if (require.main === module) void main();

// FOREIGN_NODE: a TaskNode of one buildDag() used in another.
// #region docs
import { buildDag, DagDefinitionError, type TaskNode } from 'async-dag';

/** Provokes `FOREIGN_NODE` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  let config!: TaskNode<{ url: string }>;
  buildDag((tm) => {
    config = tm.addNode(function loadConfig() {
      return { url: 'https://example.com' };
    });
  });
  try {
    buildDag((tm) => {
      tm.addNode(function ping(c: { url: string }) {
        return c.url;
      }, config);
    });
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // FOREIGN_NODE: Node "ping" depends on "loadConfig", a TaskNode of another buildDag() graph.
    // A graph can only use nodes added to its own builder; add the function here too.
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

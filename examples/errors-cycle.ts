// CYCLE: nodes that depend on each other, caught at the first `new` of the class.
// #region docs
import { Dag, DagDefinitionError, node } from 'async-dag';

/** Provokes `CYCLE` and returns the error. */
export function main(log: (line: string) => void = console.log): unknown {
  class Checkout extends Dag {
    @node('total') tax(total: number) {
      return total * 0.2;
    }
    @node('tax') total(tax: number) {
      return 100 + tax;
    }
    @node('total') receipt(total: number) {
      return `paid ${total}`;
    }
  }
  try {
    new Checkout();
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // CYCLE: Checkout: the dependencies form a cycle: tax -> total -> tax (each arrow points from
    // a dependency to the node that needs it). Remove one of these dependencies to break the loop.
    return error;
  }
  return undefined;
}
// #endregion docs

if (require.main === module) void main();

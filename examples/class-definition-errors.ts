// Definition errors of a class are found when it is first instantiated, never halfway through a
// run, and thrown again by every later `new` of that class.
// #region docs
import { Dag, DagDefinitionError, node } from 'async-dag';

export function main(log: (line: string) => void = console.log): string[] {
  const messages: string[] = [];
  class Checkout extends Dag {
    @node() cart() {
      return ['book'];
    }
    // @ts-expect-error: the compiler already says 'carts' is not a member of the class
    @node('carts') total(cart: string[]) {
      return cart.length;
    }
  }

  class Loop extends Dag {
    @node('c') a() {}
    @node('a') b() {}
    @node('b') c() {}
  }

  for (const Flow of [Checkout, Loop, Checkout]) {
    try {
      new Flow();
    } catch (error) {
      if (!(error instanceof DagDefinitionError)) throw error;
      log(`${error.code}: ${error.message}`);
      messages.push(error.message);
    }
  }
  // UNKNOWN_DEPENDENCY: Checkout: "total" depends on "carts", which is not a node or an immediate of Checkout. Did you mean "cart"?
  // CYCLE: Loop: the dependencies form a cycle: a -> b -> c -> a (...)
  // UNKNOWN_DEPENDENCY: (the same error again)
  return messages;
}
// #endregion docs

if (require.main === module) main();

// Must fail in both decorator modes: `@node` is a factory, and a bare `@node` (no parentheses)
// says to write `@node()`.
import { Dag, node } from 'async-dag';

export class Bare extends Dag {
  // @expect-error write @node() for a node without dependencies
  @node root() {
    return 1;
  }
}
